"""The demo data set: one member due soon (migrated by the pilot import), one filed on time,
one overdue — and the dashboard panels that show them."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ctpat.accounts.models import User
from ctpat.annualnotices import selectors
from ctpat.annualnotices.dashboard import panels
from ctpat.annualnotices.models import PilotImport
from ctpat.tradecompliance.models import TradeComplianceMembership

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_member_due_soon_one_filed_on_time_and_one_overdue():
    from ctpat.demo.seed import load_demo

    assert load_demo()
    today = timezone.localdate()
    state = {}
    for membership in TradeComplianceMembership.objects.select_related("partner"):
        item = selectors.membership_schedule(membership, today=today)
        last = selectors.latest_filed(item)
        state[membership.partner.name] = (
            membership.origin,
            item.current.status,
            last.status if last else None,
        )
    assert state["Harbor Lane Home Goods Inc."] == ("pilot_migration", "due_soon", None)
    assert state["Maple Leaf Outfitters Ltd."] == ("recorded", "upcoming", "filed_on_time")
    assert state["Prairie Pantry Foods Inc."] == ("recorded", "overdue", None)
    assert PilotImport.objects.get().status == "committed"

    harbor = User.objects.get(username="harbor.officer")
    assert selectors.reminders_for(harbor)  # the daily job ran for today
    [partner_panel] = panels(viewer=harbor, today=today)
    assert partner_panel.urgent and partner_panel.context["item"].current.status == "due_soon"
    [cbp_panel] = panels(viewer=User.objects.get(username="cbp.nam"), today=today)
    assert cbp_panel.context["counts"]["overdue"] == 1
    assert cbp_panel.context["counts"]["due_soon"] == 1

"""The demo data set: an application at every stage, and the dashboard panels that show them."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ctpat.accounts.models import User
from ctpat.tradecompliance.dashboard import panels
from ctpat.tradecompliance.models import Application

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_application_at_every_stage(media_root):
    from ctpat.demo.seed import load_demo

    assert load_demo()
    stages = {a.partner.name: a.status for a in Application.objects.select_related("partner")}
    assert stages == {
        "Bayou Cookware LLC": "draft",
        "Cascade Outdoor Supply Co.": "submitted",
        "Delta Home Textiles Inc.": "information_requested",
        "Evergreen Toy Imports Inc.": "approved",
        "Foothill Apparel Group LLC": "denied",
    }
    approved = Application.objects.get(status="approved")
    assert approved.membership.account_number.startswith("TC")
    assert Application.objects.get(status="denied").decision_reason

    today = timezone.localdate()
    [partner_panel] = panels(viewer=User.objects.get(username="evergreen.officer"), today=today)
    assert partner_panel.context["membership"].account_number == approved.membership.account_number
    [delta_panel] = panels(viewer=User.objects.get(username="delta.officer"), today=today)
    assert delta_panel.urgent
    [nam_panel] = panels(viewer=User.objects.get(username="cbp.nam"), today=today)
    assert nam_panel.context["unassigned_count"] == 1 and nam_panel.urgent

"""Every step of a Security appeal is audited once: filing, each reminder, the decision."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ctpat.core.models import AuditEvent
from ctpat.enforcement import selectors, services

from .factories import suspended_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _events(appeal, action):
    return AuditEvent.objects.filter(action=action, object_id=appeal.public_id)


def test_filing_reminding_and_deciding_a_security_appeal_are_each_audited(cbp_admin):
    partner, officer, _ = suspended_member(days_ago=10, status="validated")
    change = selectors.current_decision(partner, today=timezone.localdate()).change

    appeal = services.appeal_file(
        actor=officer, partner=partner, change=change, grounds="The seals were verified."
    )
    [filed] = _events(appeal, "enforcement.appeal_file")
    assert filed.actor == officer
    assert filed.after["decision_due"] == appeal.decision_due.isoformat()

    services.appeal_reminders_send(today=appeal.decision_due)
    [reminded] = _events(appeal, "enforcement.appeal_reminder")
    assert reminded.after["days_left"] == 0

    services.appeal_decide(
        actor=cbp_admin, appeal=appeal, outcome="reversed", reason="The seals were verified."
    )
    [decided] = _events(appeal, "enforcement.appeal_decide")
    assert decided.actor == cbp_admin
    assert (decided.before["state"], decided.after["state"]) == ("filed", "decided")
    assert decided.after["resulting_status"] == "validated"
    # The membership moved through its own state machine, audited with the appeal named.
    move = AuditEvent.objects.filter(
        action="partner.transition", object_id=partner.public_id
    ).latest("id")
    assert move.after["status"] == "validated"
    assert appeal.public_id in (move.reason + str(move.after))

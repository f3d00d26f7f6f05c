"""Test data for suspensions and appeals, made through the services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ctpat.testing import make_partner, make_user, move_partner_to


def suspended_member(
    *, days_ago: int = 0, status: str = "validated", name=None, false_information=False
):
    """A member suspended ``days_ago`` days ago with two required actions.

    Returns (partner, officer, case)."""
    from ctpat.enforcement import services

    today = timezone.localdate()
    partner = make_partner(
        name=name, entity_type="importer", country="US", registered_on=today - timedelta(400)
    )
    partner = move_partner_to(partner, status, effective_date=today - timedelta(days=days_ago + 10))
    officer = make_user("partner_officer", organization=partner.organization)
    case = services.partner_suspend(
        actor=None,
        partner=partner,
        letter="Seal controls failed at the validation visit.",
        required_actions=["corrective_action_plan", "unannounced_visits"],
        false_information=false_information,
        effective_date=today - timedelta(days=days_ago),
    )
    partner.refresh_from_db()
    return partner, officer, case


def answers_for(case) -> dict:
    from ctpat.enforcement.services import answer_fields

    return {key: f"We did it: {label}." for key, label in answer_fields(case)}

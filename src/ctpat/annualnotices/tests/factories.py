"""Test data for annual notices, made through the services as the product makes it."""

from __future__ import annotations

import datetime as dt

from ctpat.core.testing import make_partner, make_user
from ctpat.partners.rules import add_months


def make_member(*, accepted_on: dt.date, name: str | None = None, officer: bool = True):
    """A certified US importer with a Trade Compliance membership accepted on ``accepted_on``
    (through ``membership_grant``), and its company officer."""
    from ctpat.tradecompliance.services import membership_grant

    partner = make_partner(name=name, entity_type="importer", country="US", status="validated")
    user = make_user("partner_officer", organization=partner.organization) if officer else None
    ior = partner.identifiers.get(kind="ior").value
    membership = membership_grant(
        actor=None,
        partner=partner,
        accepted_on=accepted_on,
        origin="application",
        ior_numbers=[ior],
    )
    return membership, user


def accepted_for_due_in(days: int, today: dt.date) -> dt.date:
    """An acceptance date whose first letter (13 months later) is due ``days`` from today."""
    return add_months(today + dt.timedelta(days=days), -13)


def content(**overrides):
    from ctpat.annualnotices.services import LetterContent

    values = {
        "certifies_compliance": True,
        "no_changes": True,
        "compliance_contact_name": "Casey Compliance",
        "compliance_contact_email": "casey@example.test",
        "officer_name": "Olive Officer",
        "officer_title": "Chief Financial Officer",
        "officer_email": "olive@example.test",
    }
    values.update(overrides)
    return LetterContent(**values)

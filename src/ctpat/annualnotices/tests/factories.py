"""Test data for annual notices, made through the services as the product makes it."""

from __future__ import annotations

import datetime as dt

from ctpat.annualnotices import rules
from ctpat.annualnotices.rules import DEFAULT_SCHEDULE, Schedule
from ctpat.partners.rules import add_months
from ctpat.testing import make_partner, make_user


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


# The most days the first letter can fall due before the asked-for day (31 March from 28 Feb).
MAX_EARLY_DAYS = 3


def accepted_for_due_in(days: int, today: dt.date, schedule: Schedule = DEFAULT_SCHEDULE):
    """An acceptance date whose first letter is due ``days`` from ``today`` on almost every
    day, and up to ``MAX_EARLY_DAYS`` earlier (never later) otherwise.

    Going back 13 months is not the inverse of the schedule (``add_months`` clamps to the
    month's end): a due date 13 months after acceptance never falls on 29-31 March of a common
    year, nor on 31 May, July, October or December (the month before is shorter), so on the
    7 days a year that ``today + days`` is one of those, no acceptance date gives it. Tests
    state the days left with ``first_due_in`` rather than assuming ``days``.
    """
    target = today + dt.timedelta(days=days)
    accepted = add_months(target, -schedule.first_due_months)
    due = rules.due_date(accepted, 0, schedule)
    if not (0 <= (target - due).days <= MAX_EARLY_DAYS):  # a broken inverse fails loudly here
        raise AssertionError(f"accepted {accepted} falls due {due}, not about {target}")
    return accepted


def first_due_in(accepted_on: dt.date, today: dt.date, schedule: Schedule = DEFAULT_SCHEDULE):
    """Days from ``today`` to the first letter's due date (negative once it has passed)."""
    return (rules.due_date(accepted_on, 0, schedule) - today).days


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

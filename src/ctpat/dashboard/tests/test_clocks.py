"""The dashboard's clocks at their edges: the day before, the day of and the day after each
boundary (validation horizon and overdue day, review window, SCSS review deadline), with a
pinned ``today``. The comparisons themselves are rules (``partners.rules.clock``)."""

from __future__ import annotations

import datetime as dt

import pytest

from ctpat.dashboard import selectors
from ctpat.partners import rules
from ctpat.partners.services import partner_record_validation
from ctpat.testing import move_partner_to

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)
DAY = dt.timedelta(days=1)


def _validated(make_partner, name, *, revalidation_due):
    validated_on = rules.add_years(revalidation_due, -rules.REVALIDATION_CYCLE_YEARS)
    assert rules.revalidation_due(validated_on) == revalidation_due  # no month-end clamping
    partner = make_partner(name=name, registered_on=dt.date(2015, 1, 5))
    move_partner_to(partner, "certified", effective_date=dt.date(2016, 1, 5))
    partner_record_validation(actor=None, partner=partner, validated_on=validated_on)
    return partner


@pytest.mark.parametrize(
    ("due", "listed", "overdue"),
    [
        pytest.param(TODAY + 91 * DAY, False, False, id="day-after-the-horizon"),
        pytest.param(TODAY + 90 * DAY, True, False, id="last-day-of-the-horizon"),
        pytest.param(TODAY + DAY, True, False, id="due-tomorrow"),
        pytest.param(TODAY, True, False, id="due-today-is-not-overdue"),
        pytest.param(TODAY - DAY, True, True, id="due-yesterday-is-overdue"),
    ],
)
def test_cbp_validation_queue_edges(scss, make_partner, due, listed, overdue):
    partner = _validated(make_partner, "Edge Co", revalidation_due=due)

    rows = [
        r
        for r in selectors.cbp_overview(viewer=scss, today=TODAY).validations.rows
        if r["partner"].pk == partner.pk
    ]

    assert bool(rows) is listed
    if listed:
        assert rows[0]["overdue"] is overdue
        assert rows[0]["days_left"] == (due - TODAY).days


@pytest.mark.parametrize(
    ("due", "urgency"),
    [
        pytest.param(TODAY + 91 * DAY, "later", id="day-after-the-horizon"),
        pytest.param(TODAY + 90 * DAY, "due_soon", id="last-day-of-the-horizon"),
        pytest.param(TODAY, "due_soon", id="due-today"),
        pytest.param(TODAY - DAY, "overdue", id="day-after-due"),
    ],
)
def test_member_validation_card_edges(make_partner, make_user, due, urgency):
    partner = _validated(make_partner, "Own Edge Co", revalidation_due=due)
    officer = make_user("partner_officer", organization=partner.organization)

    overview = selectors.partner_overview(viewer=officer, today=TODAY)

    assert (overview.validation_due, overview.validation_urgency) == (due, urgency)


CERTIFIED_ON = dt.date(2025, 9, 13)  # anniversary 2026-09-13, window opens 2026-06-15
OPENS = dt.date(2026, 6, 15)
ANNIVERSARY = dt.date(2026, 9, 13)


@pytest.mark.parametrize(
    ("today", "is_open"),
    [
        pytest.param(OPENS - DAY, False, id="day-before-the-window"),
        pytest.param(OPENS, True, id="opening-day"),
        pytest.param(ANNIVERSARY - DAY, True, id="day-before-the-anniversary"),
        pytest.param(ANNIVERSARY, True, id="anniversary"),
        pytest.param(ANNIVERSARY + DAY, False, id="day-after-the-anniversary"),
    ],
)
def test_review_window_edges_on_both_dashboards(scss, make_partner, make_user, today, is_open):
    partner = make_partner(name="Window Co", registered_on=dt.date(2025, 1, 6))
    move_partner_to(partner, "certified", effective_date=CERTIFIED_ON)
    officer = make_user("partner_officer", organization=partner.organization)

    own = selectors.partner_overview(viewer=officer, today=today)
    queue = selectors.cbp_overview(viewer=scss, today=today).review_windows.rows

    assert own.review_open is is_open
    assert (partner.pk in [r["partner"].pk for r in queue]) is is_open
    if today == OPENS - DAY:
        assert own.days_to_window == 1 and own.review_opens == OPENS


APPLIED_ON = dt.date(2026, 3, 1)
REVIEW_DUE = rules.applicant_review_deadline(APPLIED_ON)  # 90 days later: 2026-05-30


@pytest.mark.parametrize(
    ("today", "urgency"),
    [
        pytest.param(REVIEW_DUE - 15 * DAY, "later", id="day-before-due-soon"),
        pytest.param(REVIEW_DUE - 14 * DAY, "due_soon", id="first-due-soon-day"),
        pytest.param(REVIEW_DUE, "due_soon", id="deadline-day"),
        pytest.param(REVIEW_DUE + DAY, "overdue", id="day-after-the-deadline"),
    ],
)
def test_scss_review_deadline_edges(scss, make_partner, today, urgency):
    partner = make_partner(name="Applicant Co", entity_type="importer", country="US")
    move_partner_to(partner, "applicant", effective_date=APPLIED_ON)

    rows = selectors.cbp_overview(viewer=scss, today=today).applicants.rows

    assert [(r["partner"].pk, r["urgency"]) for r in rows] == [(partner.pk, urgency)]


@pytest.mark.parametrize(
    ("days_after_letter", "days_left", "overdue"),
    [(89, 1, False), (90, 0, False), (91, -1, True)],
    ids=["day-before-the-deadline", "deadline-day", "day-after-the-deadline"],
)
def test_suspension_answer_deadline_edges(
    scss, make_partner, days_after_letter, days_left, overdue
):
    suspended_on = dt.date(2026, 1, 10)
    partner = make_partner(name="Suspended Edge Co")
    move_partner_to(partner, "suspended", effective_date=suspended_on)

    today = suspended_on + days_after_letter * DAY
    rows = selectors.cbp_overview(viewer=scss, today=today).suspensions.rows

    assert [(r["partner"].pk, r["days_left"], r["overdue"]) for r in rows] == [
        (partner.pk, days_left, overdue)
    ]

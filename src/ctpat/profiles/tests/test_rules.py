"""The gap and annual-review rules, as specifications."""

from __future__ import annotations

import datetime as dt

import pytest

from ctpat.criteria.rules import Period
from ctpat.profiles import rules

SHOULD_THEN_MUST = (
    Period("should", dt.date(2020, 1, 1), dt.date(2022, 12, 31)),
    Period("must", dt.date(2023, 1, 1), None),
)


def _item(answer, periods=SHOULD_THEN_MUST, msc_id="3.9"):
    return rules.CriterionAnswer(msc_id, periods, answer)


@pytest.mark.parametrize(
    "case, on_date, answer, expected",
    [
        (
            "should answered No is a should-gap",
            dt.date(2022, 12, 31),
            "no",
            ("should", "answered_no"),
        ),
        ("must answered No is a must-gap", dt.date(2023, 1, 1), "no", ("must", "answered_no")),
        ("must unanswered is a must-gap", dt.date(2023, 1, 1), None, ("must", "unanswered")),
        ("should unanswered is no gap", dt.date(2022, 12, 31), None, None),
        ("must answered Yes is no gap", dt.date(2023, 1, 1), "yes", None),
        ("best practice is no gap", dt.date(2023, 1, 1), "yes_best_practice", None),
        ("N/A is no gap", dt.date(2023, 1, 1), "not_applicable", None),
        ("before the criterion applies", dt.date(2019, 6, 1), "no", None),
    ],
)
def test_criterion_gap(case, on_date, answer, expected):
    gap = rules.criterion_gap(_item(answer), on_date)
    assert (None if gap is None else (gap.kind, gap.reason)) == expected, case


def test_3_9_answered_no_in_the_shipped_catalog_is_a_should_gap_then_a_must_gap(db):
    """MSC 3.9 (forced labor) is SHOULD until 2022-12-31 and MUST from 2023-01-01 in the data
    shipped in criteria/data (DOMAIN.md §1.2)."""
    from ctpat.criteria import selectors

    criterion = selectors.current_version().criteria.get(msc_id="3.9")
    item = rules.CriterionAnswer("3.9", criterion.periods(), "no")

    on_last_should_day = rules.assess([item], dt.date(2022, 12, 31))
    on_first_must_day = rules.assess([item], dt.date(2023, 1, 1))

    assert [g.msc_id for g in on_last_should_day.should_gaps] == ["3.9"]
    assert on_last_should_day.must_gaps == () and on_last_should_day.can_submit
    assert [g.msc_id for g in on_first_must_day.must_gaps] == ["3.9"]
    assert on_first_must_day.should_gaps == () and not on_first_must_day.can_submit
    assert on_first_must_day.must_gaps[0].message == "3.9 (Must on 2023-01-01) is answered No."


def test_assess_counts_only_criteria_in_force_and_orders_gaps():
    must = (Period("must", dt.date(2020, 1, 1)),)
    future = (Period("must", dt.date(2030, 1, 1)),)
    items = [
        _item(None, must, "3.10"),
        _item("no", must, "3.2"),
        _item("yes", must, "1.3"),
        _item(None, future, "4.1"),
    ]
    result = rules.assess(items, dt.date(2026, 1, 1))
    assert (result.answered, result.applicable, result.percent) == (2, 3, 66)
    assert [g.msc_id for g in result.must_gaps] == ["3.2", "3.10"]
    assert "2 Must criteria are answered No or not answered (3.2, 3.10)" in (
        rules.must_gap_message(result.must_gaps)
    )


@pytest.mark.parametrize(
    "case, answer, narrative, fields",
    [
        ("yes without narrative", "yes", "", set()),
        ("N/A needs a reason", "not_applicable", "  ", {"narrative"}),
        ("N/A with a reason", "not_applicable", "We have no conveyances.", set()),
        ("unknown answer", "maybe", "", {"answer"}),
        ("too long", "yes", "x" * (rules.NARRATIVE_MAX_LENGTH + 1), {"narrative"}),
    ],
)
def test_answer_problems(case, answer, narrative, fields):
    assert set(rules.answer_problems(answer, narrative)) == fields, case


@pytest.mark.parametrize(
    "case, certified, today, expected",
    [
        ("before the first anniversary", dt.date(2025, 3, 1), dt.date(2026, 2, 28), None),
        ("on the anniversary itself", dt.date(2025, 3, 1), dt.date(2026, 3, 1), None),
        ("the day after", dt.date(2025, 3, 1), dt.date(2026, 3, 2), dt.date(2026, 3, 1)),
        ("years later", dt.date(2019, 6, 10), dt.date(2026, 1, 5), dt.date(2025, 6, 10)),
        ("leap-day certification", dt.date(2020, 2, 29), dt.date(2023, 3, 1), dt.date(2023, 2, 28)),
    ],
)
def test_previous_anniversary(case, certified, today, expected):
    assert rules.previous_anniversary(certified, today) == expected, case


def test_review_window_is_the_90_days_before_the_anniversary():
    # DOMAIN.md §3.1: the window opens 90 days before the anniversary; only updates inside count.
    assert rules.review_window_for(dt.date(2026, 6, 1)) == (
        dt.date(2026, 3, 3),
        dt.date(2026, 6, 1),
    )
    certified = dt.date(2020, 6, 1)
    assert not rules.counts_as_annual_review(certified, dt.date(2026, 3, 2))
    assert rules.counts_as_annual_review(certified, dt.date(2026, 3, 3))
    assert rules.counts_as_annual_review(certified, dt.date(2026, 6, 1))


def test_missed_annual_review_suspends_only_members_without_a_review_in_the_window():
    certified, today = dt.date(2024, 5, 1), dt.date(2026, 5, 10)
    missed = rules.missed_annual_review(
        status="certified",
        certification_date=certified,
        today=today,
        submitted_for_anniversaries=[dt.date(2025, 5, 1)],
    )
    assert missed.anniversary == dt.date(2026, 5, 1)
    assert missed.window_opens == dt.date(2026, 1, 31)
    assert missed.respond_by == today + dt.timedelta(days=90)
    assert "2026-01-31" in missed.reason and "90 days" in missed.reason
    assert "reason for suspension" in missed.reason and "DOMAIN" not in missed.reason
    for status, reviewed in [
        ("certified", [dt.date(2026, 5, 1)]),
        ("suspended", []),
        ("applicant", []),
    ]:
        assert (
            rules.missed_annual_review(
                status=status,
                certification_date=certified,
                today=today,
                submitted_for_anniversaries=reviewed,
            )
            is None
        ), status


@pytest.mark.parametrize(
    "case, reinstated_on, missed",
    [
        ("never suspended", None, True),
        ("reinstated before the anniversary", dt.date(2026, 4, 1), True),
        ("reinstated on the anniversary", dt.date(2026, 5, 1), True),
        ("reinstated after the missed anniversary", dt.date(2026, 5, 5), False),
    ],
)
def test_a_member_reinstated_after_the_missed_anniversary_is_not_suspended_again(
    case, reinstated_on, missed
):
    found = rules.missed_annual_review(
        status="certified",
        certification_date=dt.date(2024, 5, 1),
        today=dt.date(2026, 5, 10),
        submitted_for_anniversaries=[],
        reinstated_on=reinstated_on,
    )
    assert (found is not None) == missed, case


def test_a_missed_review_names_the_response_window_in_force():
    """The annual-review suspension letter uses the configured response window, not 90 days."""
    import datetime as dt

    from ctpat.profiles import rules as profile_rules

    missed = profile_rules.missed_annual_review(
        status="certified",
        certification_date=dt.date(2020, 3, 1),
        today=dt.date(2026, 3, 10),
        submitted_for_anniversaries=[],
        response_days=45,
    )
    assert missed is not None
    assert missed.respond_by == dt.date(2026, 4, 24)
    assert "within 45 days, by 2026-04-24" in missed.reason

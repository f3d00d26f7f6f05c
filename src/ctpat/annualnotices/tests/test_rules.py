"""The ANL schedule rules: due dates, month ends, leap years, reminders, period states."""

from __future__ import annotations

import datetime as dt

import pytest

from ctpat.annualnotices import rules

D = dt.date


@pytest.mark.parametrize(
    ("accepted", "period", "due"),
    [
        pytest.param(D(2024, 3, 15), 0, D(2025, 4, 15), id="first-13-months"),
        pytest.param(D(2024, 3, 15), 1, D(2026, 4, 15), id="then-12-months"),
        pytest.param(D(2024, 3, 15), 5, D(2030, 4, 15), id="sixth"),
        pytest.param(D(2023, 1, 31), 0, D(2024, 2, 29), id="jan31-to-leap-feb29"),
        pytest.param(D(2024, 1, 31), 0, D(2025, 2, 28), id="jan31-to-feb28"),
        pytest.param(D(2024, 1, 31), 1, D(2026, 2, 28), id="jan31-stays-feb28"),
        pytest.param(D(2022, 1, 31), 2, D(2025, 2, 28), id="jan31-leap-then-not"),
        pytest.param(D(2024, 2, 29), 0, D(2025, 3, 29), id="leap-day-acceptance"),
        pytest.param(D(2023, 12, 31), 0, D(2025, 1, 31), id="year-end"),
        pytest.param(D(2024, 3, 31), 0, D(2025, 4, 30), id="mar31-to-apr30"),
        pytest.param(D(2024, 3, 31), 1, D(2026, 4, 30), id="mar31-apr30-again"),
    ],
)
def test_due_date_is_13_months_after_acceptance_then_every_12(accepted, period, due):
    assert rules.due_date(accepted, period) == due


def test_due_dates_do_not_drift_after_a_short_month():
    # Counting from the previous due date would give Feb 28 → Feb 28 → ... and, for a May 31
    # acceptance with a 1-month interval, drift to the 28th; from acceptance they do not.
    schedule = rules.Schedule(first_due_months=1, interval_months=1)
    dues = [rules.due_date(D(2025, 1, 31), n, schedule) for n in range(4)]
    assert dues == [D(2025, 2, 28), D(2025, 3, 31), D(2025, 4, 30), D(2025, 5, 31)]


def test_a_leap_day_acceptance_falls_back_to_feb_28_only_in_common_years():
    schedule = rules.Schedule(first_due_months=12, interval_months=12)
    dues = [rules.due_date(D(2024, 2, 29), n, schedule) for n in range(5)]
    assert dues == [D(2025, 2, 28), D(2026, 2, 28), D(2027, 2, 28), D(2028, 2, 29), D(2029, 2, 28)]


def test_schedule_is_configurable():
    schedule = rules.Schedule(first_due_months=12, interval_months=6, reminder_days=(7, 45))
    assert rules.due_date(D(2024, 1, 10), 1, schedule) == D(2025, 7, 10)
    assert schedule.reminder_days == (45, 7)
    assert schedule.window_days == 45


def test_parse_reminder_days_and_bad_schedules():
    assert rules.parse_reminder_days("60, 30,7") == (60, 30, 7)
    with pytest.raises(ValueError):
        rules.parse_reminder_days("60,x")
    with pytest.raises(ValueError):
        rules.Schedule(first_due_months=0)
    with pytest.raises(ValueError):
        rules.Schedule(grace_days=-1)


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        pytest.param(61, None, id="before-first"),
        pytest.param(60, 60, id="day-of-first"),
        pytest.param(45, 60, id="between-first-and-second"),
        pytest.param(30, 30, id="day-of-second"),
        pytest.param(25, 30, id="caught-up-after-missed-days"),
        pytest.param(7, 7, id="last"),
        pytest.param(0, 7, id="due-today"),
        pytest.param(-1, None, id="overdue-no-reminder"),
    ],
)
def test_which_reminder_is_due_today(days_left, expected):
    due = D(2026, 6, 30)
    assert rules.reminder_due(due, due - dt.timedelta(days=days_left)) == expected


@pytest.mark.parametrize(
    ("today", "filed", "status"),
    [
        pytest.param(D(2026, 4, 1), None, "upcoming", id="upcoming"),
        pytest.param(D(2026, 5, 1), None, "due_soon", id="window-open-60-days-before"),
        pytest.param(D(2026, 6, 30), None, "due_soon", id="due-today"),
        pytest.param(D(2026, 7, 1), None, "overdue", id="day-after"),
        pytest.param(D(2026, 9, 1), D(2026, 6, 30), "filed_on_time", id="filed-on-due-date"),
        pytest.param(D(2026, 9, 1), D(2026, 5, 2), "filed_on_time", id="filed-early"),
        pytest.param(D(2026, 9, 1), D(2026, 7, 1), "filed_late", id="filed-a-day-late"),
    ],
)
def test_period_status(today, filed, status):
    assert rules.period_status(D(2026, 6, 30), today, filed) == status


def test_grace_period_before_the_suspension_path():
    due = D(2026, 2, 28)
    assert rules.grace_ends_on(due) == D(2026, 3, 30)
    assert not rules.suspension_due(due, D(2026, 3, 30))
    assert rules.suspension_due(due, D(2026, 3, 31))
    assert rules.suspension_due(due, D(2026, 3, 1), rules.Schedule(grace_days=0))


def test_first_tracked_period_skips_letters_due_before_tracking():
    accepted = D(2015, 5, 20)  # a legacy ISA member migrated in 2026
    period = rules.first_tracked_period(accepted, D(2026, 3, 1))
    assert rules.due_date(accepted, period) == D(2026, 6, 20)
    assert rules.first_tracked_period(accepted, accepted) == 0


def test_filing_opens_with_the_first_reminder():
    due = D(2026, 6, 30)
    assert rules.filing_opens_on(due) == D(2026, 5, 1)
    assert not rules.may_file(due, D(2026, 4, 30))
    assert rules.may_file(due, D(2026, 5, 1))
    assert rules.may_file(due, D(2026, 8, 1))  # late filing stays possible

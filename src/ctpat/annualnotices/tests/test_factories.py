"""The test factory's acceptance dates hold on every day of the year (a pinned ``today`` walks a
common year and a leap year), so no test depends on the day it runs."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest

from ctpat.annualnotices import rules

from .factories import MAX_EARLY_DAYS, accepted_for_due_in, first_due_in

OFFSETS_USED_BY_THE_SUITE = (-40, 7, 10, 20, 30, 120)


def _every_day(year):
    day = dt.date(year, 1, 1)
    while day.year == year:
        yield day
        day += dt.timedelta(days=1)


def _never_a_due_date(day: dt.date) -> bool:
    """Thirteen months after acceptance is the month after the acceptance month, so a due date
    never has a day that month lacks: 30-31 March, 31 May, July, October and December, and
    29 March unless the year before was a leap year."""
    if day.month == 3 and day.day == 29:
        return not calendar.isleap(day.year - 1)
    return (day.month, day.day) in {(3, 30), (3, 31), (5, 31), (7, 31), (10, 31), (12, 31)}


@pytest.mark.parametrize("year", [2026, 2028], ids=["common-year", "leap-year"])
@pytest.mark.parametrize("days", OFFSETS_USED_BY_THE_SUITE)
def test_the_first_letter_falls_due_on_the_asked_day_or_at_most_3_days_before(year, days):
    early = []
    for today in _every_day(year):
        accepted = accepted_for_due_in(days, today)
        due_in = first_due_in(accepted, today)
        assert days - MAX_EARLY_DAYS <= due_in <= days, today
        if due_in != days:
            early.append(today + dt.timedelta(days=days))
    # Exact on every day but those whose asked-for due date the rule can never give.
    targets = [today + dt.timedelta(days=days) for today in _every_day(year)]
    assert early == [t for t in targets if _never_a_due_date(t)]
    assert len(early) in (6, 7)


@pytest.mark.parametrize("year", [2026, 2028], ids=["common-year", "leap-year"])
def test_the_browser_test_gets_exactly_one_reminder_on_every_day(year):
    # test_browser files a letter "due in 30 days": the 30-day reminder, whatever the day.
    for today in _every_day(year):
        due = rules.due_date(accepted_for_due_in(30, today), 0)
        assert rules.reminder_due(due, today) == 30, today

"""The Annual Notification Letter (ANL) schedule, as pure functions with named constants.

Every number here is a default that ``settings`` can override (``conf.schedule()`` reads
``CTPAT_ANL_*``); the functions take plain values so they run and test without Django.

source: DOMAIN.md §2.1 — ISA rule: the first ANL is due 13 months after acceptance, then
annually [V: ITT 2010]; §2.6 — the exact Trade Compliance deadline is not verified
[K: anniversary-based], so the schedule is configurable; §2.2 Q12 — a member submits an ANL
certifying continued compliance; §3.1 — a suspended member has 90 days to respond.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ctpat.partners.rules import add_months

# source: DOMAIN.md §2.1 / §2.6 — first ANL 13 months after acceptance [V, ISA]; [K] for TC.
ANL_FIRST_DUE_MONTHS = 13
# source: DOMAIN.md §2.1 / §2.6 — then every 12 months [V, ISA]; [K] for TC.
ANL_INTERVAL_MONTHS = 12
# Our product choice (no public source): reminders 60, 30 and 7 days before the due date. The
# first reminder also opens the filing window: a letter can be filed from then on.
ANL_REMINDER_DAYS: tuple[int, ...] = (60, 30, 7)
# Our product choice (no public source): days a letter may be overdue before CBP's suspension
# path starts. CBP has not published a grace period; 30 days is a default to confirm.
ANL_GRACE_DAYS = 30


@dataclass(frozen=True)
class Schedule:
    """The configurable numbers of the ANL schedule."""

    first_due_months: int = ANL_FIRST_DUE_MONTHS
    interval_months: int = ANL_INTERVAL_MONTHS
    reminder_days: tuple[int, ...] = ANL_REMINDER_DAYS
    grace_days: int = ANL_GRACE_DAYS

    def __post_init__(self):
        if self.first_due_months < 1 or self.interval_months < 1:
            raise ValueError("ANL months must be at least 1.")
        if self.grace_days < 0 or any(d < 0 for d in self.reminder_days):
            raise ValueError("ANL day counts cannot be negative.")
        # Largest first: the first reminder is the earliest one.
        object.__setattr__(
            self, "reminder_days", tuple(sorted(set(self.reminder_days), reverse=True))
        )

    @property
    def window_days(self) -> int:
        """Days before the due date that the filing window opens (the first reminder)."""
        return self.reminder_days[0] if self.reminder_days else 0


DEFAULT_SCHEDULE = Schedule()


def parse_reminder_days(text: str) -> tuple[int, ...]:
    """``"60,30,7"`` → ``(60, 30, 7)``; a bad value is a ValueError (a settings mistake)."""
    days = tuple(int(part) for part in text.replace(" ", "").split(",") if part)
    if any(d < 0 for d in days):
        raise ValueError(f"Reminder days cannot be negative: {text!r}")
    return days


def due_date(accepted_on: dt.date, period: int, schedule: Schedule = DEFAULT_SCHEDULE) -> dt.date:
    """The due date of the ``period``-th letter (0 = the first).

    Always computed from the acceptance date, never from the previous due date, so month ends
    do not drift: accepted Jan 31 → due Feb 28/29 next year, then Feb 28/29 every year after.
    """
    if period < 0:
        raise ValueError("period starts at 0")
    return add_months(accepted_on, schedule.first_due_months + period * schedule.interval_months)


def first_tracked_period(
    accepted_on: dt.date, tracked_from: dt.date, schedule: Schedule = DEFAULT_SCHEDULE
) -> int:
    """The first period whose due date is on or after ``tracked_from``.

    A member accepted through an application is tracked from acceptance (period 0). A pilot
    participant migrated years after acceptance filed its earlier letters in the legacy system:
    ctpat tracks it from the migration on.
    """
    period = 0
    while due_date(accepted_on, period, schedule) < tracked_from:
        period += 1
    return period


def period_for_date(
    accepted_on: dt.date, on: dt.date, schedule: Schedule = DEFAULT_SCHEDULE
) -> int:
    """The period whose due date is the first on or after ``on``."""
    return first_tracked_period(accepted_on, on, schedule)


def filing_opens_on(due_on: dt.date, schedule: Schedule = DEFAULT_SCHEDULE) -> dt.date:
    return due_on - dt.timedelta(days=schedule.window_days)


def grace_ends_on(due_on: dt.date, schedule: Schedule = DEFAULT_SCHEDULE) -> dt.date:
    """The last day an unfiled letter is overdue without the suspension path starting."""
    return due_on + dt.timedelta(days=schedule.grace_days)


def reminder_due(
    due_on: dt.date, today: dt.date, schedule: Schedule = DEFAULT_SCHEDULE
) -> int | None:
    """The reminder (days before due) to send today for an unfiled letter, or None.

    The nearest offset already reached: 25 days before the due date that is the 30-day
    reminder, so a job that missed a day catches up with one reminder, not a burst of them.
    Nothing once the due date has passed (then the letter is overdue).
    """
    days_left = (due_on - today).days
    if days_left < 0:
        return None
    reached = [d for d in schedule.reminder_days if days_left <= d]
    return min(reached) if reached else None


def is_overdue(due_on: dt.date, today: dt.date) -> bool:
    """Overdue from the day after the due date (filing on the due date is on time)."""
    return today > due_on


def suspension_due(due_on: dt.date, today: dt.date, schedule: Schedule = DEFAULT_SCHEDULE) -> bool:
    """Whether an unfiled letter is past the grace period: the suspension path starts."""
    return today > grace_ends_on(due_on, schedule)


def period_status(
    due_on: dt.date,
    today: dt.date,
    filed_on: dt.date | None,
    schedule: Schedule = DEFAULT_SCHEDULE,
) -> str:
    """upcoming / due_soon / overdue / filed_on_time / filed_late for one period.

    ``filed_on`` is the day the letter was first filed (a letter CBP returns for corrections
    was still filed that day).
    """
    if filed_on is not None:
        return "filed_on_time" if filed_on <= due_on else "filed_late"
    if is_overdue(due_on, today):
        return "overdue"
    if today >= filing_opens_on(due_on, schedule):
        return "due_soon"
    return "upcoming"


def may_file(due_on: dt.date, today: dt.date, schedule: Schedule = DEFAULT_SCHEDULE) -> bool:
    """A letter can be filed from the opening of its window on (late filing stays possible)."""
    return today >= filing_opens_on(due_on, schedule)

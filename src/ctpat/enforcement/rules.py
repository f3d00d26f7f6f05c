"""Rules of suspension answers and appeals, as pure functions (no database, settings or clock).

Appeal windows are statute (6 U.S.C. 967(c), DOMAIN.md §7.1 [V]); the suspension response window
is a policy default ([S] consultant source, DOMAIN.md §7.2) passed in by the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ctpat.partners.rules import Decision

from .choices import AppealBasis, AppealOutcome, DecisionKind

# source: 6 U.S.C. 967(c)(1) "not later than 90 days after the date of the decision" [V]
APPEAL_FILING_DAYS_BENEFITS = 90
# source: 6 U.S.C. 967(c)(2) "not later than 30 days after the date of the decision" [V]
APPEAL_FILING_DAYS_FALSE_INFORMATION = 30
# source: 6 U.S.C. 967(c)(1) and (2) "not later than 180 days after the appeal is filed" [V]
APPEAL_DECISION_DAYS = 180
# Product default of CTPAT_APPEAL_REMINDER_DAYS: remind CBP 30 and 7 days before the limit.
APPEAL_REMINDER_DAYS: tuple[int, ...] = (30, 7)


@dataclass(frozen=True)
class Citation:
    """A public source as users see it: title, publisher, date, link."""

    title: str
    publisher: str
    date: str
    url: str

    def __str__(self) -> str:
        return f"{self.title}, {self.publisher}, {self.date}, {self.url}"


STATUTE_967 = Citation(
    title="6 U.S.C. § 967, Consequences for lack of compliance (SAFE Port Act of 2006, § 217, "
    "Pub. L. 109-347)",
    publisher="U.S. Code, 2011 edition, via Justia",
    date="2011",
    url="https://law.justia.com/codes/us/2011/title-6/chapter-3/subchapter-ii/part-b/section-967/",
)
SUSPENSION_PRACTICE = Citation(
    title="US Customs outlines C-TPAT enforcement and appeal rules",
    publisher="Truck News",
    date="2013",
    url="https://www.trucknews.com/transportation/us-customs-outlines-c-tpat-enforcement-and-"
    "appeal-rules/1003130318/",
)
# The response window (CTPAT_SUSPENSION_RESPONSE_DAYS) has no public CBP source: DOMAIN.md §7.2
# found it only on a consultant's site, which users are not shown (core.citations), so the UI
# calls it a policy choice without citing it.

_PARAGRAPH = {
    AppealBasis.BENEFITS: "6 U.S.C. 967(c)(1)",
    AppealBasis.FALSE_INFORMATION: "6 U.S.C. 967(c)(2)",
}


def appeal_basis(*, false_information: bool) -> str:
    """Suspension or expulsion for false information → 967(b); any other → 967(a)."""
    return AppealBasis.FALSE_INFORMATION if false_information else AppealBasis.BENEFITS


def filing_days(basis: str) -> int:
    if basis == AppealBasis.FALSE_INFORMATION:
        return APPEAL_FILING_DAYS_FALSE_INFORMATION
    return APPEAL_FILING_DAYS_BENEFITS


def filing_deadline(decision_date: dt.date, basis: str) -> dt.date:
    """The last day an appeal of a decision dated `decision_date` may be filed."""
    return decision_date + dt.timedelta(days=filing_days(basis))


def statute_paragraph(basis: str) -> str:
    return _PARAGRAPH[basis]


def filing_decision(*, decision_date: dt.date, basis: str, today: dt.date) -> Decision:
    """May an appeal be filed today? Late filing is refused with the rule cited."""
    if today < decision_date:
        return Decision.refuse("before_decision", "An appeal cannot be filed before the decision.")
    deadline = filing_deadline(decision_date, basis)
    if today > deadline:
        return Decision.refuse(
            "appeal_too_late",
            f"An appeal of this decision had to be filed within {filing_days(basis)} days of "
            f"the decision ({decision_date.isoformat()}), so by {deadline.isoformat()}; it is "
            f"now too late ({statute_paragraph(basis)}; {STATUTE_967.url}).",
        )
    return Decision.ok(
        f"An appeal may be filed until {deadline.isoformat()} ({statute_paragraph(basis)})."
    )


def decision_due(filed_on: dt.date) -> dt.date:
    """The day by which CBP must decide an appeal filed on `filed_on`."""
    return filed_on + dt.timedelta(days=APPEAL_DECISION_DAYS)


def days_left(due: dt.date, today: dt.date) -> int:
    """Days until `due` (0 on the day itself, negative when past)."""
    return (due - today).days


def reminder_due(
    *, due: dt.date, today: dt.date, offsets: Iterable[int], sent: Iterable[int]
) -> int | None:
    """The reminder offset to send today, if any: the most urgent one reached and not yet sent.

    A job that missed days sends one reminder (the most urgent), not a burst of them.
    """
    left = days_left(due, today)
    reached = [o for o in offsets if left <= o]
    if not reached:
        return None
    most_urgent = min(reached)
    return None if most_urgent in set(sent) else most_urgent


def offsets_covered(offset: int, offsets: Iterable[int]) -> list[int]:
    """Sending reminder `offset` also covers every earlier (larger) offset."""
    return sorted({o for o in offsets if o >= offset})


def parse_reminder_days(text: str) -> tuple[int, ...]:
    """ "30,7" → (30, 7); ValueError on anything but positive whole numbers."""
    days = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        value = int(part)
        if value <= 0:
            raise ValueError(f"Reminder days must be positive, not {value}.")
        days.append(value)
    return tuple(sorted(set(days), reverse=True))


def answer_window_decision(*, response_due: dt.date, today: dt.date) -> Decision:
    """May the suspended member still answer? Through `response_due` inclusive."""
    if today > response_due:
        return Decision.refuse(
            "response_window_closed",
            f"The time to answer this suspension ended on {response_due.isoformat()}.",
        )
    return Decision.ok(f"The member may answer until {response_due.isoformat()}.")


def reversed_target(
    *,
    decision_kind: str,
    status_before_suspension: str | None,
    status_before_removal: str | None,
) -> str | None:
    """The status a reversed decision restores: the one held before it."""
    if decision_kind == DecisionKind.SUSPENSION:
        return status_before_suspension or None
    return status_before_removal or None


def outcome_target(
    *,
    outcome: str,
    decision_kind: str,
    status_before_suspension: str | None,
    status_before_removal: str | None,
    chosen: str | None,
) -> str | None:
    """The status an appeal outcome sets: None for upheld (nothing moves)."""
    if outcome == AppealOutcome.UPHELD:
        return None
    if outcome == AppealOutcome.REVERSED:
        return reversed_target(
            decision_kind=decision_kind,
            status_before_suspension=status_before_suspension,
            status_before_removal=status_before_removal,
        )
    return chosen or None

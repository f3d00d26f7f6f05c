"""Rules of the security profile and its annual review, as pure functions.

Plain values in (answers from ``choices.Answer``, ``criteria.rules.Period`` tuples, dates), plain
values out: no database, no settings, no clock — callers pass the date. Tags follow DOMAIN.md
([V] seen verbatim, [I] inferred/secondary, [K] background knowledge — confirm before relying).

* A **must-gap** is a criterion that is a Must on the relevant date and is answered No or not
  answered at all; a profile with a must-gap cannot be submitted.
* A **should-gap** is a Should answered No: shown, not blocking.
* The relevant date is the day the profile is looked at or submitted: MSC 3.9 (forced labor) is a
  Should until 2022-12-31 and a Must from 2023-01-01 (criteria.rules.FORCED_LABOR_3_9_MUST_FROM).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from ctpat.criteria import rules as criteria_rules
from ctpat.criteria.choices import Level
from ctpat.partners import rules as partner_rules

from .choices import Answer, GapKind, GapReason

# --- Constants -----------------------------------------------------------------------------------

# source: DOMAIN.md §3.2 / §6 item 3 — the answer enum {No, Yes, Yes–Best Practice, N/A} [V].
ANSWER_VALUES: frozenset[str] = frozenset(Answer.values)
# Answers that say the criterion is met (a Yes – best practice is a Yes and more, DOMAIN.md §3.2).
MET_ANSWERS: frozenset[str] = frozenset({Answer.YES, Answer.YES_BEST_PRACTICE})
# An N/A to a criterion listed for the company's entity type is an exception the SCSS must be able
# to judge, so it needs the company's explanation [K] (our rule; DOMAIN.md §1.1 lists criteria per
# entity type, so "not applicable" is the company's claim, not the catalog's).
NARRATIVE_REQUIRED_ANSWERS: frozenset[str] = frozenset({Answer.NOT_APPLICABLE})
# Field limits (not program rules; DOMAIN.md gives none): long enough for a paragraph of evidence.
NARRATIVE_MAX_LENGTH = 5000
RETURN_REASON_MAX_LENGTH = 5000
# The annual risk assessment's texts and the assessor's name (field limits, as above).
RISK_TEXT_MAX_LENGTH = 5000
ASSESSED_BY_MAX_LENGTH = 200
# The risk assessment that starts the review must be this year's: at most this many days before
# the window opens. DOMAIN.md §3.1 "begins with an annual risk assessment"; MSC 2.3 "reviewed
# annually" (§1.2) [I] — our reading of "annual", configurable here.
RISK_ASSESSMENT_MAX_AGE_DAYS = 365

# source: CTPAT Portal User Manual 2016 + normanjaspanassociates.com (DOMAIN.md §3.1) [V]: the
# review window opens 90 days before the anniversary — partners.rules owns the number.
ANNUAL_REVIEW_WINDOW_DAYS = partner_rules.ANNUAL_REVIEW_WINDOW_DAYS
# source: normanjaspanassociates.com/ctpat-suspension-and-removal (DOMAIN.md §3.1): "no annual
# review" is a reason for suspension; 90 days to respond — partners.rules owns the number.
SUSPENSION_RESPONSE_DAYS = partner_rules.SUSPENSION_RESPONSE_DAYS
# Members with a certification (and so an anniversary): Tier I–III (DOMAIN.md §3.1).
REVIEWED_STATUSES: frozenset[str] = frozenset(partner_rules.TIER_BY_STATUS)


# source: DOMAIN.md §3.1 — a removed company is out of the program and a withdrawn one cannot
# reapply for a year: neither keeps a security profile up to date (suspended members do, to
# answer the suspension letter).
LEFT_PROGRAM_STATUSES: frozenset[str] = frozenset({"removed", "withdrawn"})


def profile_accepts_changes(partner_status: str) -> bool:
    """Whether a company in ``partner_status`` may still answer or submit its profile."""
    return partner_status not in LEFT_PROGRAM_STATUSES


# --- Answers -------------------------------------------------------------------------------------


def answer_problems(answer: str, narrative: str) -> dict[str, str]:
    """Field -> reason the answer cannot be saved (empty when it can)."""
    problems = {}
    if answer not in ANSWER_VALUES:
        problems["answer"] = "Choose Yes, Yes – best practice, No or Not applicable."
    narrative = narrative or ""
    if len(narrative) > NARRATIVE_MAX_LENGTH:
        problems["narrative"] = (
            f"The narrative can be at most {NARRATIVE_MAX_LENGTH} characters long "
            f"(it has {len(narrative)})."
        )
    elif answer in NARRATIVE_REQUIRED_ANSWERS and not narrative.strip():
        problems["narrative"] = "Say why this criterion does not apply to your company."
    return problems


# --- Gaps ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionAnswer:
    """One applicable criterion with its requirement periods and the answer given (or None)."""

    msc_id: str
    periods: tuple[criteria_rules.Period, ...]
    answer: str | None


@dataclass(frozen=True)
class Gap:
    msc_id: str
    kind: str  # GapKind
    reason: str  # GapReason
    level: str  # Level on the relevant date
    on_date: dt.date

    @property
    def kind_label(self) -> str:
        return str(GapKind(self.kind).label)

    @property
    def message(self) -> str:
        level = criteria_rules.LEVEL_LABEL[self.level]
        return (
            f"{self.msc_id} ({level} on {self.on_date.isoformat()}) is "
            f"{GapReason(self.reason).label}."
        )

    def as_dict(self) -> dict:
        return {
            "msc_id": self.msc_id,
            "kind": self.kind,
            "reason": self.reason,
            "level": self.level,
            "on_date": self.on_date.isoformat(),
            "message": self.message,
        }


def criterion_gap(item: CriterionAnswer, on_date: dt.date) -> Gap | None:
    """The gap ``item`` leaves on ``on_date``, or None.

    Must answered No or unanswered: must-gap. Should answered No: should-gap. A criterion that
    does not apply on that date leaves no gap. source: DOMAIN.md §1.1 ("Must" required, "Should"
    recommended, bsigroup.com) and §6 item 1 (levels have effective dates).
    """
    level = criteria_rules.requirement_level(item.periods, on_date)
    if level is None:
        return None
    if level == Level.MUST and item.answer in (None, Answer.NO):
        reason = GapReason.UNANSWERED if item.answer is None else GapReason.ANSWERED_NO
        return Gap(item.msc_id, GapKind.MUST, reason, level, on_date)
    if level == Level.SHOULD and item.answer == Answer.NO:
        return Gap(item.msc_id, GapKind.SHOULD, GapReason.ANSWERED_NO, level, on_date)
    return None


@dataclass(frozen=True)
class Assessment:
    """Completeness and gaps of a profile on a date."""

    on_date: dt.date
    applicable: int
    answered: int
    must_gaps: tuple[Gap, ...] = field(default_factory=tuple)
    should_gaps: tuple[Gap, ...] = field(default_factory=tuple)

    @property
    def percent(self) -> int:
        # Nothing to assess is not 100% done (DOMAIN.md §7.6).
        return 0 if not self.applicable else (100 * self.answered) // self.applicable

    @property
    def complete(self) -> bool:
        return self.applicable > 0 and self.answered >= self.applicable

    @property
    def nothing_to_assess(self) -> bool:
        """No criterion of the company's entity type is in force: there is nothing to assess,
        and nothing to assess is not a pass (DOMAIN.md §7.6)."""
        return self.applicable == 0

    @property
    def can_submit(self) -> bool:
        return not self.must_gaps and not self.nothing_to_assess


def assess(items: Iterable[CriterionAnswer], on_date: dt.date) -> Assessment:
    """Answered / applicable and the must- and should-gaps on ``on_date``, in criterion order.

    Applicable = the criteria in force (must or should) on that date; the caller has already kept
    only those listed for the company's entity type (criteria.rules.applies_to).
    """
    items = sorted(items, key=lambda i: criteria_rules.msc_sort_key(i.msc_id))
    in_force = [i for i in items if criteria_rules.requirement_level(i.periods, on_date)]
    gaps = [g for g in (criterion_gap(i, on_date) for i in in_force) if g is not None]
    return Assessment(
        on_date=on_date,
        applicable=len(in_force),
        answered=sum(1 for i in in_force if i.answer is not None),
        must_gaps=tuple(g for g in gaps if g.kind == GapKind.MUST),
        should_gaps=tuple(g for g in gaps if g.kind == GapKind.SHOULD),
    )


def nothing_to_assess_message(entity_type_label: str) -> str:
    """Why a profile with no applicable criteria cannot be submitted (DOMAIN.md §7.6)."""
    return (
        "The profile cannot be submitted: no Minimum Security Criteria are loaded for "
        f"{entity_type_label} members yet, so there is nothing to assess. CBP publishes each "
        "business entity type's criteria in the CTPAT Public Library; once CBP loads your "
        "type's table here, answer its criteria and submit."
    )


def must_gap_message(gaps: Iterable[Gap]) -> str:
    gaps = list(gaps)
    ids = ", ".join(g.msc_id for g in gaps)
    return (
        f"The profile cannot be submitted: {len(gaps)} Must criteri"
        f"{'on is' if len(gaps) == 1 else 'a are'} answered No or not answered ({ids}). "
        "Answer them Yes (with evidence) or fix the gap first."
    )


# --- Annual review -------------------------------------------------------------------------------


def review_window_for(anniversary: dt.date) -> tuple[dt.date, dt.date]:
    """(opens, closes) of the review for ``anniversary``: 90 days before it through the day
    itself (DOMAIN.md §3.1 [V])."""
    return anniversary - dt.timedelta(days=ANNUAL_REVIEW_WINDOW_DAYS), anniversary


def counts_as_annual_review(certification_date: dt.date, submitted_on: dt.date) -> bool:
    """Only updates inside the window count as the annual review (DOMAIN.md §3.1 [V])."""
    return partner_rules.review_window_is_open(certification_date, submitted_on)


def previous_anniversary(certification_date: dt.date, today: dt.date) -> dt.date | None:
    """The latest certification anniversary strictly before ``today``; None before the first."""
    years = today.year - certification_date.year
    for n in (years, years - 1):
        if n >= 1:
            candidate = partner_rules.add_years(certification_date, n)
            if candidate < today:
                return candidate
    return None


@dataclass(frozen=True)
class MissedReview:
    anniversary: dt.date
    window_opens: dt.date
    respond_by: dt.date
    response_days: int = SUSPENSION_RESPONSE_DAYS

    @property
    def reason(self) -> str:
        return (
            "Annual security-profile review missed: no review was submitted between "
            f"{self.window_opens.isoformat()} and the certification anniversary "
            f"{self.anniversary.isoformat()}. Only updates inside the "
            f"{ANNUAL_REVIEW_WINDOW_DAYS}-day window count, and a missed annual review is a reason "
            "for suspension. The company may respond within "
            f"{self.response_days} days, by {self.respond_by.isoformat()}."
        )


def missed_annual_review(
    *,
    status: str,
    certification_date: dt.date | None,
    today: dt.date,
    submitted_for_anniversaries: Iterable[dt.date],
    reinstated_on: dt.date | None = None,
    response_days: int = SUSPENSION_RESPONSE_DAYS,
) -> MissedReview | None:
    """Whether the member's last anniversary passed without a review submitted in its window.

    ``submitted_for_anniversaries`` are the anniversaries for which a review was submitted inside
    its window (whatever the SCSS decided later: "approved, or at least submitted"). Only members
    in Tier I–III have an anniversary to keep; the suspension path is DOMAIN.md §3.1.
    ``reinstated_on`` is the member's last return from suspension: a member reinstated after the
    anniversary has answered for that miss (the 90-day response, §3.1) and is not suspended for
    it again; the next anniversary counts afresh.
    """
    if status not in REVIEWED_STATUSES or certification_date is None:
        return None
    anniversary = previous_anniversary(certification_date, today)
    if anniversary is None or anniversary in set(submitted_for_anniversaries):
        return None
    if reinstated_on is not None and reinstated_on > anniversary:
        return None
    opens, _ = review_window_for(anniversary)
    return MissedReview(
        anniversary=anniversary,
        window_opens=opens,
        respond_by=partner_rules.suspension_response_deadline(today, response_days),
        response_days=response_days,
    )

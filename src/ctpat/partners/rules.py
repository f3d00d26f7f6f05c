"""Membership rules of the CTPAT Security program, as pure functions.

Everything here takes plain values (strings from `choices.py`, `datetime.date`) and returns plain
values or a `Decision` with human reasons. No database, no settings, no clock: callers pass
`today`. Every number is a named constant citing where DOMAIN.md found it; tags follow DOMAIN.md
([V] seen verbatim, [I] inferred/secondary, [K] background knowledge — confirm before relying).

Reasons are plain English sentences (not translated) so the rules run without Django settings.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from ctpat.partners.choices import EntityType, ExitGround, IdentifierKind, MembershipStatus

# --- Constants -----------------------------------------------------------------------------------

# source: normanjaspanassociates.com "C-TPAT Certification" (SCSS review up to 90 days), DOMAIN §3.1
APPLICANT_REVIEW_DAYS = 90
# source: normanjaspanassociates.com "C-TPAT Certification" (profile within 30 days), DOMAIN §3.1
SECURITY_PROFILE_DUE_DAYS = 30
# source: CTPAT Portal User Manual 2016 (issuu) + normanjaspanassociates.com, DOMAIN.md §3.1 [V]
ANNUAL_REVIEW_WINDOW_DAYS = 90
# source: internationaltradetoday.com 2019/12/18 "four-year validation cycle" [V]; 6 USC §969 [K]
REVALIDATION_CYCLE_YEARS = 4
# source: SAFE Port Act §965 (6 U.S.C. 965) "not later than 1 year after certification", DOMAIN §3.1
VALIDATION_TARGET_YEARS = 1
# source: normanjaspanassociates.com/ctpat-suspension-and-removal (consultant) [S], DOMAIN.md §7.2;
# the default of the CTPAT_SUSPENSION_RESPONSE_DAYS setting, passed in as `response_days`.
SUSPENSION_RESPONSE_DAYS = 90
# Waits before reapplying, per exit ground (DOMAIN.md §7.2); defaults of the
# CTPAT_REAPPLY_WAIT_* settings, passed in as `waits` (see `ReapplyWaits`).
# source: normanjaspanassociates.com "Once withdrawn ... cannot reapply for one year" [S] — said
# of a member withdrawn after it did not answer a suspension.
WITHDRAWN_REAPPLY_WAIT_YEARS = 1
# [NV] veroot.com: a voluntary withdrawal needs "a full re-evaluation as a new applicant", no wait
# stated — so no wait by default (policy choice).
VOLUNTARY_WITHDRAWAL_REAPPLY_WAIT_YEARS = 0
# [NV] no waiting period after removal found (DOMAIN.md §7.2) — policy choice.
REMOVED_REAPPLY_WAIT_YEARS = 0
# [NV] 6 U.S.C. 967(b) says only "for an appropriate period of time"; no number is published.
# Policy choice: the one waiting period any source names for this program (one year).
FALSE_INFORMATION_REAPPLY_WAIT_YEARS = 1

# source: CBP launched C-TPAT in November 2001 [K]; no status can be dated before it.
PROGRAM_START = dt.date(2001, 11, 1)

# source: SAFE Port Act §§964-966 (6 U.S.C. 964-966) Tier 1/2/3, DOMAIN.md §3.1 [V]
TIER_BY_STATUS: dict[str, int] = {
    MembershipStatus.CERTIFIED: 1,
    MembershipStatus.VALIDATED: 2,
    MembershipStatus.TIER_III: 3,
}

_S = MembershipStatus

# The explicit state machine. Anything not listed is illegal (including staying put).
LEGAL_TRANSITIONS: dict[str, frozenset[str]] = {
    _S.PRE_APPLICANT: frozenset(
        {
            # Company + security profile submitted for SCSS review (normanjaspanassociates, §3.1).
            _S.APPLICANT,
            # A company may walk away at any stage [K].
            _S.WITHDRAWN,
        }
    ),
    _S.APPLICANT: frozenset(
        {
            # Profile approved + vetting passed → certified (normanjaspanassociates, §3.1).
            _S.CERTIFIED,
            # SCSS returns/rejects the profile for rework (SCSS approves/rejects, §3.1) [I].
            _S.PRE_APPLICANT,
            _S.WITHDRAWN,  # [K]
        }
    ),
    _S.CERTIFIED: frozenset(
        {
            # Validation done → Tier 2 (SAFE Port Act §965, §3.1).
            _S.VALIDATED,
            # Suspension reasons: agreement, MSC, vetting, breach, validation, no annual review
            # (normanjaspanassociates.com/ctpat-suspension-and-removal, §3.1).
            _S.SUSPENDED,
            _S.WITHDRAWN,  # [K]
        }
    ),
    # No validated → certified edge: DOMAIN.md §3.1 lists "poor validation" as a ground for
    # suspension, so a failed (re)validation goes through `suspended`, not a silent downgrade.
    _S.VALIDATED: frozenset(
        {
            # Exceeds the criteria / Best Practices Framework (SAFE Port Act §966; scanassociation).
            _S.TIER_III,
            _S.SUSPENDED,  # as for certified
            _S.WITHDRAWN,  # [K]
        }
    ),
    _S.TIER_III: frozenset(
        {
            # Tier 3 benefits withdrawn when best practices are no longer met [K]; reason required.
            _S.VALIDATED,
            _S.SUSPENDED,  # as for certified
            _S.WITHDRAWN,  # [K]
        }
    ),
    _S.SUSPENDED: frozenset(
        {
            # Reinstatement after a satisfactory response within 90 days (normanjaspanassociates);
            # only to the status held before suspension — checked by transition_decision [I].
            _S.CERTIFIED,
            _S.VALIDATED,
            _S.TIER_III,
            # No or unsatisfactory response → removal (normanjaspanassociates, §3.1).
            _S.REMOVED,
            _S.WITHDRAWN,  # [K]
        }
    ),
    _S.REMOVED: frozenset(
        {
            # Reapply as a new applicant [K]; REMOVED_REAPPLY_WAIT_YEARS applies.
            _S.PRE_APPLICANT,
        }
    ),
    _S.WITHDRAWN: frozenset(
        {
            # Reapply, not before 1 year after withdrawal (normanjaspanassociates, §3.1).
            _S.PRE_APPLICANT,
        }
    ),
}

# Targets that always need a written reason (the audit event records it).
REASON_REQUIRED_TARGETS: frozenset[str] = frozenset({_S.SUSPENDED, _S.REMOVED, _S.WITHDRAWN})
# Specific moves that need a reason besides those targets (tier lowering is computed).
REASON_REQUIRED_TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {(_S.APPLICANT, _S.PRE_APPLICANT)}
)

# Immediate removal in aggravated circumstances, from any status (a CBP program admin's decision
# with a written reason), outside the ordinary machine and its 90-day response window.
# source: CBP informational notice reported by Warren News 2009-09-09, "In certain aggravated
# circumstances companies may be immediately removed from the program" (DOMAIN.md §7.2).
IMMEDIATE_REMOVAL_FROM: frozenset[str] = frozenset(s for s in _S.values if s != _S.REMOVED)

# Moves that only an appeal decision may make (6 U.S.C. 967(c)); `appeal_targets` narrows them
# to the status held before the decision, or a lower one CBP picks (a "modified" decision).
APPEAL_TRANSITIONS: dict[str, frozenset[str]] = {
    # A reversed or modified suspension: reinstated to the prior tier or a lower one.
    _S.SUSPENDED: frozenset({_S.CERTIFIED, _S.VALIDATED, _S.TIER_III}),
    # A reversed or modified removal: back to the status before removal (suspended included),
    # or a lower tier.
    _S.REMOVED: frozenset(s for s in _S.values if s != _S.REMOVED),
}

_STATUS_NAMES: dict[str, str] = {
    _S.PRE_APPLICANT: "pre-applicant",
    _S.APPLICANT: "applicant",
    _S.CERTIFIED: "certified (Tier I)",
    _S.VALIDATED: "validated (Tier II)",
    _S.TIER_III: "Tier III",
    _S.SUSPENDED: "suspended",
    _S.REMOVED: "removed",
    _S.WITHDRAWN: "withdrawn",
}

_REASON_VERBS: dict[str, str] = {
    _S.SUSPENDED: "suspending the membership",
    _S.REMOVED: "removing the company from the program",
    _S.WITHDRAWN: "the withdrawal",
}


# --- Decision ------------------------------------------------------------------------------------


class DecisionCode(StrEnum):
    """Stable machine codes carried by `Decision.code` (API error codes)."""

    OK = "ok"
    UNKNOWN_STATUS = "unknown_status"
    NO_CHANGE = "no_change"
    ILLEGAL_TRANSITION = "illegal_transition"
    REASON_REQUIRED = "reason_required"
    PRIOR_STATUS_UNKNOWN = "prior_status_unknown"
    REINSTATEMENT_STATUS_MISMATCH = "reinstatement_status_mismatch"
    DATE_REQUIRED = "date_required"
    REAPPLY_TOO_SOON = "reapply_too_soon"
    RESPONSE_WINDOW_OPEN = "response_window_open"
    UNKNOWN_ENTITY_TYPE = "unknown_entity_type"
    MISSING_IDENTIFIERS = "missing_identifiers"
    IMMEDIATE_REMOVAL_ONLY = "immediate_removal_only"
    ALREADY_REMOVED = "already_removed"
    APPEAL_TARGET_NOT_ALLOWED = "appeal_target_not_allowed"


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of a rule: allowed or not, why, and a stable machine code."""

    allowed: bool
    reasons: tuple[str, ...]
    code: str

    @classmethod
    def ok(cls, *reasons: str) -> Decision:
        return cls(allowed=True, reasons=tuple(reasons), code=DecisionCode.OK.value)

    @classmethod
    def refuse(cls, code: str, *reasons: str) -> Decision:
        return cls(allowed=False, reasons=tuple(reasons), code=str(code))


# --- Dates ---------------------------------------------------------------------------------------


def add_months(d: dt.date, n: int) -> dt.date:
    """`d` plus `n` calendar months, clamped to the month's last day (Jan 31 + 1 → Feb 28/29)."""
    year, month0 = divmod(d.year * 12 + d.month - 1 + n, 12)
    month = month0 + 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def add_years(d: dt.date, n: int) -> dt.date:
    """`d` plus `n` calendar years; Feb 29 becomes Feb 28 in a non-leap target year."""
    return add_months(d, 12 * n)


def anniversary_date(certification_date: dt.date, today: dt.date) -> dt.date:
    """The next anniversary of certification on or after `today` (today itself if it is one).

    Each anniversary is computed from the certification date, not from the previous
    anniversary, so a 2020-02-29 certification falls on Feb 28 in 2021-2023 and Feb 29 in 2024.
    """
    years = max(1, today.year - certification_date.year)
    candidate = add_years(certification_date, years)
    if candidate < today:
        candidate = add_years(certification_date, years + 1)
    return candidate


def review_window(certification_date: dt.date, today: dt.date) -> tuple[dt.date, dt.date]:
    """(opens, closes) of the annual security-profile review for the upcoming anniversary."""
    closes = anniversary_date(certification_date, today)
    return closes - dt.timedelta(days=ANNUAL_REVIEW_WINDOW_DAYS), closes


def review_window_is_open(certification_date: dt.date, today: dt.date) -> bool:
    """True from the opening day through the anniversary itself, both inclusive."""
    opens, closes = review_window(certification_date, today)
    return opens <= today <= closes


def revalidation_due(last_validation_date: dt.date) -> dt.date:
    """Date by which the next validation is due (four-year cycle)."""
    return add_years(last_validation_date, REVALIDATION_CYCLE_YEARS)


def validation_target_date(certification_date: dt.date) -> dt.date:
    """Statutory target for the first validation ("to the extent practicable")."""
    return add_years(certification_date, VALIDATION_TARGET_YEARS)


def suspension_response_deadline(
    suspended_on: dt.date, response_days: int = SUSPENSION_RESPONSE_DAYS
) -> dt.date:
    """Last day to answer a suspension letter dated `suspended_on`."""
    return suspended_on + dt.timedelta(days=response_days)


def applicant_review_deadline(applied_on: dt.date) -> dt.date:
    """Day by which the SCSS review of an application should be finished."""
    return applied_on + dt.timedelta(days=APPLICANT_REVIEW_DAYS)


def security_profile_deadline(company_profile_submitted_on: dt.date) -> dt.date:
    """Day by which the security profile must follow the company profile."""
    return company_profile_submitted_on + dt.timedelta(days=SECURITY_PROFILE_DUE_DAYS)


# --- Clocks shown to people (dashboards) ---------------------------------------------------------

# Policy choice [NV]: how far ahead CBP's work queue and a member's dashboard flag a (re)validation
# as coming due — one annual-review window's length, so both clocks read alike.
VALIDATION_HORIZON_DAYS = ANNUAL_REVIEW_WINDOW_DAYS
# Policy choice [NV]: an SCSS review deadline (APPLICANT_REVIEW_DAYS) is flagged "due soon" in its
# last two weeks.
APPLICANT_REVIEW_DUE_SOON_DAYS = 14


class Urgency(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    LATER = "later"


@dataclass(frozen=True, slots=True)
class Clock:
    """A due date seen on ``today``: days left (negative once past) and how urgent it is."""

    due: dt.date
    days_left: int
    urgency: Urgency

    @property
    def overdue(self) -> bool:
        return self.urgency is Urgency.OVERDUE


def days_until(day: dt.date, today: dt.date) -> int:
    """Whole days from ``today`` to ``day``: 0 on the day itself, negative once it has passed."""
    return (day - today).days


def clock(due: dt.date, today: dt.date, *, due_soon_days: int) -> Clock:
    """Overdue from the day after ``due`` (the due day itself is still on time, as for every
    CBP deadline here); due soon from ``due_soon_days`` before ``due`` through the due day."""
    left = days_until(due, today)
    if left < 0:
        urgency = Urgency.OVERDUE
    elif left <= due_soon_days:
        urgency = Urgency.DUE_SOON
    else:
        urgency = Urgency.LATER
    return Clock(due=due, days_left=left, urgency=urgency)


@dataclass(frozen=True, slots=True)
class NextValidation:
    due: dt.date
    kind: str  # "Revalidation" or "First validation"


def next_validation(
    *, last_validation_date: dt.date | None, certification_date: dt.date | None
) -> NextValidation | None:
    """The member's next validation: a revalidation 4 years after the last one (6 U.S.C. 969
    [K]), else the first, 1 year after certification (SAFE Port Act §965); None before either."""
    if last_validation_date:
        return NextValidation(revalidation_due(last_validation_date), "Revalidation")
    if certification_date:
        return NextValidation(validation_target_date(certification_date), "First validation")
    return None


# --- Exits and reapplication ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReapplyWaits:
    """Years a company waits before reapplying, per exit ground (settings, passed in)."""

    suspension_unanswered: int = WITHDRAWN_REAPPLY_WAIT_YEARS
    voluntary_withdrawal: int = VOLUNTARY_WITHDRAWAL_REAPPLY_WAIT_YEARS
    removal: int = REMOVED_REAPPLY_WAIT_YEARS
    false_information: int = FALSE_INFORMATION_REAPPLY_WAIT_YEARS

    def years_for(self, ground: str) -> int:
        return {
            ExitGround.SUSPENSION_UNANSWERED: self.suspension_unanswered,
            ExitGround.VOLUNTARY_WITHDRAWAL: self.voluntary_withdrawal,
            ExitGround.REMOVAL: self.removal,
            ExitGround.FALSE_INFORMATION: self.false_information,
        }[ground]


def default_reapply_waits() -> ReapplyWaits:
    """The module's defaults, read when called (so a changed constant takes effect)."""
    return ReapplyWaits(
        suspension_unanswered=WITHDRAWN_REAPPLY_WAIT_YEARS,
        voluntary_withdrawal=VOLUNTARY_WITHDRAWAL_REAPPLY_WAIT_YEARS,
        removal=REMOVED_REAPPLY_WAIT_YEARS,
        false_information=FALSE_INFORMATION_REAPPLY_WAIT_YEARS,
    )


# Which waits a public source states ([S] secondary); the others are policy choices ([NV]).
REAPPLY_WAIT_SOURCED: dict[str, bool] = {
    ExitGround.SUSPENSION_UNANSWERED: True,
    ExitGround.VOLUNTARY_WITHDRAWAL: False,
    ExitGround.REMOVAL: False,
    ExitGround.FALSE_INFORMATION: False,
}


def exit_ground_for(
    current: str,
    target: str,
    *,
    false_information: bool = False,
    suspension_answered: bool = False,
) -> str:
    """The exit ground recorded with a move out of the program ("" for any other move).

    A withdrawal from a suspension the member did not answer carries the one-year wait
    (DOMAIN.md §7.2: "Once withdrawn, the CPAT member cannot reapply for one year", said of a
    member withdrawn for not answering); a member that answered and then withdraws, like any
    other withdrawal, withdraws voluntarily. A removal for knowingly false or misleading
    information is an expulsion under 6 U.S.C. 967(b).
    """
    if target == _S.WITHDRAWN:
        if current == _S.SUSPENDED and not suspension_answered:
            return ExitGround.SUSPENSION_UNANSWERED
        return ExitGround.VOLUNTARY_WITHDRAWAL
    if target == _S.REMOVED:
        return ExitGround.FALSE_INFORMATION if false_information else ExitGround.REMOVAL
    return ""


def reapply_allowed_on(
    exited_on: dt.date, wait_years: int = WITHDRAWN_REAPPLY_WAIT_YEARS
) -> dt.date:
    """First day a company that left on `exited_on` may reapply after `wait_years`."""
    return add_years(exited_on, wait_years)


def reapply_after_removal_allowed_on(removed_on: dt.date) -> dt.date:
    """First day a removed company may reapply (same day while no wait is configured)."""
    return add_years(removed_on, REMOVED_REAPPLY_WAIT_YEARS)


def _exit_ground_or_default(current: str, exit_ground: str | None) -> str:
    """Records from before exit grounds were kept: a withdrawal keeps the one-year wait it had,
    a removal the removal wait."""
    if exit_ground:
        return exit_ground
    return ExitGround.SUSPENSION_UNANSWERED if current == _S.WITHDRAWN else ExitGround.REMOVAL


# --- Membership status ---------------------------------------------------------------------------


def tier_for_status(status: str) -> int | None:
    """1, 2 or 3 for certified, validated and Tier III; None for every other status."""
    return TIER_BY_STATUS.get(status)


def _name(status: str) -> str:
    return _STATUS_NAMES.get(status, repr(status))


def status_name(status: str) -> str:
    """The status in words, for messages ("validated (Tier II)")."""
    return _name(status)


def _ordered(statuses: Iterable[str]) -> list[str]:
    wanted = set(statuses)
    return [s for s in MembershipStatus.values if s in wanted]


def appeal_targets(
    current: str,
    *,
    status_before_suspension: str | None = None,
    status_before_removal: str | None = None,
) -> list[str]:
    """Statuses an appeal decision may set: the status before the decision, or a lower tier.

    A suspension reversed → the tier held before it (or, modified, a lower tier). A removal
    reversed → the status held before removal (suspended too), or, modified, suspended or a tier
    no higher than the one held before. Nothing higher than before: an appeal restores, it
    does not promote.
    """
    if current == _S.SUSPENDED:
        ceiling = tier_for_status(status_before_suspension or "")
        if ceiling is None:
            return []
        return [s for s in _ordered(TIER_BY_STATUS) if TIER_BY_STATUS[s] <= ceiling]
    if current == _S.REMOVED:
        if not status_before_removal:
            return []
        targets = {status_before_removal}
        prior = status_before_removal
        if prior == _S.SUSPENDED:
            prior = status_before_suspension or ""
        ceiling = tier_for_status(prior)
        if ceiling is not None:
            targets.add(_S.SUSPENDED)
            targets.update(s for s, tier in TIER_BY_STATUS.items() if tier <= ceiling)
        return _ordered(targets & APPEAL_TRANSITIONS[_S.REMOVED])
    return []


def reason_required(current: str, target: str) -> bool:
    """Whether moving `current` → `target` needs a written reason (for the UI's form)."""
    if target in REASON_REQUIRED_TARGETS or (current, target) in REASON_REQUIRED_TRANSITIONS:
        return True
    current_tier, target_tier = tier_for_status(current), tier_for_status(target)
    return current_tier is not None and target_tier is not None and target_tier < current_tier


def _reason_phrase(current: str, target: str) -> str:
    if target in _REASON_VERBS:
        return _REASON_VERBS[target]
    if (current, target) == (_S.APPLICANT, _S.PRE_APPLICANT):
        return "returning the application to pre-applicant"
    return f"lowering the tier from {_name(current)} to {_name(target)}"


def _window_problem(
    current: str, target: str, today: dt.date, suspended_on: dt.date, response_days: int
) -> tuple[str, str] | None:
    deadline = suspension_response_deadline(suspended_on, response_days)
    if today > deadline:
        return None
    what = "removed" if target == _S.REMOVED else "withdrawn"
    return (
        DecisionCode.RESPONSE_WINDOW_OPEN,
        f"A suspended member has {response_days} days to respond: suspended on "
        f"{suspended_on.isoformat()}, so it cannot be {what} before "
        f"{(deadline + dt.timedelta(days=1)).isoformat()} unless it has answered. Reinstate it if "
        "its response is accepted; a program admin may remove it immediately in aggravated "
        "circumstances.",
    )


def _reapply_problems(
    current: str,
    *,
    today: dt.date,
    exited_on: dt.date | None,
    exit_ground: str | None,
    waits: ReapplyWaits,
) -> list[tuple[str, str]]:
    ground = _exit_ground_or_default(current, exit_ground)
    years = waits.years_for(ground)
    if not years:
        return []
    label = ExitGround(ground).label
    if exited_on is None:
        what = "withdrawal" if current == _S.WITHDRAWN else "removal"
        return [
            (
                DecisionCode.DATE_REQUIRED,
                f"The {what} date is not recorded, so the wait before reapplying cannot be "
                "checked.",
            )
        ]
    earliest = reapply_allowed_on(exited_on, years)
    if today >= earliest:
        return []
    verb = "withdrawn" if current == _S.WITHDRAWN else "removed"
    policy = "" if REAPPLY_WAIT_SOURCED[ground] else " (a policy choice)"
    return [
        (
            DecisionCode.REAPPLY_TOO_SOON,
            f"A company that left the program ({str(label).lower()}) can reapply {years} "
            f"year(s) after it left{policy}: {verb} on {exited_on.isoformat()}, so not before "
            f"{earliest.isoformat()}.",
        )
    ]


def _condition_problems(
    *,
    current: str,
    target: str,
    today: dt.date,
    status_before_suspension: str | None,
    withdrawn_on: dt.date | None,
    removed_on: dt.date | None,
    suspended_on: dt.date | None = None,
    exit_ground: str | None = None,
    waits: ReapplyWaits | None = None,
    response_days: int = SUSPENSION_RESPONSE_DAYS,
    answered: bool = False,
) -> list[tuple[str, str]]:
    """(code, reason) pairs for a legal edge whose conditions (other than a reason) fail."""
    problems: list[tuple[str, str]] = []
    waits = waits or default_reapply_waits()
    # The suspended member has its response window before it can be removed or withdrawn by
    # CBP, unless it has answered and CBP found the answer wanting (DOMAIN.md §7.2).
    if (
        current == _S.SUSPENDED
        and target in (_S.REMOVED, _S.WITHDRAWN)
        and suspended_on is not None
        and not answered
    ):
        problem = _window_problem(current, target, today, suspended_on, response_days)
        if problem:
            problems.append(problem)
    if current == _S.SUSPENDED and target in TIER_BY_STATUS:
        if status_before_suspension is None:
            problems.append(
                (
                    DecisionCode.PRIOR_STATUS_UNKNOWN,
                    "The status held before suspension is not recorded, so the member cannot "
                    "be reinstated until it is.",
                )
            )
        elif status_before_suspension != target:
            problems.append(
                (
                    DecisionCode.REINSTATEMENT_STATUS_MISMATCH,
                    "A suspended member can only be reinstated to the status held before "
                    f"suspension ({_name(status_before_suspension)}), not {_name(target)}.",
                )
            )
    if current == _S.WITHDRAWN and target == _S.PRE_APPLICANT:
        problems += _reapply_problems(
            current, today=today, exited_on=withdrawn_on, exit_ground=exit_ground, waits=waits
        )
    if current == _S.REMOVED and target == _S.PRE_APPLICANT:
        problems += _reapply_problems(
            current, today=today, exited_on=removed_on, exit_ground=exit_ground, waits=waits
        )
    return problems


def _refuse_unknown(current: str, target: str) -> Decision | None:
    for status in (current, target):
        if status not in LEGAL_TRANSITIONS:
            return Decision.refuse(
                DecisionCode.UNKNOWN_STATUS, f"{status!r} is not a membership status."
            )
    if current == target:
        return Decision.refuse(
            DecisionCode.NO_CHANGE, f"The membership is already {_name(current)}."
        )
    return None


def immediate_removal_decision(*, current: str, reason: str) -> Decision:
    """May CBP remove the member at once (aggravated circumstances), and if not, why not?"""
    if current not in LEGAL_TRANSITIONS:
        return Decision.refuse(
            DecisionCode.UNKNOWN_STATUS, f"{current!r} is not a membership status."
        )
    if current not in IMMEDIATE_REMOVAL_FROM:
        return Decision.refuse(
            DecisionCode.ALREADY_REMOVED, "The company is already removed from the program."
        )
    if not reason.strip():
        return Decision.refuse(
            DecisionCode.REASON_REQUIRED,
            "A written reason is required for an immediate removal: say which aggravated "
            "circumstances justify it.",
        )
    return Decision.ok(f"The member can be removed immediately from {_name(current)}.")


def appeal_transition_decision(
    *,
    current: str,
    target: str,
    reason: str,
    status_before_suspension: str | None = None,
    status_before_removal: str | None = None,
) -> Decision:
    """May an appeal decision move the membership from `current` to `target`?"""
    refused = _refuse_unknown(current, target)
    if refused:
        return refused
    allowed = appeal_targets(
        current,
        status_before_suspension=status_before_suspension,
        status_before_removal=status_before_removal,
    )
    if target not in allowed:
        offered = ", ".join(_name(s) for s in allowed) or "no status (the prior one is unknown)"
        return Decision.refuse(
            DecisionCode.APPEAL_TARGET_NOT_ALLOWED,
            f"An appeal decision cannot move a {_name(current)} member to {_name(target)}; it "
            f"can restore: {offered}.",
        )
    if not reason.strip():
        return Decision.refuse(
            DecisionCode.REASON_REQUIRED, "A reason is required for an appeal decision."
        )
    return Decision.ok(f"The appeal decision moves the membership to {_name(target)}.")


def transition_decision(
    *,
    current: str,
    target: str,
    today: dt.date,
    reason: str,
    status_before_suspension: str | None = None,
    withdrawn_on: dt.date | None = None,
    removed_on: dt.date | None = None,
    suspended_on: dt.date | None = None,
    exit_ground: str | None = None,
    waits: ReapplyWaits | None = None,
    response_days: int = SUSPENSION_RESPONSE_DAYS,
    answered: bool = False,
) -> Decision:
    """May a membership move from `current` to `target` today, and if not, why not?

    Illegal moves are refused outright. For a legal move every failing condition is reported;
    `code` is the first one's (reinstatement status, reapply date, then missing reason).
    `exit_ground` is the ground recorded when the company left (for the wait before
    reapplying); `waits` and `response_days` are the configured policy values.
    """
    refused = _refuse_unknown(current, target)
    if refused:
        return refused
    if target not in LEGAL_TRANSITIONS[current]:
        allowed = ", ".join(_name(s) for s in _ordered(LEGAL_TRANSITIONS[current]))
        if target == _S.REMOVED:
            return Decision.refuse(
                DecisionCode.IMMEDIATE_REMOVAL_ONLY,
                f"A {_name(current)} member is removed only by an immediate removal (a CBP "
                f"program admin's decision with a written reason); from {_name(current)} the "
                f"membership can otherwise move to: {allowed}.",
            )
        return Decision.refuse(
            DecisionCode.ILLEGAL_TRANSITION,
            f"A membership cannot move from {_name(current)} to {_name(target)}; "
            f"from {_name(current)} it can only move to: {allowed}.",
        )
    problems = _condition_problems(
        current=current,
        target=target,
        today=today,
        status_before_suspension=status_before_suspension,
        withdrawn_on=withdrawn_on,
        removed_on=removed_on,
        suspended_on=suspended_on,
        exit_ground=exit_ground,
        waits=waits,
        response_days=response_days,
        answered=answered,
    )
    if reason_required(current, target) and not reason.strip():
        problems.append(
            (
                DecisionCode.REASON_REQUIRED,
                f"A reason is required for {_reason_phrase(current, target)}.",
            )
        )
    if problems:
        return Decision.refuse(problems[0][0], *(text for _, text in problems))
    return Decision.ok(f"The membership can move from {_name(current)} to {_name(target)}.")


def allowed_targets(
    current: str,
    *,
    today: dt.date,
    status_before_suspension: str | None = None,
    withdrawn_on: dt.date | None = None,
    removed_on: dt.date | None = None,
    suspended_on: dt.date | None = None,
    exit_ground: str | None = None,
    waits: ReapplyWaits | None = None,
    response_days: int = SUSPENSION_RESPONSE_DAYS,
    answered: bool = False,
) -> list[str]:
    """Statuses the UI may offer from `current`, in `MembershipStatus` order.

    A missing reason does not hide a target (the form asks for it; see `reason_required`);
    an unmet condition (wrong reinstatement status, reapplying too soon) does.
    """
    return [
        target
        for target in _ordered(LEGAL_TRANSITIONS.get(current, frozenset()))
        if not _condition_problems(
            current=current,
            target=target,
            today=today,
            status_before_suspension=status_before_suspension,
            withdrawn_on=withdrawn_on,
            removed_on=removed_on,
            suspended_on=suspended_on,
            exit_ground=exit_ground,
            waits=waits,
            response_days=response_days,
            answered=answered,
        )
    ]


# --- Business Entity Identifiers (BEI) -----------------------------------------------------------

_E = EntityType
_K = IdentifierKind

# "At least one identifier of any kind".
ANY_IDENTIFIER: tuple[str, ...] = tuple(IdentifierKind.values)

# Each entry is a tuple of any-of groups; every group must be satisfied.
# source: PORTAL-UI `business-entity-information.component.html` via DOMAIN.md §3.1 [V],
# except the two marine port/terminal operator entries, which DOMAIN.md does not give [K].
REQUIRED_IDENTIFIERS: dict[str, tuple[tuple[str, ...], ...]] = {
    _E.IMPORTER: ((_K.IOR,), (_K.BOND,)),
    _E.EXPORTER: ((_K.DUNS, _K.EIN),),
    _E.FOREIGN_MANUFACTURER: ((_K.MID,),),
    _E.CUSTOMS_BROKER: ((_K.BROKER_LICENSE,), (_K.FILER_CODE,)),
    _E.CONSOLIDATOR: ((_K.FMC, _K.IATA), (_K.BOND,)),
    _E.AIR_CARRIER: ((_K.IATA,), (_K.BOND,)),
    _E.SEA_CARRIER: ((_K.SCAC,), (_K.BOND,)),
    _E.RAIL_CARRIER: ((_K.SCAC,), (_K.BOND,)),
    _E.HIGHWAY_CARRIER_US_CANADA: ((_K.SCAC,), (_K.DOT,)),
    _E.HIGHWAY_CARRIER_US_MEXICO: ((_K.SCAC,), (_K.DOT,)),
    _E.MEXICAN_LONG_HAUL_CARRIER: ((_K.SCT,),),
    # [K] a U.S. terminal operator is a U.S. business registered with the FMC: EIN, DUNS or FMC.
    _E.US_MARINE_PORT_TERMINAL_OPERATOR: ((_K.EIN, _K.DUNS, _K.FMC),),
    # [K] foreign operators' registrations vary by country: any one identifier, as for 3PLs.
    _E.FOREIGN_MARINE_PORT_TERMINAL_OPERATOR: (ANY_IDENTIFIER,),
    _E.THIRD_PARTY_LOGISTICS: (ANY_IDENTIFIER,),
}

_ENTITY_NAMES: dict[str, str] = {
    _E.IMPORTER: "An importer",
    _E.EXPORTER: "An exporter",
    _E.FOREIGN_MANUFACTURER: "A foreign manufacturer",
    _E.CUSTOMS_BROKER: "A licensed customs broker",
    _E.CONSOLIDATOR: "A consolidator (NVOCC/OTI)",
    _E.AIR_CARRIER: "An air carrier",
    _E.SEA_CARRIER: "A sea carrier",
    _E.RAIL_CARRIER: "A rail carrier",
    _E.HIGHWAY_CARRIER_US_CANADA: "A U.S./Canada highway carrier",
    _E.HIGHWAY_CARRIER_US_MEXICO: "A U.S./Mexico highway carrier",
    _E.MEXICAN_LONG_HAUL_CARRIER: "A Mexican long-haul carrier",
    _E.US_MARINE_PORT_TERMINAL_OPERATOR: "A U.S. marine port or terminal operator",
    _E.FOREIGN_MARINE_PORT_TERMINAL_OPERATOR: "A foreign marine port terminal operator",
    _E.THIRD_PARTY_LOGISTICS: "A third-party logistics provider",
}

_IDENTIFIER_NAMES: dict[str, str] = {
    _K.IOR: "an Importer of Record number (IOR)",
    _K.BOND: "a CBP bond number",
    _K.MID: "a Manufacturer ID (MID)",
    _K.BROKER_LICENSE: "a customs broker license number",
    _K.FILER_CODE: "an ABI filer code",
    _K.SCAC: "a Standard Carrier Alpha Code (SCAC)",
    _K.IATA: "an IATA code",
    _K.DOT: "a U.S. DOT number",
    _K.FMC: "an FMC organization or license number",
    _K.SCT: "a Mexican SCT permit number",
    _K.DUNS: "a D-U-N-S number",
    _K.EIN: "an Employer Identification Number (EIN)",
    _K.RFC: "a Mexican RFC",
    _K.CBSA_BN: "a Canadian Business Number (BN)",
}


def required_identifiers(entity_type: str) -> tuple[tuple[str, ...], ...]:
    """Any-of groups of identifier kinds that must all be satisfied; ValueError if unknown."""
    try:
        return REQUIRED_IDENTIFIERS[entity_type]
    except KeyError:
        raise ValueError(f"{entity_type!r} is not a business entity type") from None


def _group_phrase(group: tuple[str, ...]) -> str:
    if group == ANY_IDENTIFIER:
        return "at least one business entity identifier of any kind"
    return " or ".join(_IDENTIFIER_NAMES[kind] for kind in group)


def missing_identifiers(entity_type: str, present_kinds: Iterable[str]) -> Decision:
    """Whether the identifier kinds on file satisfy the entity type's BEI requirements.

    `present_kinds` should hold only the kinds of active, valid identifiers.
    """
    if entity_type not in REQUIRED_IDENTIFIERS:
        return Decision.refuse(
            DecisionCode.UNKNOWN_ENTITY_TYPE, f"{entity_type!r} is not a business entity type."
        )
    present = set(present_kinds)
    who = _ENTITY_NAMES[entity_type]
    reasons = tuple(
        f"{who} needs {_group_phrase(group)}."
        for group in REQUIRED_IDENTIFIERS[entity_type]
        if present.isdisjoint(group)
    )
    if reasons:
        return Decision.refuse(DecisionCode.MISSING_IDENTIFIERS, *reasons)
    return Decision.ok(f"{who} has every required identifier.")


# --- Status verification (SVI) -----------------------------------------------------------------

# SVI lets *certified* partners verify each other (source: CBP SVI FAQ via DOMAIN.md §3.3).
SVI_ELIGIBLE_STATUSES: frozenset[str] = frozenset({_S.CERTIFIED, _S.VALIDATED, _S.TIER_III})


def svi_party_eligible(status: str) -> bool:
    """Whether a partner in ``status`` may hold SVI connections."""
    return status in SVI_ELIGIBLE_STATUSES


# An invitation e-mail goes out under the platform's name; cap them so it cannot be used to
# send bulk mail. [K] product limit, not a CBP rule.
CERTIFICATION_REQUESTS_PER_DAY = 20


def certification_request_allowed(sent_in_last_day: int) -> bool:
    return sent_in_last_day < CERTIFICATION_REQUESTS_PER_DAY

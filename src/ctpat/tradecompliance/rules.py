"""Trade Compliance rules, as pure functions: who may apply, and why not.

Plain values in (strings from the partners' choices, ``datetime.date``, dicts), a ``Decision``
out. No database, no settings, no clock: callers pass ``today`` and the program's opening date
(``settings.CTPAT_TC_PROGRAM_OPENS_ON``, read by ``selectors``). Every number is a named constant
citing where DOMAIN.md found it; tags follow DOMAIN.md ([V] seen verbatim, [I] inferred or
secondary, [K] background knowledge — confirm before relying).

Reasons are plain English sentences (not translated) so the rules run without Django settings.
Each failing requirement gives its own reason — all of them, not only the first — with what the
company can do about it and the source of the requirement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from ctpat.core.citations import CITATIONS
from ctpat.criteria.rules import msc_id_problem
from ctpat.partners.choices import EntityType, MembershipStatus
from ctpat.partners.rules import add_years

from .citations import (
    CBP_DEBT_PAGE,
    CBP_IMPORTERS_PAGE,
    FR_ISA_2002,
    OMB_1651_0077,
    TC_FAQS,
    TC_HANDBOOK,
    TC_PORTAL_MANUAL,
    cite,
)

# --- Constants -----------------------------------------------------------------------------------

# source: omb.report 1651-0077 supporting statement 2022 — TC "is only available for U.S. and
# nonresident Canadian importers"; exporters, carriers, brokers etc. are Security-only
# (DOMAIN.md §2.2) [V]; seed FAQ: "no plans to include exporters" (DOMAIN.md §0).
ELIGIBLE_ENTITY_TYPES: frozenset[str] = frozenset({EntityType.IMPORTER})
# source: as ELIGIBLE_ENTITY_TYPES — U.S. importers, and Canadian ones only as non-resident
# importers (DOMAIN.md §2.2) [V]. ISO 3166-1 alpha-2 codes, as ``Partner.country``.
US_COUNTRY = "US"
NON_RESIDENT_CANADIAN_COUNTRY = "CA"
# source: afslaw alert; craneww.com 2022-12-01; kambolaw.com — "existing Tier II or Tier III
# CTPAT Security member in good standing" (DOMAIN.md §2.2) [V]; seed FAQ "active Tier II and
# Tier III CTPAT Security members". Tier II = validated, Tier III (SAFE Port Act §§965-966).
ELIGIBLE_SECURITY_STATUSES: frozenset[str] = frozenset(
    {MembershipStatus.VALIDATED, MembershipStatus.TIER_III}
)
# source: DOMAIN.md §3.1 (suspension, removal, withdrawal) [V]; reading "good standing" as "not
# suspended, removed or withdrawn" is ours [I] — CBP may also weigh other facts.
NOT_IN_GOOD_STANDING_STATUSES: frozenset[str] = frozenset(
    {MembershipStatus.SUSPENDED, MembershipStatus.REMOVED, MembershipStatus.WITHDRAWN}
)
# source: afslaw alert; craneww.com 2022-12-01; kambolaw.com — "≥2 years import history"
# (DOMAIN.md §2.2) [V]; ISA had the same floor in 2002 (67 FR 41298, DOMAIN.md §2.1) [V].
MIN_IMPORT_HISTORY_YEARS = 2
# source: ELIG — the portal's Trade Compliance eligibility questionnaire has 13 yes/no
# questions (PORTAL-UI eligibility-modal, DOMAIN.md §2.2) [V].
ELIGIBILITY_QUESTION_COUNT = 13
ELIGIBILITY_QUESTION_NUMBERS: tuple[int, ...] = tuple(range(1, ELIGIBILITY_QUESTION_COUNT + 1))
# source: seed FAQ (Virtual Trade Week) — "The CTPAT Trade Compliance program does not include
# cybersecurity and agricultural requirements"; MSC category 4 is Cybersecurity and 8 is
# Agricultural Security (DOMAIN.md §1.1) [V].
EXCLUDED_MSC_CATEGORIES: frozenset[int] = frozenset({4, 8})

# Sources as users see them: public citations only (``citations.py``); the brief's secondary
# sources stay in the comments above.
SOURCE_IMPORTERS_ONLY = cite(OMB_1651_0077, CBP_IMPORTERS_PAGE)
SOURCE_MEMBERSHIP = cite(TC_FAQS, TC_HANDBOOK)
SOURCE_IMPORT_HISTORY = cite(FR_ISA_2002, TC_HANDBOOK)
SOURCE_CBP_DEBT = cite(CBP_DEBT_PAGE)
SOURCE_QUESTIONS = cite(TC_PORTAL_MANUAL)
SOURCE_PROGRAM_OPEN = cite(CITATIONS["cbp-vtw-ctpat-faqs"])

# source: CBP's eligibility pages (DOMAIN.md §7.4) [V] — the debt that bars membership is a
# final one, unpaid after every remedy is exhausted, not "any debt". Whether the Trade
# Compliance Handbook words it the same way is not verified [NV]; CBP's Security pages do.
CBP_DEBT_WORDING = (
    "Maintain no evidence of financial debt to CBP for which the responsible party has "
    "exhausted all administrative and judicial remedies for relief, a final judgment or "
    "administrative disposition has been rendered, and the final bill or debt remains unpaid at "
    "the time of the initial application or annual renewal."
)
CBP_DEBT_QUESTION = (
    "Does the company owe CBP a final debt that remains unpaid — one for which all "
    "administrative and judicial remedies are exhausted and a final judgment or administrative "
    "disposition has been rendered?"
)


class ReasonCode(StrEnum):
    """Stable machine codes of the reasons a company is not (yet) eligible."""

    ENTITY_TYPE_NOT_ELIGIBLE = "entity_type_not_eligible"
    COUNTRY_NOT_ELIGIBLE = "country_not_eligible"
    CANADIAN_IMPORTER_NOT_NON_RESIDENT = "canadian_importer_not_non_resident"
    SECURITY_TIER_NOT_ELIGIBLE = "security_tier_not_eligible"
    NOT_IN_GOOD_STANDING = "not_in_good_standing"
    IMPORT_HISTORY_NOT_DECLARED = "import_history_not_declared"
    IMPORT_HISTORY_TOO_SHORT = "import_history_too_short"
    CBP_DEBT_NOT_DECLARED = "cbp_debt_not_declared"
    CBP_DEBT_OUTSTANDING = "cbp_debt_outstanding"
    ELIGIBILITY_QUESTIONS_UNANSWERED = "eligibility_questions_unanswered"
    ELIGIBILITY_ANSWER_NO = "eligibility_answer_no"
    PROGRAM_NOT_OPEN = "program_not_open"


class Requirement(StrEnum):
    """The requirements checked, in the order they are shown."""

    IMPORTER = "importer"
    COUNTRY = "country"
    SECURITY_TIER = "security_tier"
    GOOD_STANDING = "good_standing"
    IMPORT_HISTORY = "import_history"
    NO_CBP_DEBT = "no_cbp_debt"
    ELIGIBILITY_QUESTIONS = "eligibility_questions"
    PROGRAM_OPEN = "program_open"


REQUIREMENT_LABELS: dict[str, str] = {
    Requirement.IMPORTER: "The company is an importer",
    Requirement.COUNTRY: "U.S. importer, or non-resident Canadian importer",
    Requirement.SECURITY_TIER: "Active Tier II or Tier III CTPAT Security member",
    Requirement.GOOD_STANDING: "Security membership in good standing",
    Requirement.IMPORT_HISTORY: f"At least {MIN_IMPORT_HISTORY_YEARS} years of import history",
    Requirement.NO_CBP_DEBT: "No unpaid final debt to CBP",
    Requirement.ELIGIBILITY_QUESTIONS: "Every eligibility question answered Yes",
    Requirement.PROGRAM_OPEN: "CBP is accepting Trade Compliance applications",
}
REQUIREMENT_SOURCES: dict[str, str] = {
    Requirement.IMPORTER: SOURCE_IMPORTERS_ONLY,
    Requirement.COUNTRY: SOURCE_IMPORTERS_ONLY,
    Requirement.SECURITY_TIER: SOURCE_MEMBERSHIP,
    Requirement.GOOD_STANDING: SOURCE_MEMBERSHIP,
    Requirement.IMPORT_HISTORY: SOURCE_IMPORT_HISTORY,
    Requirement.NO_CBP_DEBT: SOURCE_CBP_DEBT,
    Requirement.ELIGIBILITY_QUESTIONS: SOURCE_QUESTIONS,
    Requirement.PROGRAM_OPEN: SOURCE_PROGRAM_OPEN,
}
REQUIREMENT_BY_REASON: dict[str, str] = {
    ReasonCode.ENTITY_TYPE_NOT_ELIGIBLE: Requirement.IMPORTER,
    ReasonCode.COUNTRY_NOT_ELIGIBLE: Requirement.COUNTRY,
    ReasonCode.CANADIAN_IMPORTER_NOT_NON_RESIDENT: Requirement.COUNTRY,
    ReasonCode.SECURITY_TIER_NOT_ELIGIBLE: Requirement.SECURITY_TIER,
    ReasonCode.NOT_IN_GOOD_STANDING: Requirement.GOOD_STANDING,
    ReasonCode.IMPORT_HISTORY_NOT_DECLARED: Requirement.IMPORT_HISTORY,
    ReasonCode.IMPORT_HISTORY_TOO_SHORT: Requirement.IMPORT_HISTORY,
    ReasonCode.CBP_DEBT_NOT_DECLARED: Requirement.NO_CBP_DEBT,
    ReasonCode.CBP_DEBT_OUTSTANDING: Requirement.NO_CBP_DEBT,
    ReasonCode.ELIGIBILITY_QUESTIONS_UNANSWERED: Requirement.ELIGIBILITY_QUESTIONS,
    ReasonCode.ELIGIBILITY_ANSWER_NO: Requirement.ELIGIBILITY_QUESTIONS,
    ReasonCode.PROGRAM_NOT_OPEN: Requirement.PROGRAM_OPEN,
}

_E = EntityType
_ENTITY_TYPE_NAMES: dict[str, str] = {
    _E.IMPORTER: "an importer",
    _E.EXPORTER: "an exporter",
    _E.FOREIGN_MANUFACTURER: "a foreign manufacturer",
    _E.CUSTOMS_BROKER: "a licensed customs broker",
    _E.CONSOLIDATOR: "a consolidator (NVOCC/OTI)",
    _E.AIR_CARRIER: "an air carrier",
    _E.SEA_CARRIER: "a sea carrier",
    _E.RAIL_CARRIER: "a rail carrier",
    _E.HIGHWAY_CARRIER_US_CANADA: "a U.S./Canada highway carrier",
    _E.HIGHWAY_CARRIER_US_MEXICO: "a U.S./Mexico highway carrier",
    _E.MEXICAN_LONG_HAUL_CARRIER: "a Mexican long-haul carrier",
    _E.US_MARINE_PORT_TERMINAL_OPERATOR: "a U.S. marine port or terminal operator",
    _E.FOREIGN_MARINE_PORT_TERMINAL_OPERATOR: "a foreign marine port terminal operator",
    _E.THIRD_PARTY_LOGISTICS: "a third-party logistics provider",
}

_S = MembershipStatus
_STATUS_NAMES: dict[str, str] = {
    _S.PRE_APPLICANT: "a pre-applicant",
    _S.APPLICANT: "an applicant",
    _S.CERTIFIED: "a certified (Tier I) member",
    _S.VALIDATED: "a validated (Tier II) member",
    _S.TIER_III: "a Tier III member",
    _S.SUSPENDED: "suspended",
    _S.REMOVED: "removed from the program",
    _S.WITHDRAWN: "withdrawn from the program",
}
_TIER_ADVICE: dict[str, str] = {
    _S.PRE_APPLICANT: "Complete the CTPAT Security application; Trade Compliance follows "
    "certification and validation.",
    _S.APPLICANT: "Finish CTPAT Security certification; after certification, CBP's "
    "validation makes the company a Tier II member.",
    _S.CERTIFIED: "A certified member becomes Tier II once CBP validates it; ask your Supply "
    "Chain Security Specialist (SCSS) about the validation.",
    _S.SUSPENDED: "Answer the suspension letter and work with your SCSS to be reinstated.",
    _S.REMOVED: "A removed company must reapply to CTPAT Security and be validated first.",
    _S.WITHDRAWN: "A company that withdrew must reapply to CTPAT Security and be validated first.",
}


# --- Decision ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason the company is not eligible, what it can do about it, and the rule's source.

    ``question`` is the eligibility question's number for ``eligibility_answer_no``.
    """

    code: str
    message: str
    what_to_do: str
    source: str
    question: int | None = None

    @property
    def requirement(self) -> str:
        return REQUIREMENT_BY_REASON[self.code]


@dataclass(frozen=True, slots=True)
class Check:
    """One requirement of the checklist, met or not."""

    requirement: str
    label: str
    met: bool
    source: str


@dataclass(frozen=True, slots=True)
class Decision:
    """Eligible or not, every reason why not, and the whole checklist."""

    eligible: bool
    reasons: tuple[Reason, ...]
    checks: tuple[Check, ...]

    @property
    def code(self) -> str:
        """``eligible``, or the first reason's code (the most fundamental one)."""
        return self.reasons[0].code if self.reasons else "eligible"

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(reason.code for reason in self.reasons)

    def as_pairs(self) -> list[tuple[str, str]]:
        """The reasons as (code, message) pairs."""
        return [(reason.code, reason.message) for reason in self.reasons]


# --- Rules ---------------------------------------------------------------------------------------


def import_history_complete_on(import_history_start: dt.date) -> dt.date:
    """The first day a company that started importing on ``import_history_start`` has
    ``MIN_IMPORT_HISTORY_YEARS`` of history. A 29 February start counts on 28 February, as
    every anniversary in ctpat does (``partners.rules.add_years``)."""
    return add_years(import_history_start, MIN_IMPORT_HISTORY_YEARS)


def in_good_standing(security_status: str) -> bool:
    """Whether a Security membership in ``security_status`` is in good standing."""
    return security_status not in NOT_IN_GOOD_STANDING_STATUSES


def program_is_open(program_opens_on: dt.date | None, today: dt.date) -> bool:
    """Open when no date is configured, or from the configured date itself."""
    return program_opens_on is None or today >= program_opens_on


def _country_reasons(country: str, is_non_resident_canadian: bool) -> list[Reason]:
    source = SOURCE_IMPORTERS_ONLY
    if country == US_COUNTRY:
        return []
    if country == NON_RESIDENT_CANADIAN_COUNTRY:
        if is_non_resident_canadian:
            return []
        return [
            Reason(
                ReasonCode.CANADIAN_IMPORTER_NOT_NON_RESIDENT,
                "A Canadian company qualifies for Trade Compliance only as a non-resident "
                "Canadian importer (importing into the United States as Importer of Record "
                "without a U.S. establishment), and this company has not declared that it is "
                "one.",
                "If the company imports as a non-resident Canadian importer, say so in the "
                "company's Trade Compliance facts. Otherwise the company's U.S. importing "
                "entity applies with its own CTPAT account.",
                source,
            )
        ]
    return [
        Reason(
            ReasonCode.COUNTRY_NOT_ELIGIBLE,
            "Trade Compliance is only for U.S. and non-resident Canadian importers; this "
            f"company's country is {country or 'not recorded'}.",
            "If the company imports into the United States through a U.S. or Canadian "
            "entity, that entity applies with its own CTPAT account.",
            source,
        )
    ]


def _question_reasons(
    answers: Mapping[int, bool], required_questions: Iterable[int]
) -> list[Reason]:
    required = tuple(required_questions)
    unanswered = [n for n in required if not isinstance(answers.get(n), bool)]
    reasons = []
    if unanswered:
        numbers = ", ".join(str(n) for n in unanswered)
        reasons.append(
            Reason(
                ReasonCode.ELIGIBILITY_QUESTIONS_UNANSWERED,
                f"{len(unanswered)} of the {len(required)} eligibility questions "
                f"{'is' if len(unanswered) == 1 else 'are'} not answered yet "
                f"(question{'s' if len(unanswered) > 1 else ''} {numbers}).",
                "Answer every eligibility question; CBP's portal lets a company apply only "
                "when every answer is Yes.",
                SOURCE_QUESTIONS,
            )
        )
    for number in required:
        if answers.get(number) is False:
            reasons.append(
                Reason(
                    ReasonCode.ELIGIBILITY_ANSWER_NO,
                    f"Eligibility question {number} is answered No; every eligibility "
                    f"question must be answered Yes to apply.",
                    "Put in place what the question asks (the Handbook guidance explains "
                    "it), then change the answer to Yes.",
                    SOURCE_QUESTIONS,
                    question=number,
                )
            )
    return reasons


def eligibility(
    *,
    entity_type: str,
    country: str,
    is_non_resident_canadian: bool,
    security_status: str,
    in_good_standing: bool,
    import_history_start: dt.date | None,
    has_cbp_debt: bool | None,
    eligibility_answers: Mapping[int, bool],
    program_opens_on: dt.date | None,
    today: dt.date,
    required_questions: Iterable[int] = ELIGIBILITY_QUESTION_NUMBERS,
) -> Decision:
    """May this company apply to CTPAT Trade Compliance today, and if not, every reason why.

    ``has_cbp_debt`` is None while the company has not declared it. ``eligibility_answers`` maps
    question numbers to the company's Yes (True) / No (False); a missing number is unanswered.
    ``required_questions`` are the numbers of the eligibility questions of the questionnaire
    version in force (1-13 in version 1).
    """
    reasons: list[Reason] = []

    if entity_type not in ELIGIBLE_ENTITY_TYPES:
        who = _ENTITY_TYPE_NAMES.get(entity_type, f"a {entity_type!r} account")
        reasons.append(
            Reason(
                ReasonCode.ENTITY_TYPE_NOT_ELIGIBLE,
                "Not eligible for Trade Compliance: Trade Compliance is only for U.S. and "
                f"non-resident Canadian importers. This company's "
                f"CTPAT account is {who}'s; exporters, carriers, brokers and other business "
                "types take part in CTPAT Security only.",
                "Nothing to do: the company stays a CTPAT Security member. A related company "
                "that imports into the United States as Importer of Record can apply with its "
                "own importer account.",
                SOURCE_IMPORTERS_ONLY,
            )
        )

    reasons.extend(_country_reasons(country, is_non_resident_canadian))

    if security_status not in ELIGIBLE_SECURITY_STATUSES:
        status_name = _STATUS_NAMES.get(security_status, repr(security_status))
        reasons.append(
            Reason(
                ReasonCode.SECURITY_TIER_NOT_ELIGIBLE,
                "Trade Compliance needs an active Tier II (validated) or Tier III CTPAT "
                f"Security membership; this company is {status_name}.",
                _TIER_ADVICE.get(security_status, "Reach Tier II through CBP's validation."),
                SOURCE_MEMBERSHIP,
            )
        )

    if not in_good_standing:
        reasons.append(
            Reason(
                ReasonCode.NOT_IN_GOOD_STANDING,
                "Trade Compliance needs a CTPAT Security membership in good standing; this "
                "company's membership is not (it is suspended, "
                "removed or withdrawn).",
                "Resolve the membership's standing with your Supply Chain Security Specialist "
                "before applying.",
                SOURCE_MEMBERSHIP,
            )
        )

    if import_history_start is None:
        reasons.append(
            Reason(
                ReasonCode.IMPORT_HISTORY_NOT_DECLARED,
                f"Trade Compliance needs at least {MIN_IMPORT_HISTORY_YEARS} years of import "
                f"history; the company has not said when it started "
                "importing.",
                "Enter the date of the company's first import as Importer of Record in the "
                "company's Trade Compliance facts.",
                SOURCE_IMPORT_HISTORY,
            )
        )
    else:
        complete_on = import_history_complete_on(import_history_start)
        if today < complete_on:
            reasons.append(
                Reason(
                    ReasonCode.IMPORT_HISTORY_TOO_SHORT,
                    f"Trade Compliance needs at least {MIN_IMPORT_HISTORY_YEARS} years of "
                    f"import history; the company started importing on "
                    f"{import_history_start.isoformat()}, so it has "
                    f"{MIN_IMPORT_HISTORY_YEARS} years on {complete_on.isoformat()}.",
                    f"Apply on or after {complete_on.isoformat()}.",
                    SOURCE_IMPORT_HISTORY,
                )
            )

    if has_cbp_debt is None:
        reasons.append(
            Reason(
                ReasonCode.CBP_DEBT_NOT_DECLARED,
                "Trade Compliance needs a company with no unpaid final debt to CBP (a debt for "
                "which all administrative and judicial remedies are exhausted); the company has "
                "not said whether it has one.",
                "Answer the debt question in the company's Trade Compliance facts. A debt still "
                "under protest, petition or appeal is not a final debt.",
                SOURCE_CBP_DEBT,
            )
        )
    elif has_cbp_debt:
        reasons.append(
            Reason(
                ReasonCode.CBP_DEBT_OUTSTANDING,
                "Trade Compliance needs a company with no unpaid final debt to CBP; the company "
                "has declared a final debt to CBP that remains unpaid.",
                "Pay the final debt, then update the company's Trade Compliance facts.",
                SOURCE_CBP_DEBT,
            )
        )

    reasons.extend(_question_reasons(eligibility_answers, required_questions))

    if not program_is_open(program_opens_on, today):
        reasons.append(
            Reason(
                ReasonCode.PROGRAM_NOT_OPEN,
                "CBP accepts Trade Compliance applications once the Federal Register notice "
                f"takes effect, on {program_opens_on.isoformat()}.",
                f"Prepare now with the published questions; apply from "
                f"{program_opens_on.isoformat()}.",
                SOURCE_PROGRAM_OPEN,
            )
        )

    failing = {reason.requirement for reason in reasons}
    checks = tuple(
        Check(
            requirement=str(requirement),
            label=REQUIREMENT_LABELS[requirement],
            met=requirement not in failing,
            source=REQUIREMENT_SOURCES[requirement],
        )
        for requirement in Requirement
    )
    return Decision(eligible=not reasons, reasons=tuple(reasons), checks=checks)


# --- The question bank ---------------------------------------------------------------------------


def msc_mapping_problems(msc_ids: Iterable[str]) -> list[str]:
    """Why a Trade Compliance question cannot map to these MSC criterion IDs (empty if it can).

    A mapping says "this Trade Compliance question asks what MSC <id> asks", so a member answers
    once across both programs. Trade Compliance has no cybersecurity or agriculture
    requirements, so it never maps to those categories.
    """
    problems = []
    seen = set()
    for msc_id in msc_ids:
        problem = msc_id_problem(msc_id)
        if problem:
            problems.append(problem)
            continue
        if msc_id in seen:
            problems.append(f"MSC {msc_id} is listed twice.")
        seen.add(msc_id)
        category = int(msc_id.split(".")[0])
        if category in EXCLUDED_MSC_CATEGORIES:
            problems.append(
                f"MSC {msc_id} is in category {category}: Trade Compliance has no "
                "cybersecurity (4) or agricultural (8) requirements, so no question maps there."
            )
    return problems


# --- Trade Compliance membership -----------------------------------------------------------------

# The Trade Compliance account number format is not public: ours is "TC" and six digits, given
# in order of acceptance [K] (DOMAIN.md §2.2 lists a "TC account number" on the account record).
ACCOUNT_NUMBER_PREFIX = "TC"
ACCOUNT_NUMBER_DIGITS = 6


def account_number(sequence: int) -> str:
    """The account number for the ``sequence``-th membership (1-based)."""
    if sequence < 1 or sequence >= 10**ACCOUNT_NUMBER_DIGITS:
        raise ValueError(f"account sequence out of range: {sequence}")
    return f"{ACCOUNT_NUMBER_PREFIX}{sequence:0{ACCOUNT_NUMBER_DIGITS}d}"


# source: DOMAIN.md §3.1 — a suspended member has 90 days from the suspension letter to respond;
# applied here to Trade Compliance membership as to Security membership [I].
TC_SUSPENSION_RESPONSE_DAYS = 90

_TC_ACTIVE, _TC_SUSPENDED, _TC_REMOVED, _TC_WITHDRAWN = (
    "active",
    "suspended",
    "removed",
    "withdrawn",
)
# Legal Trade Compliance membership moves: suspend and reinstate; removal only from suspension
# (after the response window); a member may withdraw while active or suspended.
TC_LEGAL_TRANSITIONS: dict[str, frozenset[str]] = {
    _TC_ACTIVE: frozenset({_TC_SUSPENDED, _TC_WITHDRAWN}),
    _TC_SUSPENDED: frozenset({_TC_ACTIVE, _TC_REMOVED, _TC_WITHDRAWN}),
    _TC_REMOVED: frozenset(),
    _TC_WITHDRAWN: frozenset(),
}


@dataclass(frozen=True)
class TransitionDecision:
    allowed: bool
    code: str = ""
    reason: str = ""


def tc_suspension_response_deadline(suspended_on: dt.date) -> dt.date:
    return suspended_on + dt.timedelta(days=TC_SUSPENSION_RESPONSE_DAYS)


def tc_transition_decision(
    current: str,
    target: str,
    *,
    reason: str,
    today: dt.date,
    suspended_on: dt.date | None = None,
) -> TransitionDecision:
    """May a Trade Compliance membership move from ``current`` to ``target`` today?"""
    if target not in TC_LEGAL_TRANSITIONS.get(current, frozenset()):
        return TransitionDecision(
            False,
            "illegal_transition",
            f"A Trade Compliance membership cannot move from {current} to {target}.",
        )
    if not reason.strip():
        return TransitionDecision(False, "reason_required", "Give the reason for this change.")
    if current == _TC_SUSPENDED and target == _TC_REMOVED and suspended_on is not None:
        deadline = tc_suspension_response_deadline(suspended_on)
        if today < deadline:
            return TransitionDecision(
                False,
                "response_window_open",
                f"A suspended member has {TC_SUSPENSION_RESPONSE_DAYS} days to respond: "
                f"suspended on {suspended_on.isoformat()}, it cannot be removed before "
                f"{deadline.isoformat()}.",
            )
    return TransitionDecision(True)


# --- Trade Compliance application ----------------------------------------------------------------

# source: DOMAIN.md §2.2 — "Company Officer → Actions → Launch Trade Compliance → eligibility
# questionnaire → TC portal → IOR Selection tile (choose IOR numbers) → …" [V]; the steps after
# IOR selection follow the questionnaire's sections (§2.3 internal controls [K], §2.4 the six
# forced-labor requirements [V], §2.2 "complete MOU + program questionnaire" [V]).
STEP_ELIGIBILITY = "eligibility"
STEP_IORS = "iors"
STEP_INTERNAL_CONTROLS = "internal_controls"
STEP_FORCED_LABOR = "forced_labor"
STEP_MOU = "mou"
STEP_REVIEW = "review"
APPLICATION_STEPS: tuple[str, ...] = (
    STEP_ELIGIBILITY,
    STEP_IORS,
    STEP_INTERNAL_CONTROLS,
    STEP_FORCED_LABOR,
    STEP_MOU,
    STEP_REVIEW,
)
STEP_LABELS: dict[str, str] = {
    STEP_ELIGIBILITY: "Eligibility",
    STEP_IORS: "Importer of Record numbers",
    STEP_INTERNAL_CONTROLS: "Internal controls",
    STEP_FORCED_LABOR: "Forced labor",
    STEP_MOU: "Memorandum of Understanding",
    STEP_REVIEW: "Review and submit",
}
# The questionnaire section each question step shows (section keys of ``choices.SectionKey``).
STEP_SECTIONS: dict[str, str] = {
    STEP_ELIGIBILITY: "eligibility",
    STEP_INTERNAL_CONTROLS: "internal_controls",
    STEP_FORCED_LABOR: "forced_labor",
    STEP_MOU: "mou",
}
# source: DOMAIN.md §2.4 item 2 — the code of conduct is "uploaded to the CTPAT portal and
# published publicly" [V]: its question takes the upload and the public address.
PUBLIC_URL_QUESTION_CODES: frozenset[str] = frozenset({"FL-CODE"})
# Our bound on a written answer (a page or two of text), not a program rule.
ANSWER_TEXT_MAX_LENGTH = 10_000
PUBLIC_URL_MAX_LENGTH = 500

_DRAFT, _SUBMITTED, _REVIEW, _INFO, _RESPONSE = (
    "draft",
    "submitted",
    "under_review",
    "information_requested",
    "response_submitted",
)
_APPROVED, _DENIED, _WITHDRAWN = "approved", "denied", "withdrawn"

# source: DOMAIN.md §2.2 — the TC account record tracks application status, submitted date and
# the assigned National Account Manager [V]. The moves are ours [K]: a submitted application is
# assigned to a NAM, who asks for more information as often as needed (each round answered by
# the company) and decides; the company may withdraw until CBP decides.
APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    _DRAFT: frozenset({_SUBMITTED, _WITHDRAWN}),
    _SUBMITTED: frozenset({_REVIEW, _WITHDRAWN}),
    _REVIEW: frozenset({_INFO, _APPROVED, _DENIED, _WITHDRAWN}),
    _INFO: frozenset({_RESPONSE, _WITHDRAWN}),
    _RESPONSE: frozenset({_INFO, _APPROVED, _DENIED, _WITHDRAWN}),
    _APPROVED: frozenset(),
    _DENIED: frozenset(),
    _WITHDRAWN: frozenset(),
}
DECIDED_STATUSES: frozenset[str] = frozenset({_APPROVED, _DENIED, _WITHDRAWN})
OPEN_STATUSES: frozenset[str] = frozenset(APPLICATION_TRANSITIONS) - DECIDED_STATUSES
# The company edits its answers while drafting, and while CBP waits for its response.
EDITABLE_STATUSES: frozenset[str] = frozenset({_DRAFT, _INFO})
# CBP may assign (or re-assign) a NAM from submission until the decision.
ASSIGNABLE_STATUSES: frozenset[str] = frozenset({_SUBMITTED, _REVIEW, _INFO, _RESPONSE})


def application_transition_decision(current: str, target: str) -> TransitionDecision:
    """May an application move from ``current`` to ``target``?"""
    if target in APPLICATION_TRANSITIONS.get(current, frozenset()):
        return TransitionDecision(True)
    return TransitionDecision(
        False,
        "illegal_transition",
        f"An application that is {current.replace('_', ' ')} cannot become "
        f"{target.replace('_', ' ')}.",
    )


def is_public_https_url(value: str) -> bool:
    """An absolute ``https://`` address with a host name (where the public can read it)."""
    from urllib.parse import urlsplit

    value = (value or "").strip()
    if not value or len(value) > PUBLIC_URL_MAX_LENGTH or any(c.isspace() for c in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    host = parts.hostname or ""
    return (
        parts.scheme == "https"
        and "." in host
        and not host.startswith(".")
        and not host.endswith(".")
        and host not in {"localhost"}
        and parts.username is None
    )


@dataclass(frozen=True, slots=True)
class QuestionFacts:
    """What the completeness rule needs to know of one question."""

    code: str
    number: int
    section: str
    answer_type: str
    required: bool
    text: str = ""


@dataclass(frozen=True, slots=True)
class Missing:
    """One thing an application still lacks, in the step where it is given."""

    step: str
    code: str
    message: str


def application_missing(
    *,
    questions: Iterable[QuestionFacts],
    answers: Mapping[str, object],
    document_codes: Iterable[str],
    public_urls: Mapping[str, str],
    ior_count: int,
    mou_signed: bool,
    inactive_iors: Iterable[str] = (),
) -> list[Missing]:
    """Everything an application lacks before it can be submitted, step by step.

    ``answers`` maps question codes to True/False (yes/no), text, or True (acknowledged).
    Every eligibility question must be answered Yes (DOMAIN.md §2.2: the portal lets a company
    proceed only with Yes to all [V]); at least one IOR number is chosen (§2.2 IOR selection)
    and none chosen was deactivated since (``inactive_iors``; ``ior_count`` counts the active);
    document questions need a document, the code of conduct also its public https address
    (§2.4); the MOU is signed (§2.2).
    """
    docs = set(document_codes)
    missing: list[Missing] = []
    section_step = {section: step for step, section in STEP_SECTIONS.items()}
    by_step: dict[str, list[Missing]] = {step: [] for step in APPLICATION_STEPS}
    for q in questions:
        step = section_step.get(q.section, STEP_REVIEW)
        value = answers.get(q.code)
        label = f"{q.code} (question {q.number})"
        if q.answer_type == "yes_no":
            if not isinstance(value, bool):
                if q.required:
                    by_step[step].append(Missing(step, q.code, f"{label} is not answered."))
            elif value is False and q.section == "eligibility":
                by_step[step].append(
                    Missing(
                        step,
                        q.code,
                        f"{label} is answered No; every eligibility question must be Yes.",
                    )
                )
        elif q.answer_type == "text":
            if q.required and not (isinstance(value, str) and value.strip()):
                by_step[step].append(Missing(step, q.code, f"{label} has no answer."))
        elif q.answer_type == "document":
            if q.required and q.code not in docs:
                by_step[step].append(Missing(step, q.code, f"{label} needs a document upload."))
            if q.code in PUBLIC_URL_QUESTION_CODES and not is_public_https_url(
                public_urls.get(q.code, "")
            ):
                by_step[step].append(
                    Missing(step, q.code, f"{label} needs the public https address of the page.")
                )
        elif q.answer_type == "acknowledgement" and q.required and value is not True:
            by_step[step].append(Missing(step, q.code, f"{label} is not agreed to."))
    inactive = sorted(inactive_iors)
    if inactive:
        by_step[STEP_IORS].append(
            Missing(
                STEP_IORS,
                "IOR",
                f"Importer of Record number{'s' if len(inactive) > 1 else ''} "
                f"{', '.join(inactive)} {'are' if len(inactive) > 1 else 'is'} no longer active: "
                "select the company's active IOR numbers again.",
            )
        )
    elif ior_count < 1:
        by_step[STEP_IORS].append(
            Missing(STEP_IORS, "IOR", "Select at least one Importer of Record number.")
        )
    if not mou_signed:
        by_step[STEP_MOU].append(
            Missing(STEP_MOU, "MOU-SIGNATURE", "The company officer has not signed the MOU.")
        )
    for step in APPLICATION_STEPS:
        missing.extend(by_step[step])
    return missing


def codes_carried_over(old_codes: Iterable[str], new_codes: Iterable[str]) -> dict[str, set[str]]:
    """Moving an application to a new questionnaire version: the answers of codes in both carry
    over (codes are stable across versions), the rest are dropped or new (unanswered)."""
    old, new = set(old_codes), set(new_codes)
    return {"kept": old & new, "dropped": old - new, "new": new - old}


def reusable_msc_ids(
    question_msc: Iterable[str], answered_msc: Iterable[str], answer_type: str
) -> list[str]:
    """The MSC criteria of a question whose security-profile answers can be offered for it.

    Answer once across programs (DOMAIN.md §0, §5): only yes/no and written answers carry over
    (an upload is a document of its own); never cybersecurity or agriculture criteria, which
    Trade Compliance does not ask (``EXCLUDED_MSC_CATEGORIES``).
    """
    if answer_type not in {"yes_no", "text"}:
        return []
    answered = set(answered_msc)
    return [msc for msc in question_msc if msc in answered and not msc_mapping_problems([msc])]


# source: DOMAIN.md §3.2 / §6 item 3 — the security-profile worksheet answers {No, Yes, Yes – Best
# Practice, Not Applicable} [V]; "not applicable" answers no Trade Compliance yes/no question.
PROFILE_ANSWER_AS_YES_NO: dict[str, bool] = {"yes": True, "yes_best_practice": True, "no": False}


def reused_value(answer_type: str, profile_answer: str, narrative: str) -> bool | str | None:
    """What a security-profile answer gives a Trade Compliance question: Yes/No for a yes/no
    question, the written description for a written one; None when it gives nothing."""
    if answer_type == "yes_no":
        return PROFILE_ANSWER_AS_YES_NO.get((profile_answer or "").strip().lower())
    if answer_type == "text":
        # Whole, never cut: the caller refuses a text over ANSWER_TEXT_MAX_LENGTH.
        return (narrative or "").strip() or None
    return None


# --- Forced-labor requirements of existing members -----------------------------------------------

# source: DOMAIN.md §7.4 [V-secondary, three sources agree] — CBP announced the Trade Compliance
# forced-labor requirements on 1 Aug 2022: "As of August 1, 2022, all new applicants must meet
# the CTPAT Trade Compliance forced labor program requirements at the time of their application
# submission" (C.H. Robinson, 2022-08-17, chrobinson.com/.../08-17-2022/) and "Existing members
# will have until August 1, 2023 to implement the new forced labor elements" (Crowell & Moring
# International Trade Law blog, 2022-11, cmtradelaw.com). Services read both dates from
# settings (CTPAT_TC_FORCED_LABOR_CUTOFF / _DEADLINE) and pass them in; these are the defaults.
FORCED_LABOR_CUTOFF = dt.date(2022, 8, 1)
FORCED_LABOR_DEADLINE = dt.date(2023, 8, 1)


class ForcedLaborStatus(StrEnum):
    """How a membership stands with the forced-labor requirements (computed, never stored)."""

    MET_AT_APPLICATION = "met_at_application"  # accepted on/after the cut-off: met when applying
    MET = "met"  # an existing member CBP found compliant
    OPEN = "open"  # an existing member, not yet found compliant, deadline not passed
    OVERDUE = "overdue"  # an existing member, not found compliant after the deadline


FORCED_LABOR_STATUS_LABELS: dict[str, str] = {
    ForcedLaborStatus.MET_AT_APPLICATION: "Met at application",
    ForcedLaborStatus.MET: "Met",
    ForcedLaborStatus.OPEN: "Open",
    ForcedLaborStatus.OVERDUE: "Overdue",
}


def forced_labor_obligation_applies(accepted_on: dt.date, *, cutoff: dt.date) -> bool:
    """Does a member accepted on ``accepted_on`` owe the forced-labor requirements as a tracked
    obligation? Only members accepted before the cut-off; later ones met them when applying."""
    return accepted_on < cutoff


def forced_labor_status(
    *,
    accepted_on: dt.date,
    met: bool,
    today: dt.date,
    cutoff: dt.date,
    deadline: dt.date,
) -> ForcedLaborStatus:
    """The membership's forced-labor status on ``today``: overdue only once ``today`` is after
    the deadline (the deadline day itself is still on time)."""
    if not forced_labor_obligation_applies(accepted_on, cutoff=cutoff):
        return ForcedLaborStatus.MET_AT_APPLICATION
    if met:
        return ForcedLaborStatus.MET
    return ForcedLaborStatus.OVERDUE if today > deadline else ForcedLaborStatus.OPEN


# One Importer of Record number is covered by one Trade Compliance membership at a time
# (DOMAIN.md §2.2, IOR selection: the membership covers the company's own IOR numbers). A
# membership holds its numbers while it is in force — active, or suspended since a suspension
# can be lifted; removal or withdrawal releases them.
IOR_HOLDING_MEMBERSHIP_STATUSES: frozenset[str] = frozenset({"active", "suspended"})


# Eligibility facts CBP finds in its own records (an unpaid final debt, the first import as
# Importer of Record): what CBP records takes precedence over the company's statement until
# CBP clears it; the company may dispute it with a note (DOMAIN.md §2.2, eligibility).
CBP_RECORDABLE_FACTS: dict[str, str] = {
    "import_history_start": "the date of the company's first import",
    "has_cbp_debt": "whether the company has an unpaid final debt to CBP",
}

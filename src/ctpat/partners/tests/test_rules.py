"""Specification of the partners rules: membership state machine, program dates, BEI needs.

Pure functions, so no database and no Django settings are needed.
"""

import dataclasses
import itertools
from datetime import date

import pytest

from ctpat.partners import rules
from ctpat.partners.choices import EntityType, IdentifierKind, MembershipStatus
from ctpat.partners.rules import (
    LEGAL_TRANSITIONS,
    Decision,
    add_months,
    add_years,
    allowed_targets,
    anniversary_date,
    applicant_review_deadline,
    missing_identifiers,
    reapply_allowed_on,
    reason_required,
    required_identifiers,
    revalidation_due,
    review_window,
    review_window_is_open,
    security_profile_deadline,
    suspension_response_deadline,
    tier_for_status,
    transition_decision,
    validation_target_date,
)

S = MembershipStatus
K = IdentifierKind
STATUSES = list(MembershipStatus.values)
FAR_FUTURE = date(2100, 1, 1)
A_REASON = "Documented by the SCSS in the case file."

# The state machine as the brief specifies it; a change to rules.py must change this too.
EXPECTED_EDGES = {
    (S.PRE_APPLICANT, S.APPLICANT),
    (S.PRE_APPLICANT, S.WITHDRAWN),
    (S.APPLICANT, S.CERTIFIED),
    (S.APPLICANT, S.PRE_APPLICANT),
    (S.APPLICANT, S.WITHDRAWN),
    (S.CERTIFIED, S.VALIDATED),
    (S.CERTIFIED, S.SUSPENDED),
    (S.CERTIFIED, S.WITHDRAWN),
    (S.VALIDATED, S.TIER_III),
    (S.VALIDATED, S.SUSPENDED),
    (S.VALIDATED, S.WITHDRAWN),
    (S.TIER_III, S.VALIDATED),
    (S.TIER_III, S.SUSPENDED),
    (S.TIER_III, S.WITHDRAWN),
    (S.SUSPENDED, S.CERTIFIED),
    (S.SUSPENDED, S.VALIDATED),
    (S.SUSPENDED, S.TIER_III),
    (S.SUSPENDED, S.REMOVED),
    (S.SUSPENDED, S.WITHDRAWN),
    (S.REMOVED, S.PRE_APPLICANT),
    (S.WITHDRAWN, S.PRE_APPLICANT),
}


def _decide(current, target, *, reason=A_REASON, today=FAR_FUTURE, **kwargs):
    """A transition with every side condition satisfied unless the test overrides it."""
    kwargs.setdefault("status_before_suspension", target if current == S.SUSPENDED else None)
    kwargs.setdefault("withdrawn_on", date(2000, 1, 1))
    kwargs.setdefault("removed_on", date(2000, 1, 1))
    return transition_decision(current=current, target=target, today=today, reason=reason, **kwargs)


# --- Decision ------------------------------------------------------------------------------------


def test_decision_is_immutable():
    decision = Decision(allowed=True, reasons=(), code="ok")

    with pytest.raises(dataclasses.FrozenInstanceError):
        decision.allowed = False  # type: ignore[misc]


def test_decision_codes_are_plain_strings():
    decision = _decide(S.CERTIFIED, S.APPLICANT)

    assert type(decision.code) is str
    assert decision.code == "illegal_transition"


# --- Tiers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "tier"),
    [
        pytest.param(S.PRE_APPLICANT, None, id="pre_applicant-none"),
        pytest.param(S.APPLICANT, None, id="applicant-none"),
        pytest.param(S.CERTIFIED, 1, id="certified-tier1"),
        pytest.param(S.VALIDATED, 2, id="validated-tier2"),
        pytest.param(S.TIER_III, 3, id="tier_iii-tier3"),
        pytest.param(S.SUSPENDED, None, id="suspended-none"),
        pytest.param(S.REMOVED, None, id="removed-none"),
        pytest.param(S.WITHDRAWN, None, id="withdrawn-none"),
        pytest.param("nonsense", None, id="unknown-none"),
    ],
)
def test_tier_for_status(status, tier):
    assert tier_for_status(status) == tier


# --- State machine -------------------------------------------------------------------------------


def test_legal_transitions_are_exactly_the_specified_edges():
    edges = {(src, dst) for src, targets in LEGAL_TRANSITIONS.items() for dst in targets}

    assert edges == EXPECTED_EDGES
    assert set(LEGAL_TRANSITIONS) == set(STATUSES)


def test_a_validation_downgrade_goes_through_suspension_not_a_direct_edge():
    assert S.CERTIFIED not in LEGAL_TRANSITIONS[S.VALIDATED]


@pytest.mark.parametrize(
    ("current", "target"),
    [pytest.param(c, t, id=f"{c}->{t}") for c, t in itertools.product(STATUSES, STATUSES)],
)
def test_exactly_the_legal_transitions_are_allowed_given_a_reason(current, target):
    decision = _decide(current, target)

    assert decision.allowed is ((current, target) in EXPECTED_EDGES), decision.reasons
    if decision.allowed:
        assert decision.code == "ok"
    elif current == target:
        assert decision.code == "no_change"
    elif target == S.REMOVED:
        # Outside suspension a member is removed only by an immediate removal.
        assert decision.code == "immediate_removal_only"
        assert "immediate removal" in decision.reasons[0]
    else:
        assert decision.code == "illegal_transition"
        assert decision.reasons


def test_an_illegal_transition_says_where_the_membership_can_go():
    decision = _decide(S.CERTIFIED, S.TIER_III)

    assert decision.reasons == (
        "A membership cannot move from certified (Tier I) to Tier III; from certified (Tier I) "
        "it can only move to: validated (Tier II), suspended, withdrawn.",
    )


@pytest.mark.parametrize(
    ("current", "target"),
    [
        pytest.param("bogus", S.APPLICANT, id="unknown-current"),
        pytest.param(S.APPLICANT, "bogus", id="unknown-target"),
    ],
)
def test_an_unknown_status_is_refused(current, target):
    decision = _decide(current, target)

    assert not decision.allowed
    assert decision.code == "unknown_status"


REASON_REQUIRED_CASES = [
    (S.APPLICANT, S.PRE_APPLICANT),
    (S.TIER_III, S.VALIDATED),
    *((c, t) for c, t in EXPECTED_EDGES if t in {S.SUSPENDED, S.REMOVED, S.WITHDRAWN}),
]
REASON_OPTIONAL_CASES = sorted(EXPECTED_EDGES - set(REASON_REQUIRED_CASES))


@pytest.mark.parametrize("blank", [pytest.param("", id="empty"), pytest.param(" \n\t", id="blank")])
@pytest.mark.parametrize(
    ("current", "target"),
    [pytest.param(c, t, id=f"{c}->{t}") for c, t in sorted(REASON_REQUIRED_CASES)],
)
def test_these_transitions_need_a_reason(current, target, blank):
    decision = _decide(current, target, reason=blank)

    assert not decision.allowed
    assert decision.code == "reason_required"
    assert decision.reasons[0].startswith("A reason is required for ")
    assert reason_required(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [pytest.param(c, t, id=f"{c}->{t}") for c, t in REASON_OPTIONAL_CASES],
)
def test_these_transitions_need_no_reason(current, target):
    decision = _decide(current, target, reason="")

    assert decision.allowed, decision.reasons
    assert not reason_required(current, target)


def test_suspension_reason_message_names_the_action():
    decision = _decide(S.CERTIFIED, S.SUSPENDED, reason="")

    assert decision.reasons == ("A reason is required for suspending the membership.",)


def test_tier_lowering_reason_message_names_both_tiers():
    decision = _decide(S.TIER_III, S.VALIDATED, reason="")

    assert decision.reasons == (
        "A reason is required for lowering the tier from Tier III to validated (Tier II).",
    )


# --- Reinstatement -------------------------------------------------------------------------------

TIERED = [S.CERTIFIED, S.VALIDATED, S.TIER_III]


@pytest.mark.parametrize("status", [pytest.param(s, id=s) for s in TIERED])
def test_reinstatement_to_the_status_held_before_suspension_is_allowed(status):
    decision = _decide(S.SUSPENDED, status, status_before_suspension=status)

    assert decision.allowed
    assert decision.code == "ok"


@pytest.mark.parametrize(
    ("before", "target"),
    [
        pytest.param(before, target, id=f"was-{before}-asked-{target}")
        for before, target in itertools.product(TIERED, TIERED)
        if before != target
    ],
)
def test_reinstatement_to_another_status_is_refused(before, target):
    decision = _decide(S.SUSPENDED, target, status_before_suspension=before)

    assert not decision.allowed
    assert decision.code == "reinstatement_status_mismatch"
    assert "status held before suspension" in decision.reasons[0]


def test_reinstatement_without_a_recorded_prior_status_is_refused():
    decision = _decide(S.SUSPENDED, S.VALIDATED, status_before_suspension=None)

    assert not decision.allowed
    assert decision.code == "prior_status_unknown"


# --- Reapplying ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("withdrawn_on", "today", "allowed"),
    [
        pytest.param(date(2023, 6, 15), date(2023, 6, 15), False, id="same-day"),
        pytest.param(date(2023, 6, 15), date(2024, 6, 14), False, id="one-day-short"),
        pytest.param(date(2023, 6, 15), date(2024, 6, 15), True, id="exactly-one-year"),
        pytest.param(date(2023, 6, 15), date(2026, 1, 1), True, id="years-later"),
        pytest.param(date(2024, 2, 29), date(2025, 2, 27), False, id="leap-day-one-day-short"),
        pytest.param(date(2024, 2, 29), date(2025, 2, 28), True, id="leap-day-feb28-next-year"),
        pytest.param(date(2024, 2, 29), date(2025, 3, 1), True, id="leap-day-mar1-next-year"),
    ],
)
def test_withdrawn_company_reapplies_only_a_year_after_withdrawal(withdrawn_on, today, allowed):
    decision = _decide(S.WITHDRAWN, S.PRE_APPLICANT, withdrawn_on=withdrawn_on, today=today)

    assert decision.allowed is allowed
    assert decision.code == ("ok" if allowed else "reapply_too_soon")


def test_reapplying_too_soon_says_when_it_becomes_possible():
    decision = _decide(
        S.WITHDRAWN, S.PRE_APPLICANT, withdrawn_on=date(2024, 2, 29), today=date(2024, 12, 1)
    )

    assert "withdrawn on 2024-02-29" in decision.reasons[0]
    assert "not before 2025-02-28" in decision.reasons[0]


def test_reapplying_without_a_withdrawal_date_is_refused():
    decision = _decide(S.WITHDRAWN, S.PRE_APPLICANT, withdrawn_on=None)

    assert not decision.allowed
    assert decision.code == "date_required"


def test_removed_company_may_reapply_at_once_while_no_wait_is_configured():
    assert rules.REMOVED_REAPPLY_WAIT_YEARS == 0

    decision = _decide(
        S.REMOVED, S.PRE_APPLICANT, removed_on=None, today=date(2024, 1, 1), reason=""
    )

    assert decision.allowed


def test_removed_company_waits_when_a_wait_is_configured(monkeypatch):
    monkeypatch.setattr(rules, "REMOVED_REAPPLY_WAIT_YEARS", 5)

    too_soon = _decide(
        S.REMOVED, S.PRE_APPLICANT, removed_on=date(2020, 2, 29), today=date(2025, 2, 27)
    )
    in_time = _decide(
        S.REMOVED, S.PRE_APPLICANT, removed_on=date(2020, 2, 29), today=date(2025, 2, 28)
    )
    undated = _decide(S.REMOVED, S.PRE_APPLICANT, removed_on=None)

    assert (too_soon.code, in_time.code, undated.code) == (
        "reapply_too_soon",
        "ok",
        "date_required",
    )


# --- Allowed targets for the UI ------------------------------------------------------------------


@pytest.mark.parametrize(
    "current",
    [pytest.param(s, id=s) for s in STATUSES if s not in {S.SUSPENDED, S.WITHDRAWN}],
)
def test_allowed_targets_lists_every_legal_target_in_status_order(current):
    expected = [s for s in STATUSES if (current, s) in EXPECTED_EDGES]

    assert allowed_targets(current, today=FAR_FUTURE) == expected


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        pytest.param(S.CERTIFIED, [S.CERTIFIED, S.REMOVED, S.WITHDRAWN], id="was-certified"),
        pytest.param(S.VALIDATED, [S.VALIDATED, S.REMOVED, S.WITHDRAWN], id="was-validated"),
        pytest.param(S.TIER_III, [S.TIER_III, S.REMOVED, S.WITHDRAWN], id="was-tier_iii"),
        pytest.param(None, [S.REMOVED, S.WITHDRAWN], id="prior-unknown"),
    ],
)
def test_allowed_targets_from_suspended_offer_only_the_prior_status(before, expected):
    assert allowed_targets(S.SUSPENDED, today=FAR_FUTURE, status_before_suspension=before) == (
        expected
    )


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        pytest.param(date(2025, 2, 27), [], id="too-soon"),
        pytest.param(date(2025, 2, 28), [S.PRE_APPLICANT], id="after-a-year"),
    ],
)
def test_allowed_targets_from_withdrawn_respect_the_wait(today, expected):
    assert allowed_targets(S.WITHDRAWN, today=today, withdrawn_on=date(2024, 2, 29)) == expected


def test_allowed_targets_of_an_unknown_status_is_empty():
    assert allowed_targets("bogus", today=FAR_FUTURE) == []


# --- Date arithmetic -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        pytest.param(date(2024, 1, 31), 1, date(2024, 2, 29), id="jan31+1-leap"),
        pytest.param(date(2023, 1, 31), 1, date(2023, 2, 28), id="jan31+1-common"),
        pytest.param(date(2023, 5, 31), 1, date(2023, 6, 30), id="may31+1"),
        pytest.param(date(2023, 3, 31), -1, date(2023, 2, 28), id="mar31-1"),
        pytest.param(date(2023, 12, 15), 1, date(2024, 1, 15), id="over-year-end"),
        pytest.param(date(2024, 1, 15), -1, date(2023, 12, 15), id="back-over-year-end"),
        pytest.param(date(2023, 1, 31), 13, date(2024, 2, 29), id="jan31+13"),
        pytest.param(date(2024, 3, 31), -25, date(2022, 2, 28), id="mar31-25"),
        pytest.param(date(2023, 8, 31), 0, date(2023, 8, 31), id="zero"),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        pytest.param(date(2024, 2, 29), 1, date(2025, 2, 28), id="leap-day+1"),
        pytest.param(date(2024, 2, 29), 4, date(2028, 2, 29), id="leap-day+4"),
        pytest.param(date(2020, 2, 29), 4, date(2024, 2, 29), id="2020-leap-day+4"),
        pytest.param(date(2024, 2, 29), -1, date(2023, 2, 28), id="leap-day-1"),
        pytest.param(date(2000, 2, 29), 100, date(2100, 2, 28), id="2100-not-leap"),
        pytest.param(date(2023, 6, 15), 1, date(2024, 6, 15), id="plain"),
    ],
)
def test_add_years_maps_feb29_to_feb28_in_common_years(start, years, expected):
    assert add_years(start, years) == expected


@pytest.mark.parametrize(
    ("certified", "today", "expected"),
    [
        pytest.param(date(2022, 6, 15), date(2022, 6, 15), date(2023, 6, 15), id="cert-day"),
        pytest.param(date(2022, 6, 15), date(2022, 1, 1), date(2023, 6, 15), id="before-cert"),
        pytest.param(date(2022, 6, 15), date(2023, 6, 14), date(2023, 6, 15), id="day-before"),
        pytest.param(date(2022, 6, 15), date(2023, 6, 15), date(2023, 6, 15), id="today-is-it"),
        pytest.param(date(2022, 6, 15), date(2023, 6, 16), date(2024, 6, 15), id="day-after"),
        pytest.param(date(2022, 6, 15), date(2030, 12, 31), date(2031, 6, 15), id="years-later"),
        pytest.param(date(2020, 2, 29), date(2021, 1, 1), date(2021, 2, 28), id="leap-2021"),
        pytest.param(date(2020, 2, 29), date(2021, 2, 28), date(2021, 2, 28), id="leap-today"),
        pytest.param(date(2020, 2, 29), date(2021, 3, 1), date(2022, 2, 28), id="leap-2022"),
        pytest.param(date(2020, 2, 29), date(2023, 3, 1), date(2024, 2, 29), id="leap-2024"),
        pytest.param(date(2020, 2, 29), date(2024, 2, 29), date(2024, 2, 29), id="leap-on-29th"),
        pytest.param(date(2020, 2, 29), date(2024, 3, 1), date(2025, 2, 28), id="leap-2025"),
    ],
)
def test_anniversary_date_is_the_next_one_on_or_after_today(certified, today, expected):
    assert anniversary_date(certified, today) == expected


@pytest.mark.parametrize(
    ("certified", "today", "expected"),
    [
        pytest.param(
            date(2022, 6, 15),
            date(2023, 4, 1),
            (date(2023, 3, 17), date(2023, 6, 15)),
            id="plain",
        ),
        pytest.param(
            date(2020, 2, 29),
            date(2023, 12, 1),
            (date(2023, 12, 1), date(2024, 2, 29)),
            id="leap-anniversary",
        ),
        pytest.param(
            date(2020, 2, 29),
            date(2020, 10, 1),
            (date(2020, 11, 30), date(2021, 2, 28)),
            id="feb28-anniversary",
        ),
    ],
)
def test_review_window_opens_90_days_before_the_anniversary(certified, today, expected):
    assert review_window(certified, today) == expected


@pytest.mark.parametrize(
    ("certified", "today", "is_open"),
    [
        pytest.param(date(2022, 6, 15), date(2023, 3, 16), False, id="91-days-before"),
        pytest.param(date(2022, 6, 15), date(2023, 3, 17), True, id="90-days-before"),
        pytest.param(date(2022, 6, 15), date(2023, 3, 18), True, id="89-days-before"),
        pytest.param(date(2022, 6, 15), date(2023, 6, 15), True, id="anniversary"),
        pytest.param(date(2022, 6, 15), date(2023, 6, 16), False, id="day-after"),
        pytest.param(date(2022, 6, 15), date(2022, 6, 15), False, id="certification-day"),
        pytest.param(date(2020, 2, 29), date(2023, 11, 30), False, id="leap-91-days-before"),
        pytest.param(date(2020, 2, 29), date(2023, 12, 1), True, id="leap-90-days-before"),
        pytest.param(date(2020, 2, 29), date(2024, 2, 29), True, id="leap-anniversary"),
        pytest.param(date(2020, 2, 29), date(2024, 3, 1), False, id="leap-day-after"),
    ],
)
def test_review_window_is_open_both_ends_inclusive(certified, today, is_open):
    assert review_window_is_open(certified, today) is is_open


@pytest.mark.parametrize(
    ("validated", "due"),
    [
        pytest.param(date(2024, 2, 29), date(2028, 2, 29), id="2024-leap-to-2028-leap"),
        pytest.param(date(2020, 2, 29), date(2024, 2, 29), id="2020-leap-to-2024-leap"),
        pytest.param(date(2021, 2, 28), date(2025, 2, 28), id="feb28"),
        pytest.param(date(2023, 1, 31), date(2027, 1, 31), id="month-end"),
    ],
)
def test_revalidation_is_due_four_years_after_the_last_validation(validated, due):
    assert revalidation_due(validated) == due


@pytest.mark.parametrize(
    ("function", "start", "expected"),
    [
        pytest.param(suspension_response_deadline, date(2024, 1, 1), date(2024, 3, 31), id="susp"),
        pytest.param(suspension_response_deadline, date(2023, 1, 1), date(2023, 4, 1), id="susp2"),
        pytest.param(applicant_review_deadline, date(2024, 12, 1), date(2025, 3, 1), id="review"),
        pytest.param(security_profile_deadline, date(2024, 2, 1), date(2024, 3, 2), id="profile"),
        pytest.param(validation_target_date, date(2023, 5, 10), date(2024, 5, 10), id="valid"),
        pytest.param(validation_target_date, date(2020, 2, 29), date(2021, 2, 28), id="valid-29"),
        pytest.param(reapply_allowed_on, date(2024, 2, 29), date(2025, 2, 28), id="reapply-29"),
        pytest.param(reapply_allowed_on, date(2023, 6, 15), date(2024, 6, 15), id="reapply"),
    ],
)
def test_deadline_helpers(function, start, expected):
    assert function(start) == expected


DUE = date(2024, 3, 1)  # the day after a leap day: month and year boundaries both nearby


@pytest.mark.parametrize(
    ("today", "days_left", "urgency"),
    [
        pytest.param(date(2024, 2, 15), 15, rules.Urgency.LATER, id="day-before-due-soon"),
        pytest.param(date(2024, 2, 16), 14, rules.Urgency.DUE_SOON, id="first-due-soon-day"),
        pytest.param(date(2024, 2, 29), 1, rules.Urgency.DUE_SOON, id="day-before-due"),
        pytest.param(DUE, 0, rules.Urgency.DUE_SOON, id="due-day-is-on-time"),
        pytest.param(date(2024, 3, 2), -1, rules.Urgency.OVERDUE, id="day-after-due"),
    ],
)
def test_a_clock_is_overdue_only_from_the_day_after_its_due_date(today, days_left, urgency):
    c = rules.clock(DUE, today, due_soon_days=14)
    assert (c.due, c.days_left, c.urgency) == (DUE, days_left, urgency)
    assert c.overdue is (urgency is rules.Urgency.OVERDUE)


def test_a_clock_with_no_due_soon_period_is_on_time_through_its_due_day():
    assert rules.clock(DUE, DUE, due_soon_days=0).urgency is rules.Urgency.DUE_SOON
    assert rules.clock(DUE, date(2024, 2, 29), due_soon_days=0).urgency is rules.Urgency.LATER
    assert rules.clock(DUE, date(2024, 3, 2), due_soon_days=0).overdue


@pytest.mark.parametrize(
    ("day", "today", "days"),
    [
        pytest.param(date(2024, 3, 1), date(2024, 2, 29), 1, id="day-before"),
        pytest.param(date(2024, 3, 1), date(2024, 3, 1), 0, id="day-of"),
        pytest.param(date(2024, 3, 1), date(2024, 3, 2), -1, id="day-after"),
    ],
)
def test_days_until_counts_whole_days_and_goes_negative_once_past(day, today, days):
    assert rules.days_until(day, today) == days


def test_the_next_validation_is_a_revalidation_once_validated_else_the_first():
    assert rules.next_validation(
        last_validation_date=date(2021, 5, 3), certification_date=date(2019, 1, 1)
    ) == rules.NextValidation(date(2025, 5, 3), "Revalidation")
    assert rules.next_validation(
        last_validation_date=None, certification_date=date(2020, 2, 29)
    ) == rules.NextValidation(date(2021, 2, 28), "First validation")
    assert rules.next_validation(last_validation_date=None, certification_date=None) is None


def test_dashboard_horizons_are_named_constants():
    assert rules.VALIDATION_HORIZON_DAYS == rules.ANNUAL_REVIEW_WINDOW_DAYS == 90
    assert rules.APPLICANT_REVIEW_DUE_SOON_DAYS == 14


def test_program_constants_match_the_domain_brief():
    assert (
        rules.APPLICANT_REVIEW_DAYS,
        rules.SECURITY_PROFILE_DUE_DAYS,
        rules.ANNUAL_REVIEW_WINDOW_DAYS,
        rules.REVALIDATION_CYCLE_YEARS,
        rules.VALIDATION_TARGET_YEARS,
        rules.SUSPENSION_RESPONSE_DAYS,
        rules.WITHDRAWN_REAPPLY_WAIT_YEARS,
    ) == (90, 30, 90, 4, 1, 90, 1)


# --- Required Business Entity Identifiers --------------------------------------------------------

E = EntityType

EXPECTED_REQUIREMENTS = {
    E.IMPORTER: ((K.IOR,), (K.BOND,)),
    E.EXPORTER: ((K.DUNS, K.EIN),),
    E.FOREIGN_MANUFACTURER: ((K.MID,),),
    E.CUSTOMS_BROKER: ((K.BROKER_LICENSE,), (K.FILER_CODE,)),
    E.CONSOLIDATOR: ((K.FMC, K.IATA), (K.BOND,)),
    E.AIR_CARRIER: ((K.IATA,), (K.BOND,)),
    E.SEA_CARRIER: ((K.SCAC,), (K.BOND,)),
    E.RAIL_CARRIER: ((K.SCAC,), (K.BOND,)),
    E.HIGHWAY_CARRIER_US_CANADA: ((K.SCAC,), (K.DOT,)),
    E.HIGHWAY_CARRIER_US_MEXICO: ((K.SCAC,), (K.DOT,)),
    E.MEXICAN_LONG_HAUL_CARRIER: ((K.SCT,),),
    E.US_MARINE_PORT_TERMINAL_OPERATOR: ((K.EIN, K.DUNS, K.FMC),),
    E.FOREIGN_MARINE_PORT_TERMINAL_OPERATOR: (tuple(K.values),),
    E.THIRD_PARTY_LOGISTICS: (tuple(K.values),),
}


def test_every_entity_type_has_identifier_requirements():
    assert set(rules.REQUIRED_IDENTIFIERS) == set(EntityType.values)


@pytest.mark.parametrize(
    ("entity_type", "groups"),
    [pytest.param(e, g, id=e) for e, g in EXPECTED_REQUIREMENTS.items()],
)
def test_required_identifiers(entity_type, groups):
    assert required_identifiers(entity_type) == groups


def test_required_identifiers_of_an_unknown_type_raises():
    with pytest.raises(ValueError, match="not a business entity type"):
        required_identifiers("spaceport")


@pytest.mark.parametrize(
    ("entity_type", "present"),
    [
        pytest.param(E.IMPORTER, {K.IOR, K.BOND}, id="importer"),
        pytest.param(E.EXPORTER, {K.DUNS}, id="exporter-duns"),
        pytest.param(E.EXPORTER, {K.EIN}, id="exporter-ein"),
        pytest.param(E.FOREIGN_MANUFACTURER, {K.MID}, id="foreign_manufacturer"),
        pytest.param(E.CUSTOMS_BROKER, {K.BROKER_LICENSE, K.FILER_CODE}, id="customs_broker"),
        pytest.param(E.CONSOLIDATOR, {K.FMC, K.BOND}, id="consolidator-fmc"),
        pytest.param(E.CONSOLIDATOR, {K.IATA, K.BOND}, id="consolidator-iata"),
        pytest.param(E.AIR_CARRIER, {K.IATA, K.BOND}, id="air_carrier"),
        pytest.param(E.SEA_CARRIER, {K.SCAC, K.BOND}, id="sea_carrier"),
        pytest.param(E.RAIL_CARRIER, {K.SCAC, K.BOND}, id="rail_carrier"),
        pytest.param(E.HIGHWAY_CARRIER_US_CANADA, {K.SCAC, K.DOT}, id="highway_us_canada"),
        pytest.param(E.HIGHWAY_CARRIER_US_MEXICO, {K.SCAC, K.DOT}, id="highway_us_mexico"),
        pytest.param(E.MEXICAN_LONG_HAUL_CARRIER, {K.SCT}, id="mexican_long_haul"),
        pytest.param(E.US_MARINE_PORT_TERMINAL_OPERATOR, {K.FMC}, id="us_terminal-fmc"),
        pytest.param(E.US_MARINE_PORT_TERMINAL_OPERATOR, {K.EIN}, id="us_terminal-ein"),
        pytest.param(E.FOREIGN_MARINE_PORT_TERMINAL_OPERATOR, {K.RFC}, id="foreign_terminal"),
        pytest.param(E.IMPORTER, {K.IOR, K.BOND, K.DUNS, K.EIN}, id="extra-kinds-are-fine"),
    ],
)
def test_identifier_requirements_met(entity_type, present):
    decision = missing_identifiers(entity_type, present)

    assert decision.allowed, decision.reasons
    assert decision.code == "ok"


@pytest.mark.parametrize("kind", [pytest.param(k, id=k) for k in IdentifierKind.values])
def test_a_third_party_logistics_provider_needs_any_one_identifier(kind):
    assert missing_identifiers(E.THIRD_PARTY_LOGISTICS, {kind}).allowed


@pytest.mark.parametrize(
    ("entity_type", "present", "reasons"),
    [
        pytest.param(
            E.IMPORTER,
            set(),
            (
                "An importer needs an Importer of Record number (IOR).",
                "An importer needs a CBP bond number.",
            ),
            id="importer-nothing",
        ),
        pytest.param(
            E.IMPORTER,
            {K.BOND},
            ("An importer needs an Importer of Record number (IOR).",),
            id="importer-no-ior",
        ),
        pytest.param(
            E.EXPORTER,
            {K.IOR},
            ("An exporter needs a D-U-N-S number or an Employer Identification Number (EIN).",),
            id="exporter",
        ),
        pytest.param(
            E.FOREIGN_MANUFACTURER,
            {K.DUNS},
            ("A foreign manufacturer needs a Manufacturer ID (MID).",),
            id="foreign_manufacturer",
        ),
        pytest.param(
            E.CUSTOMS_BROKER,
            {K.BROKER_LICENSE},
            ("A licensed customs broker needs an ABI filer code.",),
            id="customs_broker-no-filer-code",
        ),
        pytest.param(
            E.CONSOLIDATOR,
            {K.FMC},
            ("A consolidator (NVOCC/OTI) needs a CBP bond number.",),
            id="consolidator-no-bond",
        ),
        pytest.param(
            E.CONSOLIDATOR,
            {K.BOND},
            (
                "A consolidator (NVOCC/OTI) needs an FMC organization or license number "
                "or an IATA code.",
            ),
            id="consolidator-no-fmc-or-iata",
        ),
        pytest.param(
            E.AIR_CARRIER,
            {K.SCAC, K.BOND},
            ("An air carrier needs an IATA code.",),
            id="air_carrier",
        ),
        pytest.param(
            E.SEA_CARRIER,
            {K.SCAC},
            ("A sea carrier needs a CBP bond number.",),
            id="sea_carrier",
        ),
        pytest.param(
            E.RAIL_CARRIER,
            {K.BOND},
            ("A rail carrier needs a Standard Carrier Alpha Code (SCAC).",),
            id="rail_carrier",
        ),
        pytest.param(
            E.HIGHWAY_CARRIER_US_CANADA,
            {K.SCAC},
            ("A U.S./Canada highway carrier needs a U.S. DOT number.",),
            id="highway_us_canada",
        ),
        pytest.param(
            E.HIGHWAY_CARRIER_US_MEXICO,
            {K.DOT},
            ("A U.S./Mexico highway carrier needs a Standard Carrier Alpha Code (SCAC).",),
            id="highway_us_mexico",
        ),
        pytest.param(
            E.MEXICAN_LONG_HAUL_CARRIER,
            {K.RFC},
            ("A Mexican long-haul carrier needs a Mexican SCT permit number.",),
            id="mexican_long_haul",
        ),
        pytest.param(
            E.US_MARINE_PORT_TERMINAL_OPERATOR,
            {K.SCAC},
            (
                "A U.S. marine port or terminal operator needs an Employer Identification "
                "Number (EIN) or a D-U-N-S number or an FMC organization or license number.",
            ),
            id="us_terminal",
        ),
        pytest.param(
            E.FOREIGN_MARINE_PORT_TERMINAL_OPERATOR,
            set(),
            (
                "A foreign marine port terminal operator needs at least one business entity "
                "identifier of any kind.",
            ),
            id="foreign_terminal",
        ),
        pytest.param(
            E.THIRD_PARTY_LOGISTICS,
            set(),
            (
                "A third-party logistics provider needs at least one business entity "
                "identifier of any kind.",
            ),
            id="third_party_logistics",
        ),
    ],
)
def test_identifier_requirements_not_met(entity_type, present, reasons):
    decision = missing_identifiers(entity_type, present)

    assert not decision.allowed
    assert decision.code == "missing_identifiers"
    assert decision.reasons == reasons


def test_missing_identifiers_of_an_unknown_type_is_refused():
    decision = missing_identifiers("spaceport", {K.EIN})

    assert not decision.allowed
    assert decision.code == "unknown_entity_type"


def test_missing_identifiers_accepts_any_iterable_of_kinds():
    assert missing_identifiers(E.IMPORTER, ["ior", "bond"]).allowed


def test_removal_waits_for_the_90_day_response_window():
    import datetime as dt

    from ctpat.partners import rules

    suspended = dt.date(2024, 1, 31)
    # Day 90 (2024-04-30) is the member's last day to answer; removal from day 91.
    early = rules.transition_decision(
        current="suspended",
        target="removed",
        today=dt.date(2024, 4, 30),
        reason="x",
        suspended_on=suspended,
    )
    assert early.code == "response_window_open"
    assert "cannot be removed before 2024-05-01" in early.reasons[0]
    on_time = rules.transition_decision(
        current="suspended",
        target="removed",
        today=dt.date(2024, 5, 1),
        reason="x",
        suspended_on=suspended,
    )
    assert on_time.allowed
    assert "removed" not in rules.allowed_targets(
        "suspended",
        today=dt.date(2024, 4, 30),
        status_before_suspension="certified",
        suspended_on=suspended,
    )

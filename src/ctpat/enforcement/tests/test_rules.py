"""Rules of answers, appeals and exits: windows and their boundaries, each exit's wait."""

from datetime import date

import pytest

from ctpat.enforcement import rules
from ctpat.partners import rules as partner_rules
from ctpat.partners.choices import ExitGround
from ctpat.partners.choices import MembershipStatus as S

DECIDED = date(2026, 1, 10)


@pytest.mark.parametrize(
    ("basis", "day", "allowed"),
    [
        pytest.param("benefits", 90, True, id="967c1-day-90"),
        pytest.param("benefits", 91, False, id="967c1-day-91"),
        pytest.param("false_information", 30, True, id="967c2-day-30"),
        pytest.param("false_information", 31, False, id="967c2-day-31"),
        pytest.param("benefits", 0, True, id="same-day"),
    ],
)
def test_an_appeal_is_filed_within_90_or_30_days_of_the_decision(basis, day, allowed):
    today = date.fromordinal(DECIDED.toordinal() + day)

    decision = rules.filing_decision(decision_date=DECIDED, basis=basis, today=today)

    assert decision.allowed is allowed
    if not allowed:
        assert decision.code == "appeal_too_late"
        paragraph = "967(c)(1)" if basis == "benefits" else "967(c)(2)"
        assert paragraph in decision.reasons[0]
        assert rules.STATUTE_967.url in decision.reasons[0]


def test_an_appeal_cannot_predate_its_decision():
    decision = rules.filing_decision(
        decision_date=DECIDED, basis="benefits", today=date(2026, 1, 9)
    )
    assert decision.code == "before_decision"


def test_the_basis_follows_the_false_information_flag():
    assert rules.appeal_basis(false_information=True) == "false_information"
    assert rules.appeal_basis(false_information=False) == "benefits"


def test_cbp_decides_within_180_days_of_filing():
    assert rules.decision_due(date(2026, 1, 1)) == date(2026, 6, 30)
    assert rules.days_left(date(2026, 6, 30), date(2026, 6, 30)) == 0
    assert rules.days_left(date(2026, 6, 30), date(2026, 7, 1)) == -1


@pytest.mark.parametrize(
    ("left", "sent", "expected"),
    [
        pytest.param(31, [], None, id="not-yet"),
        pytest.param(30, [], 30, id="first-reminder"),
        pytest.param(29, [30], None, id="already-sent"),
        pytest.param(7, [30], 7, id="second"),
        pytest.param(3, [], 7, id="missed-days-send-only-the-most-urgent"),
        pytest.param(0, [30, 7], 0, id="due-today"),
        pytest.param(-5, [30, 7, 0], None, id="overdue-said-once"),
    ],
)
def test_reminders_before_the_180_day_limit(left, sent, expected):
    due = date(2026, 6, 30)
    today = date.fromordinal(due.toordinal() - left)
    assert rules.reminder_due(due=due, today=today, offsets=(30, 7, 0), sent=sent) == expected


def test_reminder_days_parse_and_refuse_nonsense():
    assert rules.parse_reminder_days("7, 30") == (30, 7)
    with pytest.raises(ValueError):
        rules.parse_reminder_days("30,-1")
    with pytest.raises(ValueError):
        rules.parse_reminder_days("soon")


@pytest.mark.parametrize(
    ("today", "allowed"),
    [(date(2026, 4, 10), True), (date(2026, 4, 11), False)],
    ids=["last-day", "day-after"],
)
def test_the_answer_window_includes_its_last_day(today, allowed):
    assert rules.answer_window_decision(response_due=date(2026, 4, 10), today=today).allowed is (
        allowed
    )


def test_suspension_response_days_are_a_parameter():
    assert partner_rules.suspension_response_deadline(date(2026, 1, 1)) == date(2026, 4, 1)
    assert partner_rules.suspension_response_deadline(date(2026, 1, 1), 14) == date(2026, 1, 15)


# --- Exits and their waits ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "target", "false_information", "ground"),
    [
        (S.SUSPENDED, S.WITHDRAWN, False, ExitGround.SUSPENSION_UNANSWERED),
        (S.CERTIFIED, S.WITHDRAWN, False, ExitGround.VOLUNTARY_WITHDRAWAL),
        (S.SUSPENDED, S.REMOVED, False, ExitGround.REMOVAL),
        (S.VALIDATED, S.REMOVED, True, ExitGround.FALSE_INFORMATION),
        (S.CERTIFIED, S.VALIDATED, False, ""),
    ],
)
def test_the_exit_ground_is_recorded_with_the_move(current, target, false_information, ground):
    assert (
        partner_rules.exit_ground_for(current, target, false_information=false_information)
        == ground
    )


def test_a_member_that_answered_its_suspension_and_withdraws_withdraws_voluntarily():
    assert (
        partner_rules.exit_ground_for(S.SUSPENDED, S.WITHDRAWN, suspension_answered=True)
        == ExitGround.VOLUNTARY_WITHDRAWAL
    )


WAITS = partner_rules.ReapplyWaits(
    suspension_unanswered=1, voluntary_withdrawal=0, removal=2, false_information=5
)


@pytest.mark.parametrize(
    ("current", "ground", "exited", "too_soon", "in_time"),
    [
        pytest.param(
            S.WITHDRAWN,
            "suspension_unanswered",
            date(2024, 3, 1),
            date(2025, 2, 28),
            date(2025, 3, 1),
            id="withdrawn-after-suspension-1y",
        ),
        pytest.param(
            S.REMOVED,
            "removal",
            date(2024, 3, 1),
            date(2026, 2, 28),
            date(2026, 3, 1),
            id="removal-2y",
        ),
        pytest.param(
            S.REMOVED,
            "false_information",
            date(2024, 3, 1),
            date(2029, 2, 28),
            date(2029, 3, 1),
            id="expulsion-5y",
        ),
    ],
)
def test_each_exit_has_its_own_wait(current, ground, exited, too_soon, in_time):
    dates = {"withdrawn_on" if current == S.WITHDRAWN else "removed_on": exited}

    def decide(today):
        return partner_rules.transition_decision(
            current=current,
            target=S.PRE_APPLICANT,
            today=today,
            reason="",
            exit_ground=ground,
            waits=WAITS,
            **dates,
        )

    refused = decide(too_soon)
    assert refused.code == "reapply_too_soon"
    assert decide(in_time).allowed
    # Only the one sourced wait is not labelled a policy choice.
    assert ("policy choice" in refused.reasons[0]) is (ground != "suspension_unanswered")


def test_a_voluntary_withdrawal_has_no_wait_by_default():
    decision = partner_rules.transition_decision(
        current=S.WITHDRAWN,
        target=S.PRE_APPLICANT,
        today=date(2024, 3, 2),
        reason="",
        withdrawn_on=date(2024, 3, 1),
        exit_ground="voluntary_withdrawal",
    )
    assert decision.allowed


def test_the_default_waits_follow_the_sources():
    waits = partner_rules.default_reapply_waits()
    assert (waits.suspension_unanswered, waits.voluntary_withdrawal, waits.removal) == (1, 0, 0)
    assert partner_rules.REAPPLY_WAIT_SOURCED == {
        "suspension_unanswered": True,
        "voluntary_withdrawal": False,
        "removal": False,
        "false_information": False,
    }


# --- Immediate removal and appeal moves --------------------------------------------------------


@pytest.mark.parametrize("current", [s for s in S.values if s != S.REMOVED])
def test_immediate_removal_is_possible_from_any_status_with_a_reason(current):
    assert partner_rules.immediate_removal_decision(current=current, reason="Smuggling").allowed
    refused = partner_rules.immediate_removal_decision(current=current, reason="  ")
    assert refused.code == "reason_required"


def test_immediate_removal_of_a_removed_company_is_refused():
    decision = partner_rules.immediate_removal_decision(current=S.REMOVED, reason="x")
    assert decision.code == "already_removed"


def test_the_ordinary_machine_still_has_no_removal_outside_suspension():
    decision = partner_rules.transition_decision(
        current=S.CERTIFIED, target=S.REMOVED, today=date(2026, 1, 1), reason="x"
    )
    assert decision.code == "immediate_removal_only"


def test_a_member_that_answered_can_be_removed_inside_the_window():
    kwargs = {
        "current": S.SUSPENDED,
        "target": S.REMOVED,
        "today": date(2026, 1, 2),
        "reason": "Answer wanting",
        "suspended_on": date(2026, 1, 1),
    }
    assert partner_rules.transition_decision(**kwargs).code == "response_window_open"
    assert partner_rules.transition_decision(**kwargs, answered=True).allowed


@pytest.mark.parametrize(
    ("current", "before_suspension", "before_removal", "expected"),
    [
        (S.SUSPENDED, S.VALIDATED, None, [S.CERTIFIED, S.VALIDATED]),
        (S.SUSPENDED, S.TIER_III, None, [S.CERTIFIED, S.VALIDATED, S.TIER_III]),
        (S.SUSPENDED, None, None, []),
        (S.REMOVED, None, S.CERTIFIED, [S.CERTIFIED, S.SUSPENDED]),
        (S.REMOVED, S.VALIDATED, S.SUSPENDED, [S.CERTIFIED, S.VALIDATED, S.SUSPENDED]),
        (S.REMOVED, None, S.APPLICANT, [S.APPLICANT]),
        (S.CERTIFIED, None, None, []),
    ],
)
def test_an_appeal_restores_the_status_before_or_a_lower_one(
    current, before_suspension, before_removal, expected
):
    assert (
        partner_rules.appeal_targets(
            current,
            status_before_suspension=before_suspension,
            status_before_removal=before_removal,
        )
        == expected
    )


def test_an_appeal_move_outside_its_targets_is_refused():
    decision = partner_rules.appeal_transition_decision(
        current=S.SUSPENDED, target=S.TIER_III, reason="x", status_before_suspension=S.CERTIFIED
    )
    assert decision.code == "appeal_target_not_allowed"


@pytest.mark.parametrize(
    ("outcome", "kind", "chosen", "expected"),
    [
        ("upheld", "suspension", None, None),
        ("reversed", "suspension", None, S.VALIDATED),
        ("reversed", "removal", None, S.SUSPENDED),
        ("modified", "removal", S.CERTIFIED, S.CERTIFIED),
    ],
)
def test_the_outcome_names_the_resulting_status(outcome, kind, chosen, expected):
    assert (
        rules.outcome_target(
            outcome=outcome,
            decision_kind=kind,
            status_before_suspension=S.VALIDATED,
            status_before_removal=S.SUSPENDED,
            chosen=chosen,
        )
        == expected
    )

"""Trade Compliance eligibility as a pure rule: every requirement, alone and together."""

from __future__ import annotations

import datetime as dt

import pytest

from ctpat.tradecompliance import rules
from ctpat.tradecompliance.rules import ReasonCode

TODAY = dt.date(2026, 6, 15)
ALL_YES = dict.fromkeys(rules.ELIGIBILITY_QUESTION_NUMBERS, True)


def eligible_inputs(**overrides) -> dict:
    """A U.S. Tier II importer with 5 years of imports, no debt, every answer Yes, program open."""
    inputs = {
        "entity_type": "importer",
        "country": "US",
        "is_non_resident_canadian": False,
        "security_status": "validated",
        "in_good_standing": True,
        "import_history_start": dt.date(2021, 1, 4),
        "has_cbp_debt": False,
        "eligibility_answers": dict(ALL_YES),
        "program_opens_on": None,
        "today": TODAY,
    }
    inputs.update(overrides)
    return inputs


def decide(**overrides) -> rules.Decision:
    return rules.eligibility(**eligible_inputs(**overrides))


# --- Eligible ------------------------------------------------------------------------------------


def test_a_us_tier_ii_importer_meeting_every_requirement_is_eligible():
    decision = decide()

    assert decision.eligible
    assert decision.reasons == ()
    assert decision.code == "eligible"
    assert all(check.met for check in decision.checks)
    assert [c.requirement for c in decision.checks] == [r.value for r in rules.Requirement]


def test_tier_iii_is_eligible_too():
    assert decide(security_status="tier_iii").eligible


# --- Each requirement on its own -----------------------------------------------------------------

SINGLE_FAILURES = [
    pytest.param({"entity_type": "exporter"}, ReasonCode.ENTITY_TYPE_NOT_ELIGIBLE, id="exporter"),
    pytest.param(
        {"entity_type": "sea_carrier"}, ReasonCode.ENTITY_TYPE_NOT_ELIGIBLE, id="sea-carrier"
    ),
    pytest.param(
        {"entity_type": "customs_broker"}, ReasonCode.ENTITY_TYPE_NOT_ELIGIBLE, id="broker"
    ),
    pytest.param(
        {"entity_type": "foreign_manufacturer"},
        ReasonCode.ENTITY_TYPE_NOT_ELIGIBLE,
        id="manufacturer",
    ),
    pytest.param({"country": "MX"}, ReasonCode.COUNTRY_NOT_ELIGIBLE, id="mexican-importer"),
    pytest.param(
        {"country": "CA", "is_non_resident_canadian": False},
        ReasonCode.CANADIAN_IMPORTER_NOT_NON_RESIDENT,
        id="canadian-not-non-resident",
    ),
    pytest.param(
        {"security_status": "certified"}, ReasonCode.SECURITY_TIER_NOT_ELIGIBLE, id="tier-i"
    ),
    pytest.param(
        {"security_status": "applicant"}, ReasonCode.SECURITY_TIER_NOT_ELIGIBLE, id="applicant"
    ),
    pytest.param({"in_good_standing": False}, ReasonCode.NOT_IN_GOOD_STANDING, id="standing"),
    pytest.param(
        {"import_history_start": None}, ReasonCode.IMPORT_HISTORY_NOT_DECLARED, id="no-history"
    ),
    pytest.param(
        {"import_history_start": dt.date(2025, 1, 1)},
        ReasonCode.IMPORT_HISTORY_TOO_SHORT,
        id="short-history",
    ),
    pytest.param({"has_cbp_debt": None}, ReasonCode.CBP_DEBT_NOT_DECLARED, id="debt-unknown"),
    pytest.param({"has_cbp_debt": True}, ReasonCode.CBP_DEBT_OUTSTANDING, id="debt-owed"),
    pytest.param(
        {"eligibility_answers": dict.fromkeys(range(1, 13), True)},
        ReasonCode.ELIGIBILITY_QUESTIONS_UNANSWERED,
        id="question-13-unanswered",
    ),
    pytest.param(
        {"eligibility_answers": {**ALL_YES, 4: False}},
        ReasonCode.ELIGIBILITY_ANSWER_NO,
        id="no-continuous-bond",
    ),
    pytest.param(
        {"program_opens_on": TODAY + dt.timedelta(days=1)},
        ReasonCode.PROGRAM_NOT_OPEN,
        id="program-opens-tomorrow",
    ),
]


@pytest.mark.parametrize(("overrides", "code"), SINGLE_FAILURES)
def test_each_unmet_requirement_alone_gives_exactly_its_reason(overrides, code):
    decision = decide(**overrides)

    assert not decision.eligible
    assert decision.codes == (code,)
    assert decision.code == code
    reason = decision.reasons[0]
    assert reason.message and reason.what_to_do and reason.source
    unmet = [c.requirement for c in decision.checks if not c.met]
    assert unmet == [rules.REQUIREMENT_BY_REASON[code]]


def test_an_exporter_is_told_plainly_that_trade_compliance_is_for_importers_only():
    decision = decide(entity_type="exporter")

    reason = decision.reasons[0]
    assert reason.code == "entity_type_not_eligible"
    assert reason.message.startswith(
        "Not eligible for Trade Compliance: Trade Compliance is only for U.S. and "
        "non-resident Canadian importers. "
    )
    assert reason.source == rules.SOURCE_IMPORTERS_ONLY
    assert "an exporter" in reason.message
    assert decision.as_pairs()[0] == ("entity_type_not_eligible", reason.message)


def test_a_no_answer_names_its_question_and_each_no_is_its_own_reason():
    decision = decide(eligibility_answers={**ALL_YES, 4: False, 12: False})

    assert decision.codes == ("eligibility_answer_no", "eligibility_answer_no")
    assert [r.question for r in decision.reasons] == [4, 12]
    assert "question 4 is answered No" in decision.reasons[0].message


def test_unanswered_questions_are_listed_by_number_in_one_reason():
    decision = decide(eligibility_answers={1: True, 2: True, 3: False})

    assert decision.codes == ("eligibility_questions_unanswered", "eligibility_answer_no")
    assert "10 of the 13 eligibility questions are not answered" in decision.reasons[0].message
    assert "questions 4, 5, 6, 7, 8, 9, 10, 11, 12, 13" in decision.reasons[0].message


def test_answers_that_are_not_booleans_count_as_unanswered():
    decision = decide(eligibility_answers={**ALL_YES, 5: "yes", 6: 1})

    assert decision.codes == ("eligibility_questions_unanswered",)
    assert "(questions 5, 6)" in decision.reasons[0].message


def test_the_required_questions_follow_the_questionnaire_version():
    answers = {**ALL_YES, 14: True}

    assert decide(eligibility_answers=answers, required_questions=range(1, 15)).eligible
    decision = decide(eligibility_answers=ALL_YES, required_questions=range(1, 15))
    assert decision.codes == ("eligibility_questions_unanswered",)
    assert "1 of the 14 eligibility questions is not answered yet (question 14)" in (
        decision.reasons[0].message
    )


# --- Every failing reason, not only the first ----------------------------------------------------


def test_every_failing_requirement_is_listed_in_checklist_order():
    decision = decide(
        entity_type="exporter",
        country="MX",
        security_status="suspended",
        in_good_standing=False,
        import_history_start=None,
        has_cbp_debt=True,
        eligibility_answers={1: False},
        program_opens_on=dt.date(2027, 1, 1),
    )

    assert decision.codes == (
        "entity_type_not_eligible",
        "country_not_eligible",
        "security_tier_not_eligible",
        "not_in_good_standing",
        "import_history_not_declared",
        "cbp_debt_outstanding",
        "eligibility_questions_unanswered",
        "eligibility_answer_no",
        "program_not_open",
    )
    assert decision.code == "entity_type_not_eligible"
    assert not any(check.met for check in decision.checks)


def test_a_tier_i_importer_with_a_short_history_gets_both_reasons_with_dates():
    decision = decide(security_status="certified", import_history_start=dt.date(2025, 3, 1))

    assert decision.codes == ("security_tier_not_eligible", "import_history_too_short")
    assert "validates" in decision.reasons[0].what_to_do
    assert decision.reasons[1].what_to_do == "Apply on or after 2027-03-01."


# --- Boundaries: two years of import history -----------------------------------------------------


@pytest.mark.parametrize(
    ("start", "today", "eligible"),
    [
        pytest.param(dt.date(2024, 6, 15), dt.date(2026, 6, 14), False, id="one-day-short"),
        pytest.param(dt.date(2024, 6, 15), dt.date(2026, 6, 15), True, id="exactly-two-years"),
        pytest.param(dt.date(2024, 6, 15), dt.date(2026, 6, 16), True, id="two-years-and-a-day"),
        pytest.param(dt.date(2020, 2, 29), dt.date(2022, 2, 27), False, id="feb-29-day-before"),
        pytest.param(dt.date(2020, 2, 29), dt.date(2022, 2, 28), True, id="feb-29-on-feb-28"),
        pytest.param(dt.date(2024, 2, 29), dt.date(2026, 2, 28), True, id="feb-29-2024"),
        pytest.param(dt.date(2022, 2, 28), dt.date(2024, 2, 28), True, id="feb-28-to-leap-year"),
        pytest.param(dt.date(2022, 3, 1), dt.date(2024, 2, 29), False, id="leap-day-not-enough"),
        pytest.param(dt.date(2026, 7, 1), dt.date(2026, 6, 15), False, id="start-in-the-future"),
    ],
)
def test_two_years_of_import_history_counts_from_the_same_calendar_day(start, today, eligible):
    decision = decide(import_history_start=start, today=today)

    assert decision.eligible is eligible
    if not eligible:
        assert decision.codes == ("import_history_too_short",)


def test_the_feb_29_anniversary_is_feb_28_in_a_common_year():
    assert rules.import_history_complete_on(dt.date(2020, 2, 29)) == dt.date(2022, 2, 28)
    assert rules.import_history_complete_on(dt.date(2022, 2, 28)) == dt.date(2024, 2, 28)


# --- Canadian importers --------------------------------------------------------------------------


def test_a_non_resident_canadian_importer_is_eligible():
    assert decide(country="CA", is_non_resident_canadian=True).eligible


def test_a_canadian_company_that_is_not_a_non_resident_importer_is_told_what_to_do():
    decision = decide(country="CA", is_non_resident_canadian=False)

    assert decision.codes == ("canadian_importer_not_non_resident",)
    assert "non-resident Canadian importer" in decision.reasons[0].message
    assert "U.S. importing entity" in decision.reasons[0].what_to_do


def test_the_non_resident_flag_does_not_open_the_program_to_other_countries():
    decision = decide(country="MX", is_non_resident_canadian=True)

    assert decision.codes == ("country_not_eligible",)


# --- The program's opening date ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opens_on", "eligible"),
    [
        pytest.param(None, True, id="no-date-configured"),
        pytest.param(TODAY - dt.timedelta(days=1), True, id="opened-yesterday"),
        pytest.param(TODAY, True, id="opens-today"),
        pytest.param(TODAY + dt.timedelta(days=1), False, id="opens-tomorrow"),
    ],
)
def test_applications_are_accepted_from_the_opening_day_itself(opens_on, eligible):
    decision = decide(program_opens_on=opens_on)

    assert decision.eligible is eligible
    if not eligible:
        assert decision.reasons[0].what_to_do.endswith(f"apply from {opens_on.isoformat()}.")


# --- Good standing and the question bank ---------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "good"),
    [
        ("validated", True),
        ("tier_iii", True),
        ("certified", True),
        ("suspended", False),
        ("removed", False),
        ("withdrawn", False),
    ],
)
def test_good_standing_follows_the_membership_status(status, good):
    assert rules.in_good_standing(status) is good


@pytest.mark.parametrize("msc_id", ["4.1", "4.13", "8.1"])
def test_no_question_may_map_to_cybersecurity_or_agriculture_criteria(msc_id):
    problems = rules.msc_mapping_problems([msc_id])

    assert len(problems) == 1
    assert "no cybersecurity (4) or agricultural (8) requirements" in problems[0]


def test_forced_labor_and_risk_assessment_criteria_may_be_mapped():
    assert rules.msc_mapping_problems(["3.9", "2.2", "12.10"]) == []


@pytest.mark.parametrize("msc_id", ["3.09", "x", "", "3"])
def test_malformed_criterion_ids_are_refused(msc_id):
    assert rules.msc_mapping_problems([msc_id])


def test_a_criterion_listed_twice_is_refused():
    assert rules.msc_mapping_problems(["3.9", "3.9"]) == ["MSC 3.9 is listed twice."]

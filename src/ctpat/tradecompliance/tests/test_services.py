"""Trade Compliance writes: publishing question versions, the company's facts, readiness answers.
Each is audited; refused calls write nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.models import AuditEvent
from ctpat.tradecompliance import questionset, selectors, services
from ctpat.tradecompliance.models import (
    QuestionnaireVersion,
    ReadinessAnswers,
    TradeComplianceProfile,
)

pytestmark = pytest.mark.django_db


def with_new_forced_labor_question() -> questionset.QuestionSet:
    """Version 1 plus a social-compliance validation question, as the seed FAQ announces."""
    document = questionset.as_document(questionset.read())
    document["label"] = "2026-01: forced-labor validation questions"
    document["notes"] = "Adds a question on third-party social-compliance audits."
    document["sections"][2]["questions"].append(
        {
            "code": "FL-AUDITS",
            "text": "Describe the third-party social-compliance audits of your suppliers: who "
            "audits, whether audits are unannounced, and how findings are followed up.",
            "answer": "text",
            "source": "CBP Virtual Trade Week FAQ (forced-labor validation questions)",
            "confidence": "I",
            "msc": ["3.9"],
        }
    )
    return questionset.parse(document)


# --- Publishing a questionnaire version ----------------------------------------------------------


def test_a_cbp_admin_publishes_the_next_version_and_the_old_one_stays_as_it_was(current, cbp_admin):
    before_questions = list(current.questions.values_list("code", "text"))

    version = services.questionnaire_version_publish(
        actor=cbp_admin, question_set=with_new_forced_labor_question(), source="v2.yaml"
    )

    assert version.number == 2
    assert version.published_by == cbp_admin
    assert selectors.questionnaire_current() == version
    assert version.questions.count() == current.questions.count() + 1
    assert list(current.questions.values_list("code", "text")) == before_questions
    content = selectors.questionnaire_content(version)
    assert content.new_codes == {"FL-AUDITS"}
    assert content.previous == current
    event = AuditEvent.objects.get(
        action="tradecompliance.questionnaire_publish", object_id=version.public_id
    )
    assert event.actor == cbp_admin
    assert event.after["added"] == ["FL-AUDITS"] and event.after["removed"] == []
    assert event.before == {"number": 1, "label": current.label}


def test_publishing_the_same_questions_again_is_refused(current, cbp_admin):
    same = services.questionnaire_as_question_set(current)

    with pytest.raises(ConflictError) as excinfo:
        services.questionnaire_version_publish(actor=cbp_admin, question_set=same)

    assert excinfo.value.code == "no_changes"
    assert QuestionnaireVersion.objects.count() == 1


@pytest.mark.parametrize("role", ["scss", "nam", "fld_reviewer"])
def test_only_program_admins_publish(current, cbp_org, make_user, role):
    with pytest.raises(PermissionDeniedError):
        services.questionnaire_version_publish(
            actor=make_user(role, organization=cbp_org),
            question_set=with_new_forced_labor_question(),
        )
    assert QuestionnaireVersion.objects.count() == 1


def test_partner_users_cannot_publish(current, importer_officer):
    with pytest.raises(PermissionDeniedError):
        services.questionnaire_version_publish(
            actor=importer_officer, question_set=with_new_forced_labor_question()
        )


def test_a_stored_version_reads_back_as_the_question_set_it_was_published_from(current):
    assert services.questionnaire_as_question_set(current) == questionset.read()


# --- The company's facts -------------------------------------------------------------------------


def test_the_company_officer_declares_the_facts_and_the_audit_trail_says_so(
    validated_importer, validated_officer
):
    profile = services.tc_profile_update(
        actor=validated_officer,
        partner=validated_importer,
        import_history_start=dt.date(2018, 4, 2),
        has_cbp_debt=False,
        is_non_resident_canadian=False,
    )

    assert profile.updated_by == validated_officer
    event = AuditEvent.objects.get(action="tradecompliance.profile_update")
    assert event.organization == validated_importer.organization
    assert event.before is None
    assert event.after == {
        "import_history_start": "2018-04-02",
        "has_cbp_debt": False,
        "is_non_resident_canadian": False,
    }
    assert event.reason == "Self-declared by the company."


def test_cbp_records_a_correction_with_before_and_after(
    validated_importer, validated_officer, scss
):
    services.tc_profile_update(
        actor=validated_officer,
        partner=validated_importer,
        import_history_start=dt.date(2018, 4, 2),
        has_cbp_debt=False,
        is_non_resident_canadian=False,
    )

    services.tc_profile_update(
        actor=scss,
        partner=validated_importer,
        import_history_start=dt.date(2018, 4, 2),
        has_cbp_debt=True,
        is_non_resident_canadian=False,
        reason="Open bill found in ACE.",
    )

    event = AuditEvent.objects.filter(action="tradecompliance.profile_update").first()
    assert event.actor == scss
    assert event.before["has_cbp_debt"] is False and event.after["has_cbp_debt"] is True
    assert event.reason == "Open bill found in ACE."


def test_a_compliance_user_cannot_change_the_facts(validated_importer, validated_compliance):
    with pytest.raises(PermissionDeniedError):
        services.tc_profile_update(
            actor=validated_compliance,
            partner=validated_importer,
            import_history_start=None,
            has_cbp_debt=False,
            is_non_resident_canadian=False,
        )
    assert not TradeComplianceProfile.objects.exists()


def test_another_company_cannot_change_the_facts(validated_importer, importer_officer):
    with pytest.raises(PermissionDeniedError):
        services.tc_profile_update(
            actor=importer_officer,
            partner=validated_importer,
            import_history_start=None,
            has_cbp_debt=False,
            is_non_resident_canadian=False,
        )


def test_a_first_import_in_the_future_is_refused(validated_importer, validated_officer):
    with pytest.raises(DomainError) as excinfo:
        services.tc_profile_update(
            actor=validated_officer,
            partner=validated_importer,
            import_history_start=timezone.localdate() + dt.timedelta(days=1),
            has_cbp_debt=False,
            is_non_resident_canadian=False,
        )
    assert excinfo.value.fields == {
        "import_history_start": ["The first import cannot be in the future."]
    }


def test_saving_unchanged_facts_is_refused(validated_importer, validated_officer):
    kwargs = {
        "partner": validated_importer,
        "import_history_start": None,
        "has_cbp_debt": None,
        "is_non_resident_canadian": False,
    }
    services.tc_profile_update(actor=validated_officer, **{**kwargs, "has_cbp_debt": False})
    services.tc_profile_update(actor=validated_officer, **kwargs)

    with pytest.raises(DomainError) as excinfo:
        services.tc_profile_update(actor=validated_officer, **kwargs)
    assert excinfo.value.code == "no_changes"


# --- Readiness answers ---------------------------------------------------------------------------


def test_saving_answers_records_a_reproducible_readiness_check(
    current, validated_importer, validated_officer, make_ready
):
    record = make_ready(validated_importer, validated_officer, {"ELIG-04": False})

    assert record.version == current
    assert record.answers["ELIG-04"] is False and len(record.answers) == 13
    event = AuditEvent.objects.get(action="tradecompliance.readiness_check")
    assert event.organization == validated_importer.organization
    after = event.after
    assert after["version"] == 1
    assert after["decision"]["eligible"] is False
    assert [r["code"] for r in after["decision"]["reasons"]] == ["eligibility_answer_no"]
    assert after["decision"]["reasons"][0]["question"] == 4
    inputs = after["inputs"]
    assert inputs["entity_type"] == "importer" and inputs["security_status"] == "validated"
    assert inputs["import_history_start"] == "2019-05-01"
    assert inputs["eligibility_answers"]["4"] is False
    assert inputs["today"] == timezone.localdate().isoformat()


def test_the_latest_answers_replace_the_previous_ones_and_the_trail_keeps_both(
    validated_importer, validated_officer, make_ready
):
    make_ready(validated_importer, validated_officer, {"ELIG-04": False})
    make_ready(validated_importer, validated_officer)

    assert ReadinessAnswers.objects.count() == 1
    events = AuditEvent.objects.filter(action="tradecompliance.readiness_check")
    assert events.count() == 2
    latest = events.first()
    assert latest.before["answers"]["ELIG-04"] is False
    assert latest.after["decision"]["eligible"] is True


def test_unanswered_questions_are_not_stored(current, validated_importer, validated_officer):
    record = services.readiness_answers_save(
        actor=validated_officer,
        partner=validated_importer,
        version=current,
        answers={"ELIG-01": True, "ELIG-02": None},
    )

    assert record.answers == {"ELIG-01": True}


def test_answers_to_questions_the_version_does_not_ask_are_refused(
    current, validated_importer, validated_officer
):
    with pytest.raises(DomainError) as excinfo:
        services.readiness_answers_save(
            actor=validated_officer,
            partner=validated_importer,
            version=current,
            answers={"ELIG-01": True, "FL-CODE": True, "ELIG-99": False},
        )
    assert excinfo.value.code == "unknown_questions"
    assert not ReadinessAnswers.objects.exists()


def test_answers_must_be_yes_or_no(current, validated_importer, validated_officer):
    with pytest.raises(DomainError) as excinfo:
        services.readiness_answers_save(
            actor=validated_officer,
            partner=validated_importer,
            version=current,
            answers={"ELIG-01": "yes"},
        )
    assert excinfo.value.code == "invalid_answer"


@pytest.mark.parametrize("who", ["cbp", "other_company"])
def test_only_the_company_itself_answers(current, validated_importer, scss, importer_officer, who):
    actor = scss if who == "cbp" else importer_officer
    with pytest.raises(PermissionDeniedError):
        services.readiness_answers_save(
            actor=actor, partner=validated_importer, version=current, answers={"ELIG-01": True}
        )
    assert not AuditEvent.objects.filter(action="tradecompliance.readiness_check").exists()


def test_answers_carry_over_to_a_new_version_by_question_code(
    current, cbp_admin, validated_importer, validated_officer, make_ready
):
    make_ready(validated_importer, validated_officer)
    document = questionset.as_document(questionset.read())
    document["label"] = "2026-02: a fourteenth eligibility question"
    document["sections"][0]["questions"].insert(
        0,
        {
            "code": "ELIG-00",
            "text": "Is the company registered in CBP's Automated Commercial Environment?",
            "answer": "yes_no",
            "source": "test",
            "confidence": "K",
        },
    )
    services.questionnaire_version_publish(
        actor=cbp_admin, question_set=questionset.parse(document)
    )

    readiness = selectors.readiness_for(validated_importer)

    assert readiness.version.number == 2
    assert readiness.decision.codes == ("eligibility_questions_unanswered",)
    assert "1 of the 14 eligibility questions is not answered yet (question 1)" in (
        readiness.decision.reasons[0].message
    )

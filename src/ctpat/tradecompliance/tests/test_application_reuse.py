"""Answer once across programs: security-profile answers offered for Trade Compliance questions
that ask the same Minimum Security Criteria, accepted (recorded as reused) or answered afresh."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ctpat.core.errors import DomainError
from ctpat.tradecompliance import questionset, rules, selectors, services
from ctpat.tradecompliance.models import QuestionnaireVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile_answers(ready_importer, validated_officer):
    """The company answered MSC 3.9 (Yes, with a narrative) and 4.1 in its security profile."""
    from ctpat.profiles import services as profile_services

    profile = profile_services.profile_start(actor=validated_officer, partner=ready_importer)
    profile_services.answer_save(
        actor=validated_officer,
        profile=profile,
        msc_id="3.9",
        answer="yes",
        narrative="Suppliers sign our forced-labor code and are trained yearly.",
    )
    return profile


def test_questions_mapped_to_an_answered_criterion_are_offered_with_their_source(
    draft, profile_answers
):
    offers = selectors.reuse_offers(draft)

    # FL-MAPPING (yes/no) and the written forced-labor answers map to 3.9; uploads never reuse.
    assert set(offers) == {"FL-MAPPING", "FL-DILIGENCE", "FL-REMEDIATION"}
    ref = offers["FL-MAPPING"][0].ref
    assert offers["FL-MAPPING"][0].msc_id == "3.9"
    assert ref.source_label.startswith("Security profile, criterion 3.9, answered ")


def test_accepting_an_offer_records_the_answer_as_reused_with_its_source(
    draft, profile_answers, validated_officer
):
    services.application_answer_reuse(
        actor=validated_officer, application=draft, code="FL-DILIGENCE", msc_id="3.9"
    )
    services.application_answer_reuse(
        actor=validated_officer, application=draft, code="FL-MAPPING", msc_id="3.9"
    )

    answers = selectors.application_answers(draft)
    assert answers["FL-DILIGENCE"].text.startswith("Suppliers sign our forced-labor code")
    assert answers["FL-MAPPING"].yes_no is True
    assert answers["FL-MAPPING"].reused_from["msc_id"] == "3.9"
    assert answers["FL-MAPPING"].reused_from["source"].startswith("Security profile, criterion 3.9")
    [row] = selectors.reuse_report(viewer=validated_officer, partner=draft.partner)
    assert [q.code for q, _ in row.reused] == ["FL-MAPPING", "FL-DILIGENCE"]


def test_answering_afresh_replaces_the_reused_answer(draft, profile_answers, validated_officer):
    services.application_answer_reuse(
        actor=validated_officer, application=draft, code="FL-DILIGENCE", msc_id="3.9"
    )
    services.application_answers_save(
        actor=validated_officer, application=draft, answers={"FL-DILIGENCE": "Our own words."}
    )
    answer = selectors.application_answers(draft)["FL-DILIGENCE"]
    assert answer.text == "Our own words." and answer.reused_from == {}


def test_nothing_to_reuse_is_refused(draft, profile_answers, validated_officer):
    for code, msc in [("FL-CODE", "3.9"), ("IC-ORG", "3.9"), ("FL-MAPPING", "2.2")]:
        with pytest.raises(DomainError) as exc:
            services.application_answer_reuse(
                actor=validated_officer, application=draft, code=code, msc_id=msc
            )
        assert exc.value.code == "nothing_to_reuse"


def test_the_step_page_offers_the_answer_and_the_report_counts_it(
    login, draft, profile_answers, validated_officer, cbp_admin
):
    client = login(validated_officer)
    step = reverse(
        "tradecompliance:application_step",
        kwargs={"application_id": draft.public_id, "step": "forced_labor"},
    )
    html = client.get(step).content.decode()
    assert "From your security profile, criterion 3.9, answered " in html

    response = client.post(
        reverse("tradecompliance:application_reuse", kwargs={"application_id": draft.public_id}),
        {"reuse": "FL-MAPPING|3.9", "step": "forced_labor"},
    )
    assert response.status_code == 302 and response["Location"] == step
    assert "Answered by reuse: Security profile, criterion 3.9" in client.get(step).content.decode()
    report = reverse("tradecompliance:reuse_report", kwargs={"partner_id": draft.partner.public_id})
    for user in (validated_officer, cbp_admin):
        html = login(user).get(report).content.decode()
        assert "1 of 35 questions answered by reuse." in html and "FL-MAPPING" in html


@pytest.mark.parametrize("msc_id", ["4.1", "4.10", "8.1", "8.3"])
def test_cybersecurity_and_agriculture_criteria_are_never_offered(msc_id):
    assert rules.reusable_msc_ids([msc_id], [msc_id], "yes_no") == []


def test_no_published_version_asks_cybersecurity_or_agriculture(current, cbp_admin):
    document = questionset.as_document(questionset.read())
    document["label"] = "2026-03"
    document["sections"][1]["questions"][0]["text"] += " (revised)"
    services.questionnaire_version_publish(
        actor=cbp_admin, question_set=questionset.parse(document)
    )
    versions = list(QuestionnaireVersion.objects.all())
    assert len(versions) == 2
    for version in versions:
        for question in version.questions.all():
            categories = {int(m.split(".")[0]) for m in question.msc_criteria}
            assert not categories & rules.EXCLUDED_MSC_CATEGORIES, question
            assert rules.msc_mapping_problems(question.msc_criteria) == [], question


def test_a_question_set_mapping_to_cybersecurity_cannot_be_published(current, cbp_admin):
    document = questionset.as_document(questionset.read())
    document["sections"][2]["questions"][0]["msc"] = ["4.1"]
    with pytest.raises(questionset.QuestionSetError):
        questionset.parse(document)

"""The shipped question set, its format, the data migration that loads it, and the question bank's
mapping to the Minimum Security Criteria."""

from __future__ import annotations

import pytest

from ctpat.core.models import AuditEvent
from ctpat.tradecompliance import questionset, rules
from ctpat.tradecompliance.choices import AnswerType, Confidence, SectionKey
from ctpat.tradecompliance.models import Question, QuestionnaireSection, QuestionnaireVersion

SHIPPED = questionset.read()


# --- The shipped file ----------------------------------------------------------------------------


def test_the_shipped_question_set_has_the_four_parts_in_order():
    assert [s.key for s in SHIPPED.sections] == [
        SectionKey.ELIGIBILITY,
        SectionKey.INTERNAL_CONTROLS,
        SectionKey.FORCED_LABOR,
        SectionKey.MOU,
    ]


def test_the_eligibility_section_has_the_13_portal_questions_answered_yes_or_no():
    eligibility = SHIPPED.sections[0]

    assert len(eligibility.questions) == rules.ELIGIBILITY_QUESTION_COUNT == 13
    assert [q.number for q in eligibility.questions] == list(rules.ELIGIBILITY_QUESTION_NUMBERS)
    assert {q.answer_type for q in eligibility.questions} == {AnswerType.YES_NO}
    # Public citations only (issue 7): CBP's portal manual, or its importers page.
    assert all("U.S. Customs and Border Protection" in q.source for q in eligibility.questions)
    assert "continuous importation bond" in eligibility.questions[3].text
    assert "all major organizational changes" in eligibility.questions[12].text


def test_the_six_forced_labor_requirements_are_there_with_their_sources():
    forced_labor = SHIPPED.sections[2]

    assert [q.code for q in forced_labor.questions] == [
        "FL-MAPPING",
        "FL-CODE",
        "FL-EVIDENCE",
        "FL-DILIGENCE",
        "FL-REMEDIATION",
        "FL-SHARING",
    ]
    assert all(
        "CTPAT Trade Compliance forced labor requirements" in q.source
        for q in forced_labor.questions
    )


def test_internal_control_topics_are_marked_as_background_knowledge_or_secondary():
    internal_controls = SHIPPED.sections[1]

    assert {q.confidence for q in internal_controls.questions} <= {
        Confidence.BACKGROUND,
        Confidence.INFERRED,
    }
    assert any(q.confidence == Confidence.BACKGROUND for q in internal_controls.questions)


def test_every_question_and_section_says_where_it_comes_from():
    for section in SHIPPED.sections:
        assert section.guidance and section.sources, section.key
        for question in section.questions:
            assert question.source and question.confidence, question.code


def test_a_question_set_written_out_reads_back_the_same():
    assert questionset.loads(questionset.dump(SHIPPED)) == SHIPPED


# --- Answer once across programs -----------------------------------------------------------------


def test_no_trade_compliance_question_maps_to_cybersecurity_or_agriculture_criteria():
    mapped = [(q.code, m) for q in SHIPPED.questions() for m in q.msc_criteria]

    assert mapped, "the forced-labor questions map to MSC 3.9"
    categories = {int(m.split(".")[0]) for _, m in mapped}
    assert not categories & {4, 8}
    assert not categories & rules.EXCLUDED_MSC_CATEGORIES


def test_the_forced_labor_questions_map_to_msc_3_9():
    by_code = {q.code: q.msc_criteria for q in SHIPPED.questions()}

    for code in ("FL-MAPPING", "FL-CODE", "FL-EVIDENCE", "FL-DILIGENCE", "FL-REMEDIATION"):
        assert "3.9" in by_code[code], code


@pytest.mark.django_db
def test_every_mapped_criterion_exists_in_the_loaded_msc_catalog():
    from ctpat.criteria.models import Criterion

    known = set(Criterion.objects.values_list("msc_id", flat=True))
    mapped = {m for q in SHIPPED.questions() for m in q.msc_criteria}

    assert known, "the criteria data migration loads the importer catalog"
    assert mapped <= known


# --- The format refuses bad files, listing every problem -----------------------------------------


def _document(**changes) -> dict:
    document = questionset.as_document(SHIPPED)
    document.update(changes)
    return document


def test_a_question_mapped_to_a_cybersecurity_criterion_is_refused():
    document = _document()
    document["sections"][2]["questions"][0]["msc"] = ["3.9", "4.1"]

    with pytest.raises(questionset.QuestionSetError) as excinfo:
        questionset.parse(document)

    assert excinfo.value.problems == [
        "sections[2].questions[0].msc: MSC 4.1 is in category 4: Trade Compliance has no "
        "cybersecurity (4) or agricultural (8) requirements, so no question maps there."
    ]


def test_every_problem_is_listed_at_once():
    document = _document(format="other", label="")
    document["sections"][0]["questions"][0]["answer"] = "text"
    document["sections"][0]["questions"][1]["code"] = "ELIG-01"
    document["sections"][1]["questions"][0]["confidence"] = "X"
    document["sections"][1]["questions"][1]["msc"] = [3.9]
    document["sections"][3]["questions"][0]["colour"] = "red"

    with pytest.raises(questionset.QuestionSetError) as excinfo:
        questionset.parse(document)

    problems = excinfo.value.problems
    assert "format: Expected 'ctpat-tc-questionnaire/1'." in problems
    assert "label: A value is required." in problems
    assert "sections[0].questions[0].answer: Questions in 'eligibility' are answered yes_no." in (
        problems
    )
    assert "sections: Question code ELIG-01 is used more than once." in problems
    assert "sections[1].questions[0].confidence: Use one of: V, I, K." in problems
    assert any("quoted text" in p for p in problems)
    assert "sections[3].questions[0]: Unknown key(s): colour." in problems


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("- a\n- b\n", id="a-list"),
        pytest.param("format: [unclosed", id="not-yaml"),
        pytest.param(
            "format: ctpat-tc-questionnaire/1\nlabel: x\nsections: []\n", id="no-sections"
        ),
    ],
)
def test_a_file_that_is_not_a_question_set_is_refused(text):
    with pytest.raises(questionset.QuestionSetError):
        questionset.loads(text)


def test_a_question_set_without_the_eligibility_section_is_refused():
    document = _document()
    document["sections"] = document["sections"][1:]

    with pytest.raises(questionset.QuestionSetError) as excinfo:
        questionset.parse(document)

    assert "sections: The eligibility section is required." in excinfo.value.problems


# --- The data migration --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_data_migration_loaded_the_shipped_question_set_as_version_1():
    version = QuestionnaireVersion.objects.get()

    assert version.number == 1
    assert version.public_id.startswith("TCQV-")
    assert version.label == SHIPPED.label
    assert version.source == "tradecompliance/data/questionnaire_v1.yaml"
    assert list(
        QuestionnaireSection.objects.filter(version=version)
        .order_by("position")
        .values_list("key", flat=True)
    ) == [s.key for s in SHIPPED.sections]
    assert Question.objects.filter(version=version).count() == len(SHIPPED.questions()) == 35
    fl = Question.objects.get(version=version, code="FL-CODE")
    assert fl.msc_criteria == ["3.9"]
    assert fl.section.key == "forced_labor" and fl.number == 2


@pytest.mark.django_db
def test_the_data_migration_recorded_its_load_in_the_audit_trail():
    version = QuestionnaireVersion.objects.get()

    event = AuditEvent.objects.get(
        action="tradecompliance.questionnaire_publish", object_id=version.public_id
    )
    assert event.actor_label == "system"
    assert event.after["questions"] == 35

"""Questionnaire versions: a CBP program admin publishes a new question set version."""

from __future__ import annotations

from django.utils import timezone

from ctpat.accounts import roles
from ctpat.core.errors import ConflictError, PermissionDeniedError
from ctpat.core.services import audit_record, service

from .. import loading, questionset, selectors
from ..models import (
    Question,
    QuestionnaireSection,
    QuestionnaireVersion,
)

# --- Questionnaire versions ----------------------------------------------------------------------


def _stored_question_set(version: QuestionnaireVersion) -> questionset.QuestionSet:
    """A published version read back as a question set (for comparisons and downloads)."""
    sections = []
    for section in selectors.questionnaire_sections(version):
        questions = tuple(
            questionset.QuestionSpec(
                code=q.code,
                number=q.number,
                text=q.text,
                answer_type=q.answer_type,
                required=q.required,
                help=q.help_text,
                source=q.source,
                confidence=q.confidence,
                msc_criteria=tuple(q.msc_criteria),
            )
            for q in section.questions.all()
        )
        sections.append(
            questionset.SectionSpec(
                key=section.key,
                title=section.title,
                guidance=section.guidance,
                sources=tuple(section.sources),
                questions=questions,
            )
        )
    return questionset.QuestionSet(
        label=version.label, notes=version.notes, sections=tuple(sections)
    )


def questionnaire_as_question_set(version: QuestionnaireVersion) -> questionset.QuestionSet:
    return _stored_question_set(version)


@service
def questionnaire_version_publish(
    *, actor, question_set: questionset.QuestionSet, source: str = ""
) -> QuestionnaireVersion:
    """Publish ``question_set`` as the next questionnaire version (the current one from now on).

    Earlier versions stay as they were: an application records the version it answers and
    keeps it unless CBP asks it to move to the new one.
    """
    if actor is not None and not roles.has_perm(actor, "tradecompliance.questionnaire_publish"):
        raise PermissionDeniedError("Only a CBP program admin can publish questionnaire versions.")
    # Lock the newest version so two publications cannot take the same number.
    latest = QuestionnaireVersion.objects.select_for_update().order_by("-number").first()
    if latest is not None and _stored_question_set(latest).content() == question_set.content():
        raise ConflictError(
            f"These questions are the same as version {latest.number}'s: nothing to publish.",
            code="no_changes",
        )
    number = (latest.number if latest is not None else 0) + 1
    user = actor if getattr(actor, "is_authenticated", False) else None
    version, count = loading.write_version(
        version_model=QuestionnaireVersion,
        section_model=QuestionnaireSection,
        question_model=Question,
        question_set=question_set,
        number=number,
        source=source[: questionset.SOURCE_MAX_LENGTH],
        published_at=timezone.now(),
        published_by=user,
    )
    previous_codes = (
        set(Question.objects.filter(version=latest).values_list("code", flat=True))
        if latest is not None
        else set()
    )
    codes = {q.code for q in question_set.questions()}
    audit_record(
        actor=actor,
        action="tradecompliance.questionnaire_publish",
        obj=version,
        before={"number": latest.number, "label": latest.label} if latest is not None else None,
        after={
            "number": number,
            "label": version.label,
            "questions": count,
            "added": sorted(codes - previous_codes),
            "removed": sorted(previous_codes - codes),
            "source": version.source,
        },
        reason=question_set.notes[:2000],
    )
    return version

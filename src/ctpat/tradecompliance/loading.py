"""Writing a parsed question set into the database, shared by the service and the data migration.

The model classes are parameters so the data migration can pass its historical models (which
have none of the real models' behaviour: public ids are set here explicitly).
"""

from __future__ import annotations

from ctpat.core.ids import new_public_id

from .questionset import QuestionSet

# Public id prefixes; models.py takes them from here.
VERSION_ID_PREFIX = "TCQV"
QUESTION_ID_PREFIX = "TCQ"


def write_version(
    *,
    version_model,
    section_model,
    question_model,
    question_set: QuestionSet,
    number: int,
    source: str,
    published_at,
    published_by=None,
):
    """A new published version holding ``question_set``; returns (version, question count)."""
    version = version_model(
        public_id=new_public_id(VERSION_ID_PREFIX),
        number=number,
        label=question_set.label,
        notes=question_set.notes,
        source=source,
        published_at=published_at,
        published_by=published_by,
    )
    version.save()
    questions = []
    for position, spec in enumerate(question_set.sections, start=1):
        section = section_model(
            version=version,
            key=spec.key,
            position=position,
            title=spec.title,
            guidance=spec.guidance,
            sources=list(spec.sources),
        )
        section.save()
        questions.extend(
            question_model(
                public_id=new_public_id(QUESTION_ID_PREFIX),
                version=version,
                section=section,
                number=q.number,
                code=q.code,
                text=q.text,
                help_text=q.help,
                answer_type=q.answer_type,
                required=q.required,
                source=q.source,
                confidence=q.confidence,
                msc_criteria=list(q.msc_criteria),
            )
            for q in spec.questions
        )
    question_model.objects.bulk_create(questions)
    return version, len(questions)

"""Public citations for the stored sources of questionnaire versions (issue 7).

Version 1 was loaded (migration 0002) with source notes that named the project's development
material and consultants' web sites; pages no longer show them, but CBP's YAML download did. This
rewrites them with the public citations of the shipped question set
(``data/questionnaire_v1.yaml``): each section's ``sources`` by section key and each question's
``source`` by question code. A version a program admin published from the old download carries
the same notes and is corrected the same way; a note without a shipped counterpart gets the
public citations of its section (``tradecompliance.citations.SECTION_CITATIONS``).

Published versions are immutable to users, and stay so: this corrects citation metadata only.
No question text, answer type, guidance, code or numbering changes, so no answer given to a
version changes meaning. Only values that fail ``core.citations.source_problem`` are touched; one
audit event per corrected version, by the system, lists what changed. Not reversible (the old
notes must not come back).
"""

from django.db import migrations


def rewrite_sources(apps, schema_editor):
    from ctpat.core.citations import source_problem
    from ctpat.core.ids import new_public_id
    from ctpat.tradecompliance import citations, questionset

    Version = apps.get_model("tradecompliance", "QuestionnaireVersion")
    Section = apps.get_model("tradecompliance", "QuestionnaireSection")
    Question = apps.get_model("tradecompliance", "Question")
    AuditEvent = apps.get_model("core", "AuditEvent")

    shipped = questionset.read(questionset.SHIPPED_QUESTION_SET)
    section_sources = {s.key: list(s.sources) for s in shipped.sections}
    question_source = {q.code: q.source for q in shipped.questions()}

    def fallback(key: str) -> str:
        text = citations.cite(*citations.SECTION_CITATIONS.get(key, ()))
        if 0 < len(text) <= questionset.SOURCE_MAX_LENGTH:
            return text
        return str(citations.TC_HANDBOOK)

    for version in Version.objects.order_by("number"):
        sections_fixed, questions_fixed = [], []
        for section in Section.objects.filter(version=version):
            if any(source_problem(item) for item in section.sources or []):
                section.sources = section_sources.get(
                    section.key, [str(c) for c in citations.SECTION_CITATIONS.get(section.key, ())]
                )
                section.save(update_fields=["sources"])
                sections_fixed.append(section.key)
        for question in Question.objects.filter(version=version).select_related("section"):
            if source_problem(question.source):
                question.source = question_source.get(question.code) or fallback(
                    question.section.key
                )
                question.save(update_fields=["source"])
                questions_fixed.append(question.code)
        if not sections_fixed and not questions_fixed:
            continue
        AuditEvent.objects.create(
            public_id=new_public_id("EVT"),
            actor_label="system",
            action="tradecompliance.questionnaire_sources_correct",
            object_type="tradecompliance.questionnaireversion",
            object_id=version.public_id,
            object_repr=f"Trade Compliance questions, version {version.number}"[:300],
            after={"sections": sections_fixed, "questions": questions_fixed},
            reason=(
                "Citation metadata corrected: internal source notes replaced by public "
                "citations; no question changed (migration tradecompliance.0009)."
            ),
            service="ctpat.tradecompliance.migrations.0009_public_question_sources",
            source="system",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("tradecompliance", "0008_forced_labor_obligation"),
    ]

    operations = [migrations.RunPython(rewrite_sources, migrations.RunPython.noop)]

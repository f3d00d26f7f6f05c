"""Load the shipped question set (data/questionnaire_v1.yaml) as published version 1.

Uses the historical models; the parsing and writing code is shared with the publish service
(``tradecompliance.questionset``, ``tradecompliance.loading``). Does nothing if a version exists
already. The load is recorded in the audit trail like any other write, by the system.
"""

from django.db import migrations
from django.utils import timezone


def load_questionnaire_v1(apps, schema_editor):
    from ctpat.core.ids import new_public_id
    from ctpat.tradecompliance import loading, questionset

    QuestionnaireVersion = apps.get_model("tradecompliance", "QuestionnaireVersion")
    if QuestionnaireVersion.objects.exists():
        return
    question_set = questionset.read(questionset.SHIPPED_QUESTION_SET)
    source = f"tradecompliance/data/{questionset.SHIPPED_QUESTION_SET.name}"
    version, count = loading.write_version(
        version_model=QuestionnaireVersion,
        section_model=apps.get_model("tradecompliance", "QuestionnaireSection"),
        question_model=apps.get_model("tradecompliance", "Question"),
        question_set=question_set,
        number=1,
        source=source,
        published_at=timezone.now(),
    )
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditEvent.objects.create(
        public_id=new_public_id("EVT"),
        actor_label="system",
        action="tradecompliance.questionnaire_publish",
        object_type="tradecompliance.questionnaireversion",
        object_id=version.public_id,
        object_repr=f"Trade Compliance questions, version {version.number}"[:300],
        after={"number": 1, "label": version.label, "questions": count, "source": source},
        reason="Shipped question set loaded by migration tradecompliance.0002.",
        service="ctpat.tradecompliance.migrations.0002_load_questionnaire_v1",
        source="system",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("tradecompliance", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_questionnaire_v1, migrations.RunPython.noop, elidable=False),
    ]

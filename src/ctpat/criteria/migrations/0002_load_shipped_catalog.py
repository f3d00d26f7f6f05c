"""Load the shipped criteria catalog (data/msc_importer.csv) as published version 1.

Uses the historical models; the parsing and writing code is shared with the ``load_criteria``
command (``criteria.catalog``, ``criteria.loading``). Does nothing if a version exists already.
The load is recorded in the audit trail like any other write, by the system.
"""

from django.db import migrations
from django.utils import timezone


def load_shipped_catalog(apps, schema_editor):
    from ctpat.core.ids import new_public_id
    from ctpat.criteria import catalog, loading

    CriteriaVersion = apps.get_model("criteria", "CriteriaVersion")
    if CriteriaVersion.objects.exists():
        return
    snapshots = catalog.read_catalog(catalog.SHIPPED_CATALOG)
    version, count = loading.write_published_version(
        version_model=CriteriaVersion,
        criterion_model=apps.get_model("criteria", "Criterion"),
        requirement_model=apps.get_model("criteria", "CriterionRequirement"),
        snapshots=snapshots,
        label=catalog.SHIPPED_VERSION_LABEL,
        notes=catalog.SHIPPED_VERSION_NOTES,
        source=f"criteria/data/{catalog.SHIPPED_CATALOG.name}",
        number=1,
        published_at=timezone.now(),
    )
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditEvent.objects.create(
        public_id=new_public_id("EVT"),
        actor_label="system",
        action="criteria.catalog_load",
        object_type="criteria.criteriaversion",
        object_id=version.public_id,
        object_repr=f"Criteria {version.label}"[:300],
        after={"label": version.label, "number": 1, "criteria": count, "source": version.source},
        reason="Shipped catalog loaded by migration criteria.0002.",
        service="ctpat.criteria.migrations.0002_load_shipped_catalog",
        source="system",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("criteria", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_shipped_catalog, migrations.RunPython.noop, elidable=False),
    ]

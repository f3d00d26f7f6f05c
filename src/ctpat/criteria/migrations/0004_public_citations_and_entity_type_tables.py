"""Bring installed catalogues up to date with the shipped file (issue 7).

1. Citations: criteria whose ``source`` or ``notes`` name internal development material get the
   shipped file's public citations and notes (same criterion ID); the version that was loaded
   from the shipped file no longer shows a file path or points at a development document.
   These are editorial fields (``rules.EDITORIAL_FIELDS``): they change no requirement.
2. Entity-type tables: if the current version does not yet list 1.1, 1.2, 7.37 and 11.5 for the
   entity types the shipped file gives them (DOMAIN.md §7.6), a new version is published, copied
   from the current one with those rows added and the non-importer tables marked partial. On a
   fresh install the shipped file already carries them: the first version is only marked.

Each change is one audit event by the system. Uses the historical models; parsing is shared with
the loader (``criteria.catalog``).
"""

import dataclasses

from django.db import migrations
from django.db.models import Max
from django.utils import timezone

NEW_VERSION_LABEL = "2026-12 (criteria for every entity type, partial)"
NEW_VERSION_NOTES = (
    "Adds the criteria CBP has confirmed publicly for business entity types other than "
    "importers: 7.37 and 11.5 (must) for every type; 1.1 and 1.2 (should) for highway carriers, "
    "Mexican long-haul carriers, foreign manufacturers and 3PLs. These tables are partial: CBP "
    "publishes the full table of each type in the CTPAT Public Library. Criteria now cite their "
    "public sources."
)
OLD_SHIPPED_SOURCE = "criteria/data/msc_importer.csv"
FIRST_VERSION_NOTES = (
    "Minimum Security Criteria for U.S. importers, November 2019 final version (in force from "
    "January 2020), with 3.9 (forced labor) a must from 2023-01-01. Most texts are our summaries "
    "of CBP's criteria, marked as such; each criterion cites its public source."
)


def _event(AuditEvent, new_public_id, *, action, obj, label, before, after, reason):
    AuditEvent.objects.create(
        public_id=new_public_id("EVT"),
        actor_label="system",
        action=action,
        object_type="criteria.criteriaversion",
        object_id=obj.public_id,
        object_repr=f"Criteria {label}"[:300],
        before=before,
        after=after,
        reason=reason,
        service="ctpat.criteria.migrations.0004_public_citations_and_entity_type_tables",
        source="system",
    )


def _snapshot(rules, criterion, requirements):
    return rules.CriterionSnapshot(
        msc_id=criterion.msc_id,
        category=criterion.category,
        text=criterion.text,
        periods=tuple(
            rules.Period(r.level, r.effective_from, r.effective_to)
            for r in sorted(requirements, key=lambda r: r.effective_from)
        ),
        entity_types=tuple(criterion.entity_types),
        guidance=criterion.guidance,
        tags=tuple(criterion.tags),
        program=criterion.program,
        text_is_summary=criterion.text_is_summary,
        source=criterion.source,
        notes=criterion.notes,
    )


def forward(apps, schema_editor):
    from ctpat.core.citations import internal_reference_problem
    from ctpat.core.ids import new_public_id
    from ctpat.criteria import catalog, loading, rules

    CriteriaVersion = apps.get_model("criteria", "CriteriaVersion")
    Criterion = apps.get_model("criteria", "Criterion")
    CriterionRequirement = apps.get_model("criteria", "CriterionRequirement")
    AuditEvent = apps.get_model("core", "AuditEvent")
    if not CriteriaVersion.objects.exists():
        return  # nothing installed; load_criteria or migration 0002 loads the current file
    # Versions written by migration 0002's historical model have no value yet.
    CriteriaVersion.objects.filter(partial_entity_types__isnull=True).update(
        partial_entity_types=[]
    )
    shipped = {s.msc_id: s for s in catalog.read_catalog(catalog.SHIPPED_CATALOG)}

    # 1. Citations and notes.
    for version in CriteriaVersion.objects.order_by("pk"):
        changed = []
        for criterion in Criterion.objects.filter(version=version).order_by("pk"):
            row = shipped.get(criterion.msc_id)
            if row is None:
                continue
            before = {"source": criterion.source, "notes": criterion.notes}
            if internal_reference_problem(criterion.source):
                criterion.source = row.source
            if internal_reference_problem(criterion.notes):
                criterion.notes = row.notes
            after = {"source": criterion.source, "notes": criterion.notes}
            if after != before:
                criterion.save(update_fields=["source", "notes"])
                changed.append(criterion.msc_id)
        version_before = {"source": version.source, "notes": version.notes}
        if version.source == OLD_SHIPPED_SOURCE:
            version.source = catalog.SHIPPED_VERSION_SOURCE
            if "SOURCES.md" in version.notes:
                version.notes = FIRST_VERSION_NOTES
            version.save(update_fields=["source", "notes"])
        if changed or version_before != {"source": version.source, "notes": version.notes}:
            _event(
                AuditEvent,
                new_public_id,
                action="criteria.citations_update",
                obj=version,
                label=version.label,
                before=version_before,
                after={
                    "source": version.source,
                    "notes": version.notes,
                    "criteria_with_new_citations": changed,
                },
                reason="Criteria cite public sources only (issue 7).",
            )

    # 2. Entity-type tables.
    current = (
        CriteriaVersion.objects.filter(status="published", number__isnull=False)
        .order_by("-number")
        .first()
    )
    if current is None:
        return
    partial = list(catalog.SHIPPED_PARTIAL_ENTITY_TYPES)
    extra_types = {
        msc_id: set(row.entity_types) - {"importer"}
        for msc_id, row in shipped.items()
        if set(row.entity_types) - {"importer"}
    }
    criteria = list(Criterion.objects.filter(version=current).order_by("sort_key"))
    by_id = {c.msc_id: c for c in criteria}
    missing = {
        msc_id: types
        for msc_id, types in extra_types.items()
        if msc_id not in by_id or not types <= set(by_id[msc_id].entity_types)
    }
    if not missing:
        if not current.partial_entity_types:
            before = {"partial_entity_types": current.partial_entity_types}
            current.partial_entity_types = partial
            current.save(update_fields=["partial_entity_types"])
            _event(
                AuditEvent,
                new_public_id,
                action="criteria.tables_mark_partial",
                obj=current,
                label=current.label,
                before=before,
                after={"partial_entity_types": partial},
                reason="The shipped tables of entity types other than importers are partial.",
            )
        return
    requirements = {}
    for requirement in CriterionRequirement.objects.filter(criterion__version=current):
        requirements.setdefault(requirement.criterion_id, []).append(requirement)
    snapshots = []
    for criterion in criteria:
        snapshot = _snapshot(rules, criterion, requirements.get(criterion.pk, []))
        if criterion.msc_id in missing:
            types = tuple(sorted(set(snapshot.entity_types) | missing[criterion.msc_id]))
            source = snapshot.source
            if shipped[criterion.msc_id].source not in source:
                source = shipped[criterion.msc_id].source
            snapshot = dataclasses.replace(snapshot, entity_types=types, source=source)
        snapshots.append(snapshot)
    for msc_id in sorted(set(missing) - set(by_id), key=rules.msc_sort_key):
        snapshots.append(shipped[msc_id])
    label = NEW_VERSION_LABEL
    if CriteriaVersion.objects.filter(label=label).exists():
        label = f"{label} {timezone.now():%Y%m%d%H%M%S}"
    # One draft at a time, and a draft copied from the old current version could no longer be
    # published (it would be stale); it stays for the admin to discard.
    number = (CriteriaVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    version, count = loading.write_published_version(
        version_model=CriteriaVersion,
        criterion_model=Criterion,
        requirement_model=CriterionRequirement,
        snapshots=snapshots,
        label=label,
        notes=NEW_VERSION_NOTES,
        source=catalog.SHIPPED_VERSION_SOURCE,
        number=number,
        published_at=timezone.now(),
        partial_entity_types=partial,
        based_on=current,
    )
    _event(
        AuditEvent,
        new_public_id,
        action="criteria.version_publish",
        obj=version,
        label=label,
        before={},
        after={
            "label": label,
            "number": number,
            "based_on": current.public_id,
            "criteria": count,
            "added_entity_types": {k: sorted(v) for k, v in sorted(missing.items())},
            "partial_entity_types": partial,
        },
        reason="Criteria CBP confirmed for entity types other than importers (issue 7).",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("criteria", "0003_version_partial_entity_types"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop, elidable=False),
    ]

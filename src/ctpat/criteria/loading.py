"""Writing a parsed catalog into the database, shared by the service and the data migration.

The model classes are parameters so the data migration can pass its historical models (which
have none of the real models' behaviour: public ids and sort keys are set here explicitly).
"""

from __future__ import annotations

from collections.abc import Iterable

from ctpat.core.ids import new_public_id

from . import rules
from .choices import VersionStatus

# Public id prefixes of versions and criteria; models.py takes them from here.
VERSION_ID_PREFIX = "MSCV"
CRITERION_ID_PREFIX = "MSC"


def write_criteria(
    *, criterion_model, requirement_model, version, snapshots: Iterable[rules.CriterionSnapshot]
) -> int:
    """Create ``snapshots`` as the criteria of ``version``; returns how many."""
    count = 0
    requirements = []
    for snapshot in snapshots:
        criterion = criterion_model(
            public_id=new_public_id(CRITERION_ID_PREFIX),
            version=version,
            msc_id=snapshot.msc_id,
            sort_key=rules.msc_sort_text(snapshot.msc_id),
            category=snapshot.category,
            text=snapshot.text,
            guidance=snapshot.guidance,
            tags=list(snapshot.tags),
            program=snapshot.program,
            entity_types=list(snapshot.entity_types),
            text_is_summary=snapshot.text_is_summary,
            source=snapshot.source,
            notes=snapshot.notes,
        )
        criterion.save()
        count += 1
        requirements.extend(
            requirement_model(
                criterion=criterion,
                level=period.level,
                effective_from=period.effective_from,
                effective_to=period.effective_to,
            )
            for period in snapshot.periods
        )
    requirement_model.objects.bulk_create(requirements)
    return count


def write_published_version(
    *,
    version_model,
    criterion_model,
    requirement_model,
    snapshots: Iterable[rules.CriterionSnapshot],
    label: str,
    notes: str,
    source: str,
    number: int,
    published_at,
    published_by=None,
    partial_entity_types=None,
    based_on=None,
):
    """A new published version holding ``snapshots``; returns (version, criteria count).

    ``partial_entity_types`` is left out for historical models that predate the field."""
    extra = (
        {} if partial_entity_types is None else {"partial_entity_types": list(partial_entity_types)}
    )
    version = version_model(
        public_id=new_public_id(VERSION_ID_PREFIX),
        label=label,
        number=number,
        status=VersionStatus.PUBLISHED,
        notes=notes,
        source=source,
        based_on=based_on,
        created_by=published_by,
        published_at=published_at,
        published_by=published_by,
        **extra,
    )
    version.save()
    count = write_criteria(
        criterion_model=criterion_model,
        requirement_model=requirement_model,
        version=version,
        snapshots=snapshots,
    )
    return version, count

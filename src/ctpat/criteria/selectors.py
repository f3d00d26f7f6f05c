"""Reads for the criteria catalog, for the pages, the API and other apps.

Who sees what lives in the models' ``visible_to``: published versions for everyone signed in,
drafts for CBP staff. Catalog filters on entity type and topic tag run in Python: both are JSON
lists, which SQLite cannot search, and one version holds about a hundred criteria per type.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q, QuerySet

from ctpat.core.errors import NotFoundError
from ctpat.partners.choices import EntityType

from . import rules
from .choices import (
    FOCUS_AREA_BY_CATEGORY,
    Category,
    FocusArea,
    Program,
    TableStatus,
    VersionStatus,
)
from .models import CriteriaVersion, Criterion, CriterionRequirement


def version_list(*, viewer, action: str = "view") -> QuerySet[CriteriaVersion]:
    return (
        CriteriaVersion.objects.restrict(viewer, action)
        .select_related("based_on", "published_by", "created_by")
        .annotate(criteria_total=Count("criteria"))
        .order_by(F("number").desc(nulls_first=True), "-created_at")
    )


def version_get(*, viewer, public_id: str, action: str = "view") -> CriteriaVersion:
    version = version_list(viewer=viewer, action=action).filter(public_id=public_id).first()
    if version is None:
        raise NotFoundError("No such criteria version.")
    return version


def current_version() -> CriteriaVersion | None:
    """The newest published version: the one in force. Public reference data, no viewer."""
    return (
        CriteriaVersion.objects.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()
    )


def open_draft(*, viewer) -> CriteriaVersion | None:
    """The draft being prepared, if there is one and the viewer may see it."""
    return version_list(viewer=viewer).filter(status=VersionStatus.DRAFT).first()


def previous_version(version: CriteriaVersion) -> CriteriaVersion | None:
    """What ``version`` is compared with: the version published before it, or for a draft the
    version it was copied from."""
    if version.status == VersionStatus.DRAFT:
        return version.based_on
    return (
        CriteriaVersion.objects.filter(status=VersionStatus.PUBLISHED, number__lt=version.number)
        .order_by("-number")
        .first()
    )


def _criteria(version: CriteriaVersion) -> QuerySet[Criterion]:
    return (
        Criterion.objects.filter(version=version)
        .prefetch_related(
            Prefetch(
                "requirements", queryset=CriterionRequirement.objects.order_by("effective_from")
            )
        )
        .order_by("sort_key")
    )


def criterion_get(*, viewer, public_id: str, action: str = "view") -> Criterion:
    criterion = (
        Criterion.objects.restrict(viewer, action)
        .select_related("version")
        .filter(public_id=public_id)
        .first()
    )
    if criterion is None:
        raise NotFoundError("No such criterion.")
    return criterion


def snapshots(version: CriteriaVersion | None) -> list[rules.CriterionSnapshot]:
    """The version's criteria detached from the database, for ``rules.changes_between``."""
    if version is None:
        return []
    return [criterion.snapshot() for criterion in _criteria(version)]


def version_changes(version: CriteriaVersion) -> list[rules.Change]:
    """What ``version`` changes compared with ``previous_version``; [] for the first one."""
    previous = previous_version(version)
    if previous is None:
        return []
    return rules.changes_between(snapshots(previous), snapshots(version))


# --- The catalog -----------------------------------------------------------------------------


@dataclass
class CatalogEntry:
    """One criterion as the catalog shows it on a date."""

    criterion: Criterion
    on: dt.date
    level: str | None
    upcoming: list[tuple[dt.date, str | None]]

    @classmethod
    def of(cls, criterion: Criterion, on: dt.date) -> CatalogEntry:
        periods = criterion.periods()
        return cls(
            criterion=criterion,
            on=on,
            level=rules.requirement_level(periods, on),
            upcoming=rules.upcoming_changes(periods, on),
        )

    @property
    def upcoming_text(self) -> list[str]:
        return [rules.describe_level_change(day, level) for day, level in self.upcoming]

    @property
    def upcoming_dicts(self) -> list[dict]:
        return [{"date": day, "level": level} for day, level in self.upcoming]


@dataclass
class CategoryGroup:
    number: int
    label: str
    entries: list[CatalogEntry] = field(default_factory=list)


@dataclass
class FocusAreaGroup:
    value: str
    label: str
    categories: list[CategoryGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(c.entries) for c in self.categories)


def catalog_entries(
    *,
    viewer,
    version: CriteriaVersion,
    on: dt.date,
    entity_type: str = "",
    category: int | None = None,
    level: str = "",
    tag: str = "",
    program: str = "",
    q: str = "",
) -> list[CatalogEntry]:
    """``version``'s criteria matching the filters, each with its level on ``on`` and the level
    changes after it. ``level`` keeps only criteria with that level on ``on``."""
    version = version_get(viewer=viewer, public_id=version.public_id)
    criteria = _criteria(version)
    if category:
        criteria = criteria.filter(category=category)
    if program:
        criteria = criteria.filter(program=program)
    q = (q or "").strip()
    if q:
        criteria = criteria.filter(
            Q(msc_id=q) | Q(text__icontains=q) | Q(guidance__icontains=q) | Q(notes__icontains=q)
        )
    entries = []
    for criterion in criteria:
        if entity_type and not rules.applies_to(criterion, entity_type):
            continue
        if tag and tag not in criterion.tags:
            continue
        entry = CatalogEntry.of(criterion, on)
        if level and entry.level != level:
            continue
        entries.append(entry)
    return entries


def group_entries(entries: list[CatalogEntry]) -> list[FocusAreaGroup]:
    """Entries grouped by focus area, then category, in catalog order."""
    groups: dict[str, FocusAreaGroup] = {}
    categories: dict[int, CategoryGroup] = {}
    for entry in sorted(entries, key=lambda e: rules.msc_sort_key(e.criterion.msc_id)):
        number = entry.criterion.category
        area = FOCUS_AREA_BY_CATEGORY[number]
        if area not in groups:
            groups[area] = FocusAreaGroup(area, str(FocusArea(area).label))
        if number not in categories:
            categories[number] = CategoryGroup(number, str(Category(number).label))
            groups[area].categories.append(categories[number])
        categories[number].entries.append(entry)
    order = {value: index for index, value in enumerate(FocusArea.values)}
    return sorted(groups.values(), key=lambda g: order[g.value])


def criteria_count(version: CriteriaVersion) -> int:
    return Criterion.objects.filter(version=version).count()


# --- Entity-type tables ------------------------------------------------------------------------


@dataclass(frozen=True)
class EntityTypeTable:
    """How much of one business entity type's CBP table a version holds."""

    entity_type: str
    label: str
    criteria: int
    status: str  # choices.TableStatus

    @property
    def status_label(self) -> str:
        return str(TableStatus(self.status).label)

    @property
    def notice(self) -> str:
        if self.status == TableStatus.PARTIAL:
            return rules.PARTIAL_TABLE_NOTICE
        if self.status == TableStatus.NONE:
            return rules.NO_TABLE_NOTICE
        return ""


def entity_type_table(version: CriteriaVersion | None, entity_type: str) -> EntityTypeTable:
    """``entity_type``'s table in ``version`` (Security program criteria)."""
    return next(t for t in entity_type_tables(version) if t.entity_type == entity_type)


def entity_type_tables(version: CriteriaVersion | None) -> list[EntityTypeTable]:
    """Every business entity type's table in ``version``, in the registry's order."""
    counts = dict.fromkeys(EntityType.values, 0)
    if version is not None:
        for types in Criterion.objects.filter(
            version=version, program=Program.SECURITY
        ).values_list("entity_types", flat=True):
            for entity_type in types or ():
                if entity_type in counts:
                    counts[entity_type] += 1
    return [
        EntityTypeTable(
            entity_type=entity_type,
            label=str(EntityType(entity_type).label),
            criteria=count,
            status=rules.table_status(
                criteria_count=count,
                partial=version is not None and version.table_is_partial(entity_type),
            ),
        )
        for entity_type, count in counts.items()
    ]

"""Writes for the criteria catalog: load the shipped catalog, prepare a draft, publish it.

A published version never changes. CBP program admins copy the current version into a draft,
add, reword or re-level criteria there, and publish it; it then becomes current and every
member whose entity type a change touches is told (``_notify_affected_members``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db import IntegrityError
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from ctpat.accounts import roles
from ctpat.core import citations, uploads
from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.services import audit_record, service, snapshot
from ctpat.partners.choices import EntityType, MembershipStatus

from . import catalog, loading, rules, selectors
from .choices import Category, Level, Program, Tag, VersionStatus
from .models import CriteriaVersion, Criterion, CriterionRequirement

VERSION_FIELDS = (
    "label",
    "number",
    "status",
    "based_on",
    "notes",
    "source",
    "published_at",
    "partial_entity_types",
)
CRITERION_FIELDS = (
    "msc_id",
    "category",
    "text",
    "guidance",
    "tags",
    "program",
    "entity_types",
    "text_is_summary",
    "source",
    "notes",
)
EDITABLE_CRITERION_FIELDS = (
    "text",
    "guidance",
    "tags",
    "program",
    "entity_types",
    "text_is_summary",
    "source",
    "notes",
)
LABEL_MAX_LENGTH = 120
# Members in these states are no longer in the program: they are not told about new criteria.
NOT_NOTIFIED_STATUSES = frozenset({MembershipStatus.REMOVED, MembershipStatus.WITHDRAWN})


# --- Checks ------------------------------------------------------------------------------------


def _require(actor, code: str, message: str) -> None:
    """``actor`` None is the system (commands, migrations); people need the permission."""
    if actor is not None and not roles.has_perm(actor, code):
        raise PermissionDeniedError(message)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _locked_draft(draft: CriteriaVersion) -> CriteriaVersion:
    """The draft, locked against a concurrent publish; refuses a published version."""
    version = CriteriaVersion.objects.select_for_update().get(pk=draft.pk)
    if version.status != VersionStatus.DRAFT:
        raise ConflictError(
            f"Version {version.label} is published; published versions cannot be changed. "
            "Create a new draft instead.",
            code="version_published",
        )
    return version


def _criterion_in(draft: CriteriaVersion, criterion: Criterion) -> Criterion:
    found = Criterion.objects.select_for_update().filter(pk=criterion.pk, version=draft).first()
    if found is None:
        raise DomainError(
            f"{criterion} is not in the draft {draft.label}.", code="criterion_not_in_draft"
        )
    return found


def _field_error(name: str, message: str, code: str = "invalid") -> DomainError:
    return DomainError(message, code=code, fields={name: [message]})


def _clean_label(label: str) -> str:
    label = (label or "").strip()
    if not label:
        raise _field_error("label", "Give the version a label, e.g. 2023-01 (importer).")
    if len(label) > LABEL_MAX_LENGTH:
        raise _field_error("label", f"The label can be at most {LABEL_MAX_LENGTH} characters long.")
    if CriteriaVersion.objects.filter(label__iexact=label).exists():
        raise _field_error("label", f"A version is already labelled {label}.", "duplicate_label")
    return label


FIELD_LABELS = {
    "text": "The criterion's text",
    "guidance": "The implementation guidance",
    "source": "The source",
    "notes": "The notes",
}


def _clean_details(values: dict) -> dict:
    """Check and normalise the editable fields of a criterion (text, tags, types, ...); every
    problem is reported at once in one ``DomainError``."""
    clean, problems = {}, {}
    for name, value in values.items():
        if name in ("text", "guidance", "source", "notes"):
            value = (value or "").strip()
            limit = catalog.MAX_LENGTHS[name]
            if len(value) > limit:
                problems[name] = (
                    f"{FIELD_LABELS[name]} can be at most {limit} characters long "
                    f"(it has {len(value)})."
                )
            elif name == "text" and not value:
                problems[name] = "The criterion's text is required."
            else:
                problem = citations.internal_reference_problem(value)
                if problem:
                    problems[name] = problem
        elif name == "tags":
            value = sorted(set(value or ()))
            unknown = [t for t in value if t not in Tag.values]
            if unknown:
                problems[name] = f"These tags are not known: {', '.join(unknown)}."
        elif name == "entity_types":
            value = sorted(set(value or ()))
            unknown = [t for t in value if t not in EntityType.values]
            if not value:
                problems[name] = "Choose at least one business entity type it applies to."
            elif unknown:
                problems[name] = f"These entity types are not known: {', '.join(unknown)}."
        elif name == "program":
            if value not in Program.values:
                problems[name] = "Choose Security or Trade Compliance as the program."
        elif name == "text_is_summary":
            value = bool(value)
        clean[name] = value
    if problems:
        raise DomainError(
            " ".join(problems.values()),
            code="invalid",
            fields={name: [message] for name, message in problems.items()},
        )
    return clean


def _check_level(level: str, effective_from) -> None:
    if level not in Level.values:
        raise _field_error("level", "Choose whether the criterion is a must or a should.")
    if not isinstance(effective_from, dt.date):
        raise _field_error("effective_from", "Give the date the level takes effect.")
    problem = rules.effective_date_problem(effective_from)
    if problem:
        raise _field_error("effective_from", problem)


def _write_periods(criterion: Criterion, periods: Iterable[rules.Period]) -> None:
    CriterionRequirement.objects.filter(criterion=criterion).delete()
    CriterionRequirement.objects.bulk_create(
        [
            CriterionRequirement(
                criterion=criterion,
                level=p.level,
                effective_from=p.effective_from,
                effective_to=p.effective_to,
            )
            for p in periods
        ]
    )


def _periods_json(periods: Iterable[rules.Period]) -> list[dict]:
    return [
        {"level": p.level, "effective_from": p.effective_from, "effective_to": p.effective_to}
        for p in periods
    ]


# --- Loading the shipped catalog -------------------------------------------------------------


@service
def criteria_catalog_load(
    *,
    actor,
    snapshots: list[rules.CriterionSnapshot],
    label: str = catalog.SHIPPED_VERSION_LABEL,
    notes: str = catalog.SHIPPED_VERSION_NOTES,
    source: str = "",
    partial_entity_types: Iterable[str] = (),
) -> CriteriaVersion:
    """Publish ``snapshots`` (a parsed catalog file) as the first version.

    Refused once any version exists: later editions are drafted and published, so that members
    are told what changed.
    """
    _require(actor, "criteria.publish", "Only a CBP program admin loads the criteria catalog.")
    if CriteriaVersion.objects.select_for_update().exists():
        raise ConflictError(
            "The criteria catalog is already loaded; publish changes as a new version.",
            code="catalog_loaded",
        )
    if not snapshots:
        raise DomainError("The catalog has no criteria.", code="empty_catalog")
    version, count = loading.write_published_version(
        version_model=CriteriaVersion,
        criterion_model=Criterion,
        requirement_model=CriterionRequirement,
        snapshots=snapshots,
        label=_clean_label(label),
        notes=notes,
        source=source[: catalog.SOURCE_MAX_LENGTH],
        number=1,
        published_at=timezone.now(),
        published_by=_user(actor),
        partial_entity_types=sorted(set(partial_entity_types)),
    )
    audit_record(
        actor=actor,
        action="criteria.catalog_load",
        obj=version,
        after={**snapshot(version, VERSION_FIELDS), "criteria": count},
    )
    return version


# --- Drafts ------------------------------------------------------------------------------------


@service
def criteria_version_create_draft(
    *, actor, from_version: CriteriaVersion | None = None, label: str = ""
) -> CriteriaVersion:
    """A draft copy of ``from_version`` (default: the current version) to edit and publish."""
    _require(actor, "criteria.edit", "Only a CBP program admin prepares criteria versions.")
    current = selectors.current_version()
    from_version = from_version or current
    if from_version is None:
        raise ConflictError("There is no published version to copy.", code="no_current_version")
    if from_version.status != VersionStatus.PUBLISHED:
        raise DomainError("A draft is copied from a published version.", code="not_published")
    if CriteriaVersion.objects.select_for_update().filter(status=VersionStatus.DRAFT).exists():
        raise ConflictError(
            "A draft is already being prepared: publish or discard it first.", code="draft_exists"
        )
    label = _clean_label(label or f"{timezone.localdate():%Y-%m-%d} draft")
    try:
        draft = CriteriaVersion(
            label=label,
            based_on=from_version,
            created_by=_user(actor),
            notes="",
            partial_entity_types=list(from_version.partial_entity_types or []),
        )
        draft.save()
    except IntegrityError as exc:  # a draft created at the same moment
        raise ConflictError("A draft is already being prepared.", code="draft_exists") from exc
    count = loading.write_criteria(
        criterion_model=Criterion,
        requirement_model=CriterionRequirement,
        version=draft,
        snapshots=selectors.snapshots(from_version),
    )
    audit_record(
        actor=actor,
        action="criteria.draft_create",
        obj=draft,
        after={**snapshot(draft, VERSION_FIELDS), "criteria": count},
    )
    return draft


@service
def criteria_version_discard(*, actor, draft: CriteriaVersion, reason: str = "") -> None:
    """Throw a draft away (its criteria with it)."""
    _require(actor, "criteria.edit", "Only a CBP program admin discards criteria drafts.")
    draft = _locked_draft(draft)
    before = snapshot(draft, VERSION_FIELDS)
    audit_record(
        actor=actor, action="criteria.draft_discard", obj=draft, before=before, reason=reason
    )
    CriterionRequirement.objects.filter(criterion__version=draft).delete()
    Criterion.objects.filter(version=draft).delete()
    draft.delete()


@service
def criterion_add(
    *,
    actor,
    draft: CriteriaVersion,
    msc_id: str,
    text: str,
    level: str,
    effective_from: dt.date,
    category: int | None = None,
    guidance: str = "",
    tags: Iterable[str] = (),
    program: str = Program.SECURITY,
    entity_types: Iterable[str] = (EntityType.IMPORTER,),
    text_is_summary: bool = False,
    source: str = "",
    notes: str = "",
) -> Criterion:
    """Add a criterion to a draft, a ``level`` from ``effective_from`` on."""
    _require(actor, "criteria.edit", "Only a CBP program admin edits criteria.")
    draft = _locked_draft(draft)
    msc_id = (msc_id or "").strip()
    if category is None and rules.msc_id_problem(msc_id) is None:
        category = int(msc_id.split(".")[0])
    if category not in Category.values:
        raise _field_error("category", "Choose a category from 1 to 12 for the criterion.")
    problem = rules.msc_id_problem(msc_id, category)
    if problem:
        raise _field_error("msc_id", problem)
    if Criterion.objects.filter(version=draft, msc_id=msc_id).exists():
        raise _field_error("msc_id", f"The draft already has {msc_id}.", "duplicate_criterion")
    _check_level(level, effective_from)
    details = _clean_details(
        {
            "text": text,
            "guidance": guidance,
            "tags": tags,
            "program": program,
            "entity_types": entity_types,
            "text_is_summary": text_is_summary,
            "source": source,
            "notes": notes,
        }
    )
    criterion = Criterion(version=draft, msc_id=msc_id, category=category, **details)
    criterion.save()
    periods = (rules.Period(level, effective_from, None),)
    _write_periods(criterion, periods)
    audit_record(
        actor=actor,
        action="criteria.criterion_add",
        obj=criterion,
        after={**snapshot(criterion, CRITERION_FIELDS), "periods": _periods_json(periods)},
    )
    return criterion


@service
def criterion_update(
    *, actor, draft: CriteriaVersion, criterion: Criterion, reason: str = "", **changes
) -> Criterion:
    """Reword a draft's criterion or change its guidance, tags, program or entity types."""
    _require(actor, "criteria.edit", "Only a CBP program admin edits criteria.")
    draft = _locked_draft(draft)
    criterion = _criterion_in(draft, criterion)
    unknown = set(changes) - set(EDITABLE_CRITERION_FIELDS)
    if unknown:
        raise DomainError(
            f"These fields cannot be changed: {', '.join(sorted(unknown))}.",
            code="unknown_fields",
        )
    before = snapshot(criterion, CRITERION_FIELDS)
    for name, value in _clean_details(changes).items():
        setattr(criterion, name, value)
    after = snapshot(criterion, CRITERION_FIELDS)
    if after == before:
        raise DomainError("Nothing changed.", code="no_changes")
    criterion.save()
    audit_record(
        actor=actor,
        action="criteria.criterion_update",
        obj=criterion,
        before=before,
        after=after,
        reason=reason,
    )
    return criterion


@service
def criterion_set_requirement(
    *,
    actor,
    draft: CriteriaVersion,
    criterion: Criterion,
    level: str,
    effective_from: dt.date,
    reason: str = "",
) -> Criterion:
    """Make a draft's criterion ``level`` from ``effective_from`` on (e.g. should → must from
    2023-01-01); it keeps its earlier level until the day before."""
    _require(actor, "criteria.edit", "Only a CBP program admin edits criteria.")
    draft = _locked_draft(draft)
    criterion = _criterion_in(draft, criterion)
    _check_level(level, effective_from)
    before = criterion.periods()
    after = rules.periods_with_level_from(before, level, effective_from)
    problems = rules.period_problems(after)
    if problems:
        raise _field_error("effective_from", " ".join(problems))
    if after == before:
        raise DomainError(
            f"{criterion.msc_id} is already {level} from {effective_from}.", code="no_changes"
        )
    _write_periods(criterion, after)
    audit_record(
        actor=actor,
        action="criteria.criterion_set_requirement",
        obj=criterion,
        before={"periods": _periods_json(before)},
        after={"periods": _periods_json(after)},
        reason=reason,
    )
    return criterion


@service
def criterion_remove(
    *, actor, draft: CriteriaVersion, criterion: Criterion, reason: str = ""
) -> None:
    """Take a criterion out of a draft: from that version on it no longer exists."""
    _require(actor, "criteria.edit", "Only a CBP program admin edits criteria.")
    draft = _locked_draft(draft)
    criterion = _criterion_in(draft, criterion)
    audit_record(
        actor=actor,
        action="criteria.criterion_remove",
        obj=criterion,
        before={
            **snapshot(criterion, CRITERION_FIELDS),
            "periods": _periods_json(criterion.periods()),
        },
        reason=reason,
    )
    CriterionRequirement.objects.filter(criterion=criterion).delete()
    criterion.delete()


# --- Loading an entity type's table into a draft ------------------------------------------------


@dataclass(frozen=True)
class TableImport:
    """What ``criteria_table_import`` did to the draft."""

    entity_type: str
    partial: bool
    rows: int
    added: tuple[str, ...]  # new criterion IDs in the draft
    extended: tuple[str, ...]  # IDs already in the draft that now list the entity type
    unchanged: tuple[str, ...]  # IDs already listing it
    withdrawn: tuple[str, ...]  # IDs no longer listing the entity type (not in the file)
    deleted: tuple[str, ...]  # of those, IDs left with no entity type: taken out of the draft


# What must agree between an uploaded row and a criterion of the same ID already in the draft:
# one ID has one wording and one must/should timeline per version.
TABLE_SHARED_COLUMNS = (("category", "category"), ("text", "text"), ("program", "program"))


def _table_conflicts(existing: Criterion, row: rules.CriterionSnapshot, number: int):
    problems = []
    for attribute, column in TABLE_SHARED_COLUMNS:
        if getattr(existing, attribute) != getattr(row, attribute):
            problems.append(
                catalog.RowError(
                    number,
                    column,
                    f"{row.msc_id} is already in this draft with a different {column}; one "
                    "criterion ID has one wording and category per version. Use the draft's "
                    f"{column} or edit {row.msc_id} in the draft first.",
                )
            )
    if tuple(existing.periods()) != tuple(row.periods):
        problems.append(
            catalog.RowError(
                number,
                "level",
                f"{row.msc_id} is already in this draft with other must/should periods; one "
                "criterion ID has one must/should timeline per version. Match the draft's "
                f"periods or change {row.msc_id}'s level in the draft first.",
            )
        )
    return problems


def _merged(first: str, second: str, limit: int) -> str:
    items = citations.split_sources(first)
    items += [i for i in citations.split_sources(second) if i not in items]
    merged = citations.SEPARATOR.join(items)
    return merged if len(merged) <= limit else first


@service
def criteria_table_import(
    *,
    actor,
    draft: CriteriaVersion,
    entity_type: str,
    uploaded_file,
    partial: bool,
    reason: str = "",
) -> TableImport:
    """Load ``entity_type``'s criteria table from an uploaded CSV (the catalog format) into a
    draft version, replacing that type's table there; nothing is written if any row is wrong.

    Every row must list ``entity_type``. A criterion ID new to the draft is added; one already
    in the draft must agree on category, text, program and must/should periods, and then lists
    ``entity_type`` too (with the row's tags and sources added). Criteria of the draft that
    listed ``entity_type`` but are not in the file stop listing it (and leave the draft if they
    listed nothing else). ``partial`` marks the type's table as holding only some of CBP's rows
    (DOMAIN.md §7.6). The draft is then reviewed and published as any other.
    """
    _require(actor, "criteria.edit", "Only a CBP program admin loads criteria tables.")
    if entity_type not in EntityType.values:
        raise _field_error("entity_type", "Choose the business entity type the table is for.")
    uploads.validate_upload(
        uploaded_file, allowed=("csv",), max_bytes=catalog.TABLE_UPLOAD_MAX_BYTES
    )
    uploaded_file.seek(0)
    data = uploaded_file.read()
    uploaded_file.seek(0)
    draft = _locked_draft(draft)
    try:
        snapshots, first_rows = catalog.parse_table(catalog.decode_upload(data), entity_type)
    except catalog.CatalogError as exc:
        raise _table_error(exc.errors) from exc
    existing = {
        c.msc_id: c
        for c in Criterion.objects.select_for_update()
        .filter(version=draft)
        .prefetch_related("requirements")
    }
    errors = []
    for row in snapshots:
        if row.msc_id in existing:
            errors.extend(_table_conflicts(existing[row.msc_id], row, first_rows[row.msc_id]))
    if errors:
        raise _table_error(sorted(errors, key=lambda e: (e.row, e.column)))

    before_partial = sorted(draft.partial_entity_types or [])
    added, extended, unchanged = [], [], []
    new_rows = []
    for row in snapshots:
        criterion = existing.get(row.msc_id)
        if criterion is None:
            new_rows.append(row)
            added.append(row.msc_id)
            continue
        if entity_type in criterion.entity_types:
            unchanged.append(row.msc_id)
        else:
            extended.append(row.msc_id)
        criterion.entity_types = sorted(set(criterion.entity_types) | set(row.entity_types))
        criterion.tags = sorted(set(criterion.tags) | set(row.tags))
        criterion.source = _merged(criterion.source, row.source, catalog.SOURCE_MAX_LENGTH)
        criterion.save()
    loading.write_criteria(
        criterion_model=Criterion,
        requirement_model=CriterionRequirement,
        version=draft,
        snapshots=new_rows,
    )
    in_file = {row.msc_id for row in snapshots}
    withdrawn, deleted = [], []
    for msc_id, criterion in existing.items():
        if msc_id in in_file or entity_type not in criterion.entity_types:
            continue
        withdrawn.append(msc_id)
        remaining = [t for t in criterion.entity_types if t != entity_type]
        if remaining:
            criterion.entity_types = remaining
            criterion.save()
        else:
            deleted.append(msc_id)
            CriterionRequirement.objects.filter(criterion=criterion).delete()
            criterion.delete()
    partial_types = set(draft.partial_entity_types or [])
    if partial:
        partial_types.add(entity_type)
    else:
        partial_types.discard(entity_type)
    draft.partial_entity_types = sorted(partial_types)
    draft.save()
    result = TableImport(
        entity_type=entity_type,
        partial=partial,
        rows=len(snapshots),
        added=tuple(added),
        extended=tuple(extended),
        unchanged=tuple(unchanged),
        withdrawn=tuple(sorted(withdrawn, key=rules.msc_sort_key)),
        deleted=tuple(sorted(deleted, key=rules.msc_sort_key)),
    )
    audit_record(
        actor=actor,
        action="criteria.table_import",
        obj=draft,
        before={"partial_entity_types": before_partial},
        after={
            "entity_type": entity_type,
            "partial": partial,
            "file": uploads.clean_original_name(getattr(uploaded_file, "name", "")),
            "criteria": len(snapshots),
            "added": list(result.added),
            "extended": list(result.extended),
            "withdrawn": list(result.withdrawn),
            "deleted": list(result.deleted),
            "partial_entity_types": draft.partial_entity_types,
        },
        reason=reason,
    )
    return result


def _table_error(errors: list[catalog.RowError]) -> DomainError:
    count = len(errors)
    return DomainError(
        f"The table was not loaded: {count} problem{'s' if count != 1 else ''} "
        "found. Nothing was changed; correct the file and upload it again.",
        code="invalid_table",
        fields={"file": [f"{str(e)[0].upper()}{str(e)[1:]}" for e in errors]},
    )


# --- Publishing --------------------------------------------------------------------------------


@service
def criteria_version_publish(
    *, actor, draft: CriteriaVersion, notes: str, label: str = ""
) -> CriteriaVersion:
    """Publish a draft: it becomes the current version, the previous one stays readable, and
    members affected by a change are notified."""
    _require(actor, "criteria.publish", "Only a CBP program admin publishes criteria.")
    draft = _locked_draft(draft)
    notes = (notes or "").strip()
    if not notes:
        raise _field_error(
            "notes", "Say what this version changes and why; members are sent this note."
        )
    if label and label.strip() != draft.label:
        draft.label = _clean_label(label)
    current = selectors.current_version()
    if current is not None and draft.based_on_id != current.pk:
        raise ConflictError(
            f"This draft was copied from {draft.based_on.label if draft.based_on else 'nothing'}"
            f", but {current.label} is current now. Discard it and start a new draft.",
            code="stale_draft",
        )
    new = selectors.snapshots(draft)
    if not new:
        raise DomainError("A version needs at least one criterion.", code="empty_version")
    for criterion in new:
        problems = rules.period_problems(criterion.periods)
        if problems:
            raise DomainError(f"{criterion.msc_id}: {' '.join(problems)}", code="invalid_periods")
    changes = rules.changes_between(selectors.snapshots(current), new)
    partial_before = sorted((current.partial_entity_types or []) if current else [])
    if not changes and sorted(draft.partial_entity_types or []) == partial_before:
        raise DomainError(
            "This draft changes nothing compared with the current version.", code="no_changes"
        )
    before = snapshot(draft, VERSION_FIELDS)
    highest = CriteriaVersion.objects.aggregate(n=Max("number"))["n"] or 0
    draft.number = highest + 1
    draft.status = VersionStatus.PUBLISHED
    draft.notes = notes
    draft.published_at = timezone.now()
    draft.published_by = _user(actor)
    draft.save()
    audit_record(
        actor=actor,
        action="criteria.version_publish",
        obj=draft,
        before=before,
        after={
            **snapshot(draft, VERSION_FIELDS),
            "changes": [change.as_dict() for change in changes],
        },
    )
    _notify_affected_members(draft, changes, actor=actor)
    return draft


# --- Telling members ---------------------------------------------------------------------------


def affected_recipients(changes: list[rules.Change]):
    """(partners, users) to tell: partners of an entity type a member-facing change applies to,
    still in the program (not removed or withdrawn), and their active users."""
    from ctpat.accounts.models import User
    from ctpat.partners.models import Partner

    entity_types = rules.affected_entity_types(changes)
    partners = (
        Partner.objects.filter(entity_type__in=entity_types)
        .exclude(status__in=NOT_NOTIFIED_STATUSES)
        .select_related("organization")
        .order_by("pk")
    )
    users = (
        User.objects.filter(organization__partner__in=partners, is_active=True)
        .select_related("organization__partner")
        .order_by("pk")
    )
    return partners, users


# Notifications app limits (ctpat.notifications.constants): title 200, body 5000 characters.
NOTIFICATION_TITLE_MAX_LENGTH = 200
NOTIFICATION_BODY_MAX_LENGTH = 5000
NOTIFICATION_KIND = "criteria.version_published"


def notification_text(
    version: CriteriaVersion, changes: list[rules.Change], entity_type: str
) -> tuple[str, str]:
    """(title, body) telling a member of ``entity_type`` what ``version`` changes for it and
    from when."""
    relevant = [c for c in changes if c.member_facing and entity_type in c.entity_types]
    title = f"Minimum Security Criteria {version.label} published"[:NOTIFICATION_TITLE_MAX_LENGTH]
    lines = [
        f"CBP has published version {version.label} of the CTPAT Minimum Security Criteria. "
        f"What changes for {EntityType(entity_type).label} members:",
    ]
    for change in relevant:
        when = f" Takes effect {change.effective_from}." if change.effective_from else ""
        lines.append(f"- {change.summary}{when}")
    if version.notes:
        lines.append(f"CBP's note: {version.notes}")
    body = "\n".join(lines)
    if len(body) > NOTIFICATION_BODY_MAX_LENGTH:
        more = "\n… and more: see the version page for every change."
        body = body[: NOTIFICATION_BODY_MAX_LENGTH - len(more)] + more
    return title, body


def _notification_sender():
    """``ctpat.notifications.services.notification_send`` if that app is installed, else None."""
    if not apps.is_installed("ctpat.notifications"):
        return None
    from ctpat.notifications.services import notification_send

    return notification_send


def _notify_affected_members(version: CriteriaVersion, changes: list[rules.Change], *, actor):
    """Tell every affected member's users, in the app and by e-mail, what ``version`` changes.

    Affected: partners whose business entity type a member-facing change applies to, unless
    removed or withdrawn (``affected_recipients``). Each entity type gets its own message
    listing only its changes and when each takes effect. Delivery is the notifications app's
    ``notification_send`` (in-app notice plus e-mail queued after commit), idempotent per
    version through its dedupe key. Without that app installed nothing is sent; the audit
    event below records, either way, who was (or would have been) told.
    """
    partners, users = affected_recipients(changes)
    send = _notification_sender()
    by_type: dict[str, list] = {}
    for user in users:
        by_type.setdefault(user.organization.partner.entity_type, []).append(user)
    delivered = 0
    if send is not None:
        link = reverse("criteria:version_detail", kwargs={"version_id": version.public_id})
        for entity_type, recipients in sorted(by_type.items()):
            title, body = notification_text(version, changes, entity_type)
            send(
                actor=actor,
                recipients=recipients,
                kind=NOTIFICATION_KIND,
                title=title,
                body=body,
                link=link,
                email=True,
                dedupe_key=f"{NOTIFICATION_KIND}:{version.public_id}",
            )
            delivered += len(recipients)
    audit_record(
        actor=actor,
        action="criteria.members_notify",
        obj=version,
        after={
            "entity_types": sorted(rules.affected_entity_types(changes)),
            "partners": [p.public_id for p in partners],
            "users": sum(len(r) for r in by_type.values()),
            "delivered": delivered,
            "notifications_installed": send is not None,
        },
    )

"""Reads of the audit trail, with the same tenant isolation as every other selector."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db import connection, models
from django.db.models import Q, QuerySet

from ctpat.core import permissions
from ctpat.core.errors import NotFoundError

from .models import AuditEvent


def audit_event_list(*, viewer) -> QuerySet[AuditEvent]:
    """Every event the viewer may see (all of them for a CBP program admin)."""
    return AuditEvent.objects.restrict(viewer).select_related(
        "actor", "actor_organization", "organization", "counterparty"
    )


def audit_event_get(*, viewer, public_id: str) -> AuditEvent:
    event = audit_event_list(viewer=viewer).filter(public_id=public_id).first()
    if event is None:
        raise NotFoundError("No such audit event.")
    return event


def audit_filter_choices(*, viewer) -> tuple[list[str], list[str]]:
    """The actions and object types present in the viewer's part of the log, for filter menus."""
    qs = AuditEvent.objects.restrict(viewer).order_by()
    if qs.query.where or connection.vendor != "postgresql":
        actions = sorted(set(qs.values_list("action", flat=True).distinct()))
        object_types = sorted(set(qs.values_list("object_type", flat=True).distinct()))
        return actions, object_types
    # The whole log on PostgreSQL: hop through each column's index one value at a time
    # instead of reading millions of rows for a few dozen distinct codes.
    return _distinct_by_index_hops("action"), _distinct_by_index_hops("object_type")


def _distinct_by_index_hops(column: str) -> list[str]:
    """Distinct values of an indexed ``core_auditevent`` column (a "loose index scan")."""
    if column not in ("action", "object_type"):
        raise ValueError(column)
    table = AuditEvent._meta.db_table
    sql = (  # a fixed table and one of two fixed column names: no user input
        f"WITH RECURSIVE hops(value) AS ("  # noqa: S608
        f" (SELECT {column} FROM {table} ORDER BY {column} LIMIT 1)"
        f" UNION ALL"
        f" SELECT (SELECT {column} FROM {table} WHERE {column} > hops.value"
        f"         ORDER BY {column} LIMIT 1) FROM hops WHERE hops.value IS NOT NULL"
        f") SELECT value FROM hops WHERE value IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return sorted(row[0] for row in cursor.fetchall())


def _visible(viewer, objects: Iterable[models.Model]) -> list[models.Model]:
    """The subset of ``objects`` the viewer may view, checked once per model."""
    by_model: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    for obj in objects:
        if obj is not None and obj.pk is not None:
            by_model[type(obj)].append(obj)
    visible = []
    for model, objs in by_model.items():
        manager = model._default_manager
        if not hasattr(manager, "restrict"):
            continue  # a model without tenant rules never exposes its history here
        allowed = set(
            manager.restrict(viewer)
            .filter(pk__in=[o.pk for o in objs])
            .values_list("pk", flat=True)
        )
        visible.extend(o for o in objs if o.pk in allowed)
    return visible


def audit_events_for(*, viewer, objects: Iterable[models.Model]) -> QuerySet[AuditEvent]:
    """The audit events about ``objects``, limited to the objects the viewer may view.

    Outside CBP, the events must also belong to the viewer's organization (or name it as the
    counterparty): seeing a company through SVI does not open its history.
    """
    keys = [
        (obj._meta.label_lower, getattr(obj, "public_id", None) or str(obj.pk))
        for obj in _visible(viewer, objects)
    ]
    if not keys:
        return AuditEvent.objects.none()
    condition = reduce(or_, (Q(object_type=t, object_id=i) for t, i in keys))
    qs = AuditEvent.objects.filter(condition)
    if not permissions.is_cbp(viewer):
        qs = (
            qs.filter(
                Q(organization_id=viewer.organization_id)
                | Q(counterparty_id=viewer.organization_id)
            )
            if viewer.organization_id
            else qs.none()
        )
    return qs.select_related("actor", "actor_organization").order_by("-occurred_at", "-id")

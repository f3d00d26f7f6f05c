"""Filters for the audit-trail API and the strictness every API filter shares."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField
from django_filters.filters import BaseCSVFilter

from ctpat.core.models import AuditEvent

BOOLEAN_VALUES = frozenset({"true", "false"})


class StrictFilterSetMixin:
    """API filters refuse an empty or meaningless value instead of silently not filtering.

    The HTML lists send every field of their filter form, empty or not; an API client that
    writes ``?active=yes``, ``?occurred_after=`` or ``?ordering=name,`` has made a mistake and
    is told so.
    """

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name, filter_ in self.filters.items():
            if name not in self.data:
                continue
            for raw in self.data.getlist(name):
                parts = raw.split(",") if isinstance(filter_, BaseCSVFilter) else [raw]
                if any(not part.strip() for part in parts):
                    self.form.add_error(name, "Give a value or leave the parameter out.")
                    break
                if isinstance(filter_, django_filters.BooleanFilter) and (
                    raw.lower() not in BOOLEAN_VALUES
                ):
                    self.form.add_error(name, "Use true or false.")
                    break
        return valid and not self.form.errors


class BoundedIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, handed to the database in UTC.

    Python accepts UTC offsets up to ±23:59 but PostgreSQL only up to ±15:59, and
    ``0001-01-01T00:00+05:00`` overflows once converted to UTC: normalise here, and refuse
    what cannot be represented as invalid input rather than failing in the database.
    """

    def to_python(self, value):
        result = super().to_python(value)
        if result is None:
            return None
        try:
            return result.astimezone(dt.UTC)
        except (OverflowError, ValueError) as exc:
            raise forms.ValidationError(
                "This date and time is out of range.", code="invalid"
            ) from exc


class BoundedIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedIsoDateTimeField


class AuditEventFilterSet(StrictFilterSetMixin, django_filters.FilterSet):
    object_type = django_filters.CharFilter(max_length=80, help_text="e.g. `partners.partner`")
    object_id = django_filters.CharFilter(max_length=64, help_text="The object's public id.")
    action = django_filters.CharFilter(max_length=80, help_text="e.g. `partner.transition`")
    actor = django_filters.CharFilter(
        field_name="actor__username",
        lookup_expr="iexact",
        max_length=150,
        help_text="The acting user's username.",
    )
    occurred_after = BoundedIsoDateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    occurred_before = BoundedIsoDateTimeFilter(field_name="occurred_at", lookup_expr="lt")

    class Meta:
        model = AuditEvent
        fields = [
            "object_type",
            "object_id",
            "action",
            "actor",
            "occurred_after",
            "occurred_before",
        ]

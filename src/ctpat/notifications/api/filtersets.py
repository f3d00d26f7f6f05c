from __future__ import annotations

import django_filters

from ctpat.core.api.filtersets import StrictFilterSetMixin
from ctpat.notifications.constants import KIND_MAX_LENGTH
from ctpat.notifications.models import Notification


class NotificationFilterSet(StrictFilterSetMixin, django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", help_text="Only unread (true) or read (false)."
    )
    kind = django_filters.CharFilter(
        max_length=KIND_MAX_LENGTH, help_text="Only this kind, e.g. `svi.request`."
    )

    class Meta:
        model = Notification
        fields = ["unread", "kind"]

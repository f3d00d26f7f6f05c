"""Keyset (cursor) pagination for append-heavy lists such as the audit trail.

OFFSET paging reads and throws away every row before the page, and a page-numbered pager needs
an exact ``COUNT(*)``; over millions of rows both take seconds. A keyset page starts right after
(or before) the last row seen, using the index of the list's order, so the newest, the oldest
and any page in between cost the same. The order must be unique: a timestamp, then the key.

Links carry ``after=`` (older rows), ``before=`` (newer rows) or ``oldest=1``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import QueryDict

CURSOR_PARAMS = ("after", "before", "oldest")


@dataclass
class KeysetPage:
    items: list = field(default_factory=list)
    has_next: bool = False  # older rows exist
    has_previous: bool = False  # newer rows exist
    query_without_cursor: str = ""
    time_field: str = "occurred_at"

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def _cursor(self, obj) -> str:
        return f"{getattr(obj, self.time_field).isoformat()}~{obj.pk}"

    def _href(self, **params) -> str:
        query = QueryDict(self.query_without_cursor, mutable=True)
        for key, value in params.items():
            query[key] = value
        return "?" + query.urlencode()

    @property
    def newest_href(self) -> str:
        return "?" + self.query_without_cursor

    @property
    def oldest_href(self) -> str:
        return self._href(oldest="1")

    @property
    def next_href(self) -> str:
        return self._href(after=self._cursor(self.items[-1])) if self.items else ""

    @property
    def previous_href(self) -> str:
        return self._href(before=self._cursor(self.items[0])) if self.items else ""


def _parse(cursor: str) -> tuple[dt.datetime, int] | None:
    moment, _, pk = cursor.rpartition("~")
    try:
        parsed = dt.datetime.fromisoformat(moment)
        return (parsed, int(pk)) if parsed.tzinfo and pk.isdigit() else None
    except ValueError:
        return None


def keyset_page(
    request, queryset: QuerySet, per_page: int, time_field: str = "occurred_at"
) -> KeysetPage:
    """One page of ``queryset`` newest first (``time_field`` descending, then key descending)."""
    query = request.GET.copy()
    for param in (*CURSOR_PARAMS, "page"):
        query.pop(param, None)
    page = KeysetPage(query_without_cursor=query.urlencode(), time_field=time_field)
    newest_first = queryset.order_by(f"-{time_field}", "-pk")
    oldest_first = queryset.order_by(time_field, "pk")
    after = _parse(request.GET.get("after", ""))
    before = _parse(request.GET.get("before", ""))
    if after:
        moment, pk = after
        # The first condition is the index's range; the second only breaks ties inside it.
        rows = list(
            newest_first.filter(
                Q(**{f"{time_field}__lte": moment}),
                Q(**{f"{time_field}__lt": moment}) | Q(pk__lt=pk),
            )[: per_page + 1]
        )
        page.items, page.has_next, page.has_previous = rows[:per_page], len(rows) > per_page, True
    elif before:
        moment, pk = before
        rows = list(
            oldest_first.filter(
                Q(**{f"{time_field}__gte": moment}),
                Q(**{f"{time_field}__gt": moment}) | Q(pk__gt=pk),
            )[: per_page + 1]
        )
        if len(rows) > per_page:
            page.items, page.has_previous, page.has_next = rows[:per_page][::-1], True, True
        else:  # back at the top: show the newest page, full
            rows = list(newest_first[: per_page + 1])
            page.items, page.has_next = rows[:per_page], len(rows) > per_page
    elif request.GET.get("oldest"):
        rows = list(oldest_first[: per_page + 1])
        page.items, page.has_previous = rows[:per_page][::-1], len(rows) > per_page
    else:
        rows = list(newest_first[: per_page + 1])
        page.items, page.has_next = rows[:per_page], len(rows) > per_page
    return page

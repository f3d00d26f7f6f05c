"""One list page, NetBox's habit: the filtered (and sorted) rows either as one page of the
list or, with ``?format=csv``, as a CSV download of the same rows, so no list page repeats the
filter / paginate / export dance.

A list view builds its filterset (or its own filter form) from the viewer's restricted queryset
and hands it here with what its rows and its CSV columns are; sorting is the filterset's
``ordering`` parameter, kept in the links the page renders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from .htmx import render_page_or_partial
from .views import csv_response, paginate


@dataclass(frozen=True)
class CsvExport:
    """The CSV download of a list: ``<filename_prefix>-<YYYYMMDD>.csv`` with ``header`` and
    one row per item (``rows`` gets the whole filtered queryset, never one page)."""

    filename_prefix: str
    header: Sequence[str]
    rows: Callable[[object], Iterable[Sequence]]


def list_page(
    request: HttpRequest,
    *,
    template: str,
    page_size: int,
    filterset=None,
    items=None,
    empty_when_invalid: bool = False,
    rows: Callable[[list], object] | None = None,
    csv: CsvExport | None = None,
    partial: str | None = None,
    data: QueryDict | None = None,
    context: Mapping | None = None,
) -> HttpResponse:
    """Render one page of ``filterset.qs`` (or of ``items``), or its CSV when asked.

    ``empty_when_invalid``: an invalid filter shows nothing rather than everything.
    ``rows`` turns the page's items into what the template shows (``rows`` in the context).
    ``partial``: the template of the results alone, for HTMX requests.
    ``data``: the query the page was filtered by, when the view completed ``request.GET``.
    """
    data = request.GET if data is None else data
    if filterset is not None:
        items = filterset.qs
        if empty_when_invalid and filterset.form.errors:
            items = filterset.queryset.none()
    if csv is not None and data.get("format") == "csv":
        filename = f"{csv.filename_prefix}-{timezone.localdate():%Y%m%d}.csv"
        return csv_response(filename, list(csv.header), csv.rows(items))
    page, query_without_page = paginate(request, items, page_size)
    if data is not request.GET:
        query = data.copy()
        query.pop("page", None)
        query_without_page = query.urlencode()
    csv_query = data.copy()
    csv_query.pop("page", None)
    csv_query["format"] = "csv"
    page_context = {
        "page_obj": page,
        "query_without_page": query_without_page,
        "csv_query": csv_query.urlencode(),
        "ordering": data.get("ordering", ""),
    }
    if filterset is not None:
        page_context["filter_form"] = filterset.form
    if rows is not None:
        page_context["rows"] = rows(list(page.object_list))
    page_context.update(context or {})
    if partial is None:
        return render(request, template, page_context)
    return render_page_or_partial(request, template, partial, page_context)

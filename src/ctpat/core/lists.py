"""One list page, NetBox's habit: the filtered (and sorted) rows either as one page of the
list or, with ``?format=csv``, as a CSV download of the same rows, so no list page repeats the
filter / paginate / export dance.

A list view builds its filterset (or its own filter form) from the viewer's restricted queryset
and hands it here with what its rows and its CSV columns are; sorting is the filterset's
``ordering`` parameter, kept in the links the page renders.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from .htmx import render_page_or_partial

# Leading characters that make a spreadsheet treat a cell as a formula (CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def paginate(request: HttpRequest, items, per_page: int):
    """(page, query string without "page") for includes/pagination.html."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def csv_safe(value) -> str:
    """A cell value that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    """A streamed CSV download; every cell passes through ``csv_safe``."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # byte-order mark: spreadsheets then read the file as UTF-8
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([csv_safe(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
    export: CsvExport | None = None,
    partial: str | None = None,
    data: QueryDict | None = None,
    context: Mapping | None = None,
) -> HttpResponse:
    """Render one page of ``filterset.qs`` (or of ``items``), or its CSV when asked.

    ``empty_when_invalid``: an invalid filter shows nothing rather than everything.
    ``export``: the CSV download (``?format=csv``) of every filtered item.
    ``rows`` turns the page's items into what the template shows (``rows`` in the context).
    ``partial``: the template of the results alone, for HTMX requests.
    ``data``: the query the page was filtered by, when the view completed ``request.GET``.
    """
    data = request.GET if data is None else data
    if filterset is not None:
        items = filterset.qs
        if empty_when_invalid and filterset.form.errors:
            items = filterset.queryset.none()
    if export is not None and data.get("format") == "csv":
        filename = f"{export.filename_prefix}-{timezone.localdate():%Y%m%d}.csv"
        return csv_response(filename, list(export.header), export.rows(items))
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

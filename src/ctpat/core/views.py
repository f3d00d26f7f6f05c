"""Shared view helpers, the audit log pages and the error pages."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from functools import wraps

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseServerError,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.http import require_GET

from ctpat.accounts import roles

from . import selectors
from .errors import DomainError, NotFoundError, PermissionDeniedError
from .htmx import render_page_or_partial

AUDIT_PAGE_SIZE = 50
# Leading characters that make a spreadsheet treat a cell as a formula (CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# --- Helpers shared by every app's views ---------------------------------------------------


def domain_errors_as_http(view):
    """Turn PermissionDeniedError into a 403 page and NotFoundError into a 404 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except NotFoundError as exc:
            raise Http404(exc.message) from exc

    return wrapper


def require_perm(user, code: str) -> None:
    if not roles.has_perm(user, code):
        raise PermissionDenied("You do not have permission to see this page.")


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a refused service call on the form: its message on top, field errors in place."""
    if isinstance(exc, PermissionDeniedError | NotFoundError):
        raise exc
    for name, messages in (exc.fields or {}).items():
        if name in form.fields:
            for message in messages if isinstance(messages, list | tuple) else [messages]:
                form.add_error(name, str(message))
    form.add_error(None, exc.message)


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


# --- Audit log -----------------------------------------------------------------------------


class AuditFilterForm(forms.Form):
    actor = forms.CharField(required=False, label="Actor (username)", max_length=150)
    action = forms.ChoiceField(required=False)
    object_type = forms.ChoiceField(required=False, label="Object type")
    object_id = forms.CharField(required=False, label="Object ID", max_length=64)
    date_from = forms.DateField(
        required=False, label="From (date)", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To (date)", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, actions=(), object_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Any action")] + [(a, a) for a in actions]
        self.fields["object_type"].choices = [("", "Any object type")] + [
            (t, t) for t in object_types
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return data

    def filter(self, qs):
        data = self.cleaned_data
        if data.get("actor"):
            qs = qs.filter(actor_label__icontains=data["actor"].strip())
        if data.get("action"):
            qs = qs.filter(action=data["action"])
        if data.get("object_type"):
            qs = qs.filter(object_type=data["object_type"])
        if data.get("object_id"):
            qs = qs.filter(object_id__iexact=data["object_id"].strip())
        tz = timezone.get_current_timezone()
        if data.get("date_from"):
            start = dt.datetime.combine(data["date_from"], dt.time.min, tzinfo=tz)
            qs = qs.filter(occurred_at__gte=start)
        if data.get("date_to"):
            end = dt.datetime.combine(
                data["date_to"] + dt.timedelta(days=1), dt.time.min, tzinfo=tz
            )
            qs = qs.filter(occurred_at__lt=end)
        return qs


def _json_text(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "audit.view_all")
    actions, object_types = selectors.audit_filter_choices(viewer=request.user)
    form = AuditFilterForm(request.GET or None, actions=actions, object_types=object_types)
    events = selectors.audit_event_list(viewer=request.user)
    if form.is_bound and form.is_valid():
        events = form.filter(events)
    elif form.is_bound:
        events = events.none()
    if request.GET.get("format") == "csv":
        rows = (
            (
                e.occurred_at.isoformat(),
                e.public_id,
                e.actor_label,
                e.actor_organization.name if e.actor_organization else "",
                e.action,
                e.object_type,
                e.object_id,
                e.object_repr,
                e.reason,
                _json_text(e.before),
                _json_text(e.after),
                e.source,
                e.ip_address or "",
                e.request_id,
            )
            for e in events.iterator(chunk_size=1000)
        )
        header = [
            "occurred_at",
            "event_id",
            "actor",
            "actor_organization",
            "action",
            "object_type",
            "object_id",
            "object",
            "reason",
            "before",
            "after",
            "source",
            "ip_address",
            "request_id",
        ]
        return csv_response(f"ctpat-audit-{timezone.localdate():%Y%m%d}.csv", header, rows)
    page, query_without_page = paginate(request, events, AUDIT_PAGE_SIZE)
    csv_query = request.GET.copy()
    csv_query.pop("page", None)
    csv_query["format"] = "csv"
    context = {
        "form": form,
        "page_obj": page,
        "query_without_page": query_without_page,
        "csv_query": csv_query.urlencode(),
    }
    return render_page_or_partial(
        request, "core/audit_log.html", "core/partials/audit_results.html", context
    )


@login_required
@require_GET
@domain_errors_as_http
def event_detail(request: HttpRequest, event_id: str) -> HttpResponse:
    require_perm(request.user, "audit.view_all")
    event = selectors.audit_event_get(viewer=request.user, public_id=event_id)
    return render(request, "core/event_detail.html", {"event": event})


# --- Error pages (config/urls.py handler400..500) ------------------------------------------


def error_400(request, exception=None):
    return render(request, "400.html", status=400)


def error_403(request, exception=None):
    message = str(exception) if isinstance(exception, PermissionDenied) else ""
    return render(request, "403.html", {"message": message}, status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    """Rendered without the request: no database, session or context processors needed."""
    return HttpResponseServerError(loader.get_template("500.html").render({}))

"""Shared view helpers, the audit log pages and the error pages."""

from __future__ import annotations

import datetime as dt
import json
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import (
    DisallowedHost,
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseServerError,
)
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from ctpat.core import permissions

from . import audit_labels, selectors
from .errors import DomainError, NotFoundError, PermissionDeniedError
from .htmx import render_page_or_partial
from .keyset import CURSOR_PARAMS, keyset_page
from .lists import csv_response
from .uploads import human_size

AUDIT_PAGE_SIZE = 50


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
    if not permissions.has_perm(user, code):
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
        # Labels first, codes after: people read the label, the CSV and API carry the code.
        self.fields["action"].choices = [("", "Any action")] + sorted(
            ((a, f"{audit_labels.action_label(a)} ({a})") for a in actions),
            key=lambda choice: choice[1].lower(),
        )
        self.fields["object_type"].choices = [("", "Any object type")] + sorted(
            ((t, f"{audit_labels.object_type_label(t)} ({t})") for t in object_types),
            key=lambda choice: choice[1].lower(),
        )

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
        return csv_response(
            f"ctpat-audit-{timezone.localdate():%Y%m%d}.csv",
            AUDIT_CSV_HEADER,
            _audit_csv_rows(events),
        )
    # Keyset pages: no OFFSET and no exact COUNT(*) over millions of events.
    page = keyset_page(request, events, AUDIT_PAGE_SIZE)
    csv_query = request.GET.copy()
    for param in (*CURSOR_PARAMS, "page"):
        csv_query.pop(param, None)
    csv_query["format"] = "csv"
    context = {
        "form": form,
        "page_obj": page,
        "page_size": AUDIT_PAGE_SIZE,
        "csv_query": csv_query.urlencode(),
    }
    return render_page_or_partial(
        request, "core/audit_log.html", "core/partials/audit_results.html", context
    )


def _audit_csv_rows(events):
    return (
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
            audit_labels.action_label(e.action),
            audit_labels.object_type_label(e.object_type),
            e.organization.name if e.organization else "",
            e.counterparty.name if e.counterparty else "",
        )
        for e in events.iterator(chunk_size=1000)
    )


AUDIT_CSV_HEADER = [
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
    # Added after the original columns so existing imports keep working.
    "action_label",
    "object_type_label",
    "organization",
    "counterparty",
]


@login_required
@require_GET
@domain_errors_as_http
def event_detail(request: HttpRequest, event_id: str) -> HttpResponse:
    require_perm(request.user, "audit.view_all")
    event = selectors.audit_event_get(viewer=request.user, public_id=event_id)
    return render(request, "core/event_detail.html", {"event": event})


# --- Error pages (config/urls.py handler400..500, CSRF_FAILURE_VIEW, the size limit) ---------


def way_back(request) -> str:
    """Where a refusal page sends the user back to: the page they came from when it is on this
    site (the Referer), else the dashboard."""
    if request is None:
        return "/"
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:
        return "/"
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return referer
    return "/"


def safe_next_url(request, candidate: str, default: str) -> str:
    """``candidate`` (a ``next`` parameter) when it is a path on this site, else ``default``.

    Only an absolute path is taken: ``redirect()`` would try to reverse anything else as a view
    name and fail with a server error after the action had been done; another host or scheme
    would make an open redirect.
    """
    candidate = candidate or ""
    try:
        host = request.get_host()
    except DisallowedHost:
        return default
    if (
        candidate.startswith("/")
        and not candidate.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={host}, require_https=request.is_secure()
        )
    ):
        return candidate
    return default


def refusal_page(
    request, *, status: int, title: str, message: str, advice: str = ""
) -> HttpResponse:
    """A styled page (base.html, a USWDS error alert) for a request we refuse, with a link back
    to the page the user came from and one to the dashboard."""
    back = way_back(request)
    context = {
        "title": title,
        "message": message,
        "advice": advice,
        "status": status,
        "back_url": back,
    }
    response = render(request, "core/refused.html", context, status=status)
    if request is not None and request.headers.get("HX-Request") == "true":
        # htmx does not swap error responses: ctpat.js swaps pages marked as refusals into the
        # main content, so an htmx upload that is refused still shows why.
        response["X-Ctpat-Refusal"] = "1"
        response["HX-Retarget"] = "#main-content"
        response["HX-Reselect"] = "#main-content"
        response["HX-Reswap"] = "outerHTML"
    return response


def _form_limit_refusal(request, exception) -> HttpResponse | None:
    """The styled refusal for Django's own multipart / form body limits, or None."""
    if isinstance(exception, RequestDataTooBig):
        return refusal_page(
            request,
            status=413,
            title="The form is too large",
            message=(
                "The text in the form you sent is larger than the "
                f"{human_size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)} this site accepts in one "
                "form, so nothing was saved."
            ),
            advice="Go back, shorten the longest answers and send the form again.",
        )
    if isinstance(exception, TooManyFieldsSent):
        return refusal_page(
            request,
            status=400,
            title="The form has too many fields",
            message=(
                f"The form you sent has more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} "
                "fields, the most this site accepts at once, so nothing was saved."
            ),
            advice="Go back and send the form in smaller parts.",
        )
    if isinstance(exception, TooManyFilesSent):
        return refusal_page(
            request,
            status=400,
            title="Too many files at once",
            message=(
                f"The form you sent has more than {settings.DATA_UPLOAD_MAX_NUMBER_FILES:,} "
                "files, the most this site accepts at once, so nothing was saved."
            ),
            advice="Go back and upload the files in smaller groups.",
        )
    if isinstance(exception, MultiPartParserError):
        return refusal_page(
            request,
            status=400,
            title="The upload could not be read",
            message=(
                "The form you sent could not be read, perhaps because the upload was cut off "
                "on the way, so nothing was saved."
            ),
            advice="Go back and send the form again.",
        )
    return None


def request_too_large_page(request, *, length: int, limit: int) -> HttpResponse:
    """RequestSizeLimitMiddleware's refusal on web pages (the API answers in JSON)."""
    return refusal_page(
        request,
        status=413,
        title="What you sent is too large",
        message=(
            f"What you sent is {human_size(length)}, and this page accepts at most "
            f"{human_size(limit)}, so nothing was saved."
        ),
        advice="Go back and choose a smaller file, or send fewer files at a time.",
    )


def error_400(request, exception=None):
    if request is not None and request.path.startswith("/api/"):
        from .middleware import json_error

        return json_error("bad_request", "The request could not be read.", 400)
    response = _form_limit_refusal(request, exception)
    if response is not None:
        return response
    return render(request, "400.html", {"back_url": way_back(request)}, status=400)


def error_403(request, exception=None):
    message = str(exception) if isinstance(exception, PermissionDenied) else ""
    return render(
        request, "403.html", {"message": message, "back_url": way_back(request)}, status=403
    )


def error_404(request, exception=None):
    return render(request, "404.html", {"back_url": way_back(request)}, status=404)


def error_500(request):
    """Rendered without the request: no database, session or context processors needed."""
    return HttpResponseServerError(loader.get_template("500.html").render({}))


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a refused form (missing or stale security token) as a styled 403."""
    return refusal_page(
        request,
        status=403,
        title="Your form could not be sent",
        message=(
            "The form's security check failed, so nothing was saved. This happens when a page "
            "stayed open through a sign-out or a long pause, or when the browser blocks cookies "
            "for this site."
        ),
        advice="Go back, reload the page and send the form again.",
    )

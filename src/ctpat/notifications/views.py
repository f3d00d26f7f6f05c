"""Notification pages (each user's own) and the e-mail outbox (CBP program admins).

Every view is permission → selector → service → render; HTMX requests get the partial.
"""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ctpat.core.errors import ConflictError
from ctpat.core.htmx import is_partial_request, render_page_or_partial
from ctpat.core.lists import list_page, paginate
from ctpat.core.views import domain_errors_as_http, require_perm, safe_next_url

from . import rules, selectors, services
from .choices import EmailStatus
from .constants import NOTIFICATION_PAGE_SIZE, OUTBOX_PAGE_SIZE, OUTBOX_PERMISSION

# HX-Trigger event sent after a change, so other parts of the page (the header's count) can
# refresh themselves.
CHANGED_EVENT = "ctpat:notifications-changed"
SHOW_CHOICES = ("all", "unread")


def _next_or(request: HttpRequest, default: str) -> str:
    return safe_next_url(request, request.POST.get("next"), default)


def _changed(response: HttpResponse) -> HttpResponse:
    response.headers["HX-Trigger"] = CHANGED_EVENT
    return response


# --- The user's notifications ----------------------------------------------------------------


def _list_context(request: HttpRequest) -> dict:
    show = request.GET.get("show", "all")
    if show not in SHOW_CHOICES:
        show = "all"
    notifications = selectors.notification_list(viewer=request.user, unread_only=show == "unread")
    page, query_without_page = paginate(request, notifications, NOTIFICATION_PAGE_SIZE)
    return {
        "page_obj": page,
        "query_without_page": query_without_page,
        "return_to": request.get_full_path() if request.method == "GET" else "",
        "show": show,
        "unread_count": selectors.notification_unread_count(viewer=request.user),
    }


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    return render_page_or_partial(
        request,
        "notifications/list.html",
        "notifications/partials/notification_list.html",
        _list_context(request),
    )


def _set_read(request: HttpRequest, notification_id: str, *, read: bool) -> HttpResponse:
    notification = selectors.notification_get(viewer=request.user, public_id=notification_id)
    if notification.is_read != read:
        change = services.notification_mark_read if read else services.notification_mark_unread
        try:
            notification = change(actor=request.user, notification=notification)
        except ConflictError:
            notification.refresh_from_db()  # a second click got there first: same outcome
    if is_partial_request(request):
        context = {
            "notification": notification,
            "unread_count": selectors.notification_unread_count(viewer=request.user),
            "oob_count": True,
        }
        return _changed(render(request, "notifications/partials/notification_row.html", context))
    return redirect(_next_or(request, reverse("notifications:list")))


@login_required
@require_POST
@domain_errors_as_http
def notification_mark_read(request: HttpRequest, notification_id: str) -> HttpResponse:
    return _set_read(request, notification_id, read=True)


@login_required
@require_POST
@domain_errors_as_http
def notification_mark_unread(request: HttpRequest, notification_id: str) -> HttpResponse:
    return _set_read(request, notification_id, read=False)


@login_required
@require_POST
@domain_errors_as_http
def notification_open(request: HttpRequest, notification_id: str) -> HttpResponse:
    """Mark read and go to the page the notification is about (a POST: it changes state)."""
    notification = selectors.notification_get(viewer=request.user, public_id=notification_id)
    if not notification.is_read:
        with contextlib.suppress(ConflictError):  # a second click got there first
            services.notification_mark_read(actor=request.user, notification=notification)
    # The link was checked when the notification was made; check again: it is a redirect.
    if notification.link and rules.is_local_link(notification.link):
        return redirect(notification.link)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    try:
        count = services.notification_mark_all_read(actor=request.user)
        notice = f"Marked {count} notification{'s' if count != 1 else ''} read."
    except ConflictError as exc:
        notice = exc.message
    if is_partial_request(request):
        context = {**_list_context(request), "notice": notice, "oob_count": True}
        return _changed(render(request, "notifications/partials/notification_list.html", context))
    messages.success(request, notice)
    return redirect(_next_or(request, reverse("notifications:list")))


# --- The outbox (CBP program admins) ---------------------------------------------------------


@login_required
@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, OUTBOX_PERMISSION)
    status = request.GET.get("status", "")
    if status not in EmailStatus.values:
        status = ""
    emails = selectors.outbound_email_list(viewer=request.user, status=status)
    counts = selectors.outbound_email_status_counts(viewer=request.user)
    return list_page(
        request,
        items=emails,
        page_size=OUTBOX_PAGE_SIZE,
        template="notifications/outbox.html",
        partial="notifications/partials/outbox_results.html",
        context={
            "status": status,
            "statuses": [(value, label, counts[value]) for value, label in EmailStatus.choices],
        },
    )


@login_required
@require_GET
@domain_errors_as_http
def outbox_detail(request: HttpRequest, email_id: str) -> HttpResponse:
    require_perm(request.user, OUTBOX_PERMISSION)
    email = selectors.outbound_email_get(viewer=request.user, public_id=email_id)
    return render(request, "notifications/outbox_detail.html", {"email": email})


@login_required
@require_POST
@domain_errors_as_http
def outbox_requeue(request: HttpRequest, email_id: str) -> HttpResponse:
    require_perm(request.user, OUTBOX_PERMISSION)
    email = selectors.outbound_email_get(viewer=request.user, public_id=email_id)
    error = ""
    try:
        email = services.outbound_email_requeue(
            actor=request.user, email=email, reason="Requeued from the outbox page."
        )
        notice = f"E-mail {email.public_id} to {email.to} is queued again."
    except ConflictError as exc:
        error = notice = exc.message
        email.refresh_from_db()
    if is_partial_request(request):
        context = {"email": email, "row_notice": notice, "row_error": bool(error)}
        return render(request, "notifications/partials/outbox_row.html", context)
    (messages.error if error else messages.success)(request, notice)
    return redirect(_next_or(request, reverse("notifications:outbox")))

"""Resources library pages: the searchable list (HTMX, CSV), a resource with its revision
history, CBP program admins' curation forms, and customs brokers' share form.

Every view is permission → form → service/selector → render; HTMX requests get the partial.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctpat.accounts import roles
from ctpat.core.errors import DomainError
from ctpat.core.lists import CsvExport, list_page
from ctpat.core.views import (
    add_domain_error,
    domain_errors_as_http,
    require_perm,
)
from ctpat.partners.selectors import partner_for_user

from . import selectors, services
from .choices import ResourceState
from .filtersets import ResourceFilterSet
from .forms import NoteForm, ResourceForm, RetireForm, ShareForm, style_resource_filter_form
from .models import Resource

LIST_PAGE_SIZE = 20
HISTORY_ON_PAGE = 5
CSV_HEADER = [
    "resource_id",
    "title",
    "kind",
    "summary",
    "external_url",
    "audiences",
    "topics",
    "source",
    "state",
    "revision",
    "updated_at",
    "shared_with_you_by",
]


def _detail(resource: Resource):
    return redirect("resources:detail", resource_id=resource.public_id)


def _rows(viewer, resources) -> list[dict]:
    shared = selectors.shared_by_names(viewer=viewer, resources=resources)
    return [
        {
            "resource": r,
            "revision": selectors.display_revision(viewer=viewer, resource=r),
            "shared_by": shared.get(r.pk, []),
        }
        for r in resources
    ]


# --- List ------------------------------------------------------------------------------------


@login_required
@require_GET
def resource_list(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    data = request.GET.copy()
    own = partner_for_user(viewer)
    default_audience = ""
    if own is not None and not any(k for k in data if k != "page"):
        # A member first sees the resources for its own company type (and for all members).
        data["audience"] = default_audience = own.entity_type
    filterset = ResourceFilterSet(
        data or None, queryset=selectors.resource_list_for_viewer(viewer=viewer), request=request
    )
    style_resource_filter_form(filterset.form)
    # An invalid filter (e.g. an unknown kind) shows nothing rather than everything.
    return list_page(
        request,
        filterset=filterset,
        empty_when_invalid=True,
        data=data,
        page_size=LIST_PAGE_SIZE,
        template="resources/list.html",
        partial="resources/partials/list_results.html",
        rows=lambda resources: _rows(viewer, resources),
        export=CsvExport(
            "ctpat-resources", CSV_HEADER, lambda resources: _csv_rows(viewer, resources)
        ),
        context={
            "default_audience": default_audience,
            "sees_drafts": selectors.sees_drafts(viewer),
            "is_partner": own is not None,
            "can_edit": roles.has_perm(viewer, "resources.edit"),
        },
    )


def _csv_rows(viewer, resources):
    for chunk_start in range(0, resources.count(), 500):
        chunk = list(resources[chunk_start : chunk_start + 500])
        for row in _rows(viewer, chunk):
            r, rev = row["resource"], row["revision"]
            yield [
                r.public_id,
                rev.title,
                rev.get_kind_display(),
                rev.summary,
                rev.external_url,
                "; ".join(rev.audience_labels()),
                "; ".join(rev.topic_labels()),
                rev.source,
                r.get_state_display() if selectors.sees_drafts(viewer) else "Published",
                rev.number,
                rev.created_at.date().isoformat(),
                "; ".join(row["shared_by"]),
            ]


# --- A resource ------------------------------------------------------------------------------


@login_required
@require_GET
@domain_errors_as_http
def resource_detail(request: HttpRequest, resource_id: str) -> HttpResponse:
    viewer = request.user
    resource = selectors.resource_get(viewer=viewer, public_id=resource_id)
    revision = selectors.display_revision(viewer=viewer, resource=resource)
    shares = list(selectors.share_list(viewer=viewer, resource=resource))
    own = partner_for_user(viewer)
    history = selectors.revision_history(viewer=viewer, resource=resource)
    context = {
        "resource": resource,
        "revision": revision,
        "history": history[:HISTORY_ON_PAGE],
        "history_count": len(history),
        "received": [s for s in shares if own is not None and s.client_id == own.pk],
        "sent": [s for s in shares if own is not None and s.broker_id == own.pk],
        "all_shares": shares if roles.has_perm(viewer, "resources.view_all_shares") else [],
        "sees_drafts": selectors.sees_drafts(viewer),
        "can_edit": roles.has_perm(viewer, "resources.edit"),
        "can_publish": roles.has_perm(viewer, "resources.publish")
        and resource.live_revision_id != resource.latest_revision_id,
        "can_retire": roles.has_perm(viewer, "resources.publish")
        and resource.state != ResourceState.RETIRED,
        "can_share": selectors.is_sharing_broker(viewer) and resource.live_revision_id is not None,
        "publish_form": NoteForm(),
        "retire_form": RetireForm(),
    }
    return render(request, "resources/detail.html", context)


@login_required
@require_GET
@domain_errors_as_http
def resource_revisions(request: HttpRequest, resource_id: str) -> HttpResponse:
    resource = selectors.resource_get(viewer=request.user, public_id=resource_id)
    context = {
        "resource": resource,
        "revision": selectors.display_revision(viewer=request.user, resource=resource),
        "history": selectors.revision_history(viewer=request.user, resource=resource),
    }
    return render(request, "resources/revisions.html", context)


@login_required
@require_GET
@domain_errors_as_http
def revision_detail(request: HttpRequest, resource_id: str, revision_number: int) -> HttpResponse:
    resource = selectors.resource_get(viewer=request.user, public_id=resource_id)
    revision = selectors.revision_get(
        viewer=request.user, resource=resource, number=revision_number
    )
    context = {
        "resource": resource,
        "revision": revision,
        "current": selectors.display_revision(viewer=request.user, resource=resource),
    }
    return render(request, "resources/revision_detail.html", context)


# --- Curation (CBP program admins) -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def resource_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "resources.edit")
    form = ResourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.resource_create(
                actor=request.user,
                publish=form.cleaned_data["publish"],
                change_note=form.cleaned_data["change_note"],
                **form.content(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Resource added.")
            return _detail(resource)
    status = 400 if form.errors else 200
    return render(request, "resources/form.html", {"form": form, "resource": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def resource_edit(request: HttpRequest, resource_id: str) -> HttpResponse:
    require_perm(request.user, "resources.edit")
    resource = selectors.resource_get(viewer=request.user, public_id=resource_id, action="change")
    latest = resource.latest_revision
    initial = {**latest.as_dict(), "change_note": ""}
    form = ResourceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_revise(
                actor=request.user,
                resource=resource,
                change_note=form.cleaned_data["change_note"],
                publish=form.cleaned_data["publish"],
                **form.content(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                "Revision saved and published."
                if form.cleaned_data["publish"]
                else "Revision saved as a draft; members still see the published version.",
            )
            return _detail(resource)
    status = 400 if form.errors else 200
    context = {"form": form, "resource": resource, "revision": latest}
    return render(request, "resources/form.html", context, status=status)


@login_required
@require_POST
@domain_errors_as_http
def resource_publish(request: HttpRequest, resource_id: str) -> HttpResponse:
    require_perm(request.user, "resources.publish")
    resource = selectors.resource_get(viewer=request.user, public_id=resource_id, action="change")
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.resource_publish(
                actor=request.user, resource=resource, change_note=form.cleaned_data["change_note"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Published: members now see this version.")
    else:
        messages.error(request, "The note is too long.")
    return _detail(resource)


@login_required
@require_POST
@domain_errors_as_http
def resource_retire(request: HttpRequest, resource_id: str) -> HttpResponse:
    require_perm(request.user, "resources.publish")
    resource = selectors.resource_get(viewer=request.user, public_id=resource_id, action="change")
    form = RetireForm(request.POST)
    if form.is_valid():
        try:
            services.resource_retire(
                actor=request.user, resource=resource, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Retired: members no longer see this resource.")
    else:
        messages.error(request, "Say why the resource is retired.")
    return _detail(resource)


# --- Sharing (customs brokers) ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def resource_share(request: HttpRequest, resource_id: str) -> HttpResponse:
    viewer = request.user
    resource = selectors.resource_get(viewer=viewer, public_id=resource_id)
    if not selectors.is_sharing_broker(viewer):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(
            "Only the users of a licensed customs broker can share resources with clients."
        )
    broker = partner_for_user(viewer)
    clients = selectors.broker_clients(broker=broker)
    form = ShareForm(request.POST or None, clients=clients)
    if request.method == "POST" and form.is_valid():
        try:
            shares = services.resource_share(
                actor=viewer,
                resource=resource,
                clients=form.chosen_clients(),
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            names = ", ".join(s.client.name for s in shares)
            messages.success(request, f"Shared with {names}. Their users have been notified.")
            return _detail(resource)
    context = {
        "resource": resource,
        "revision": selectors.display_revision(viewer=viewer, resource=resource),
        "form": form,
        "clients": clients,
        "sent": list(selectors.share_list(viewer=viewer, resource=resource).filter(broker=broker)),
    }
    return render(request, "resources/share.html", context, status=400 if form.errors else 200)

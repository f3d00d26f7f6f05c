"""Criteria pages: the catalog, versions with their changes, and CBP admins' draft editing.

Every view is permission → form → service/selector → render; the catalog filters answer HTMX
requests with the results partial. Published versions are readable by everyone signed in.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctpat.accounts import roles
from ctpat.core.errors import DomainError, NotFoundError
from ctpat.core.htmx import render_page_or_partial
from ctpat.core.views import add_domain_error, domain_errors_as_http, require_perm
from ctpat.partners.selectors import partner_for_user

from . import selectors, services
from .choices import VersionStatus
from .forms import (
    CatalogFilterForm,
    CriterionAddForm,
    CriterionEditForm,
    DraftCreateForm,
    PublishForm,
    ReasonForm,
    RequirementForm,
)
from .models import CriteriaVersion, Criterion

# --- Catalog -------------------------------------------------------------------------------


def _catalog_version(request: HttpRequest, form: CatalogFilterForm) -> CriteriaVersion | None:
    public_id = form.cleaned_data.get("version") if form.is_valid() else ""
    if public_id:
        return selectors.version_get(viewer=request.user, public_id=public_id)
    return selectors.current_version()


@login_required
@require_GET
@domain_errors_as_http
def catalog(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy()
    if not data:
        # A member first sees the criteria of its own business entity type.
        own = partner_for_user(request.user)
        if own is not None:
            data["entity_type"] = own.entity_type
    form = CatalogFilterForm(data)
    version = _catalog_version(request, form)
    current = selectors.current_version()
    on = form.as_of()
    entries = []
    if version is not None and form.is_valid():
        filters = form.cleaned_data
        entries = selectors.catalog_entries(
            viewer=request.user,
            version=version,
            on=on,
            entity_type=filters["entity_type"],
            category=filters["category"],
            level=filters["level"],
            tag=filters["tag"],
            program=filters["program"],
            q=filters["q"],
        )
    context = {
        "form": form,
        "version": version,
        "is_current": version is not None and current is not None and version.pk == current.pk,
        "current": current,
        "on": on,
        "groups": selectors.group_entries(entries),
        "count": len(entries),
        "filtered": any(data.get(k) for k in ("q", "category", "level", "tag", "program")),
        "entity_type": form.cleaned_data.get("entity_type") if form.is_valid() else "",
        "invalid": not form.is_valid(),
    }
    return render_page_or_partial(
        request, "criteria/catalog.html", "criteria/partials/catalog_results.html", context
    )


# --- Versions ------------------------------------------------------------------------------


def _can_edit(user) -> bool:
    return roles.has_perm(user, "criteria.edit")


@login_required
@require_GET
def version_list(request: HttpRequest) -> HttpResponse:
    versions = list(selectors.version_list(viewer=request.user))
    context = {
        "versions": versions,
        "current": selectors.current_version(),
        "can_edit": _can_edit(request.user),
        "draft": next((v for v in versions if v.status == VersionStatus.DRAFT), None),
        "form": DraftCreateForm(),
    }
    return render(request, "criteria/versions.html", context)


@login_required
@require_POST
@domain_errors_as_http
def version_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "criteria.edit")
    form = DraftCreateForm(request.POST)
    if form.is_valid():
        try:
            draft = services.criteria_version_create_draft(
                actor=request.user, label=form.cleaned_data["label"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Draft {draft.label} created from the current version.")
            return redirect("criteria:version_detail", version_id=draft.public_id)
    versions = list(selectors.version_list(viewer=request.user))
    context = {
        "versions": versions,
        "current": selectors.current_version(),
        "can_edit": True,
        "draft": next((v for v in versions if v.status == VersionStatus.DRAFT), None),
        "form": form,
    }
    return render(request, "criteria/versions.html", context, status=400)


def _version_context(request, version: CriteriaVersion, **forms) -> dict:
    previous = selectors.previous_version(version)
    changes = selectors.version_changes(version)
    editable = version.is_draft and _can_edit(request.user)
    context = {
        "version": version,
        "previous": previous,
        "changes": changes,
        "criteria_count": selectors.criteria_count(version),
        "current": selectors.current_version(),
        "editable": editable,
        "can_publish": version.is_draft and roles.has_perm(request.user, "criteria.publish"),
        "show_people": roles.has_perm(request.user, "criteria.view_drafts"),
        **forms,
    }
    if editable:
        context["criteria"] = list(
            selectors.catalog_entries(viewer=request.user, version=version, on=timezone.localdate())
        )
        context.setdefault("publish_form", PublishForm(initial={"label": version.label}))
        context.setdefault("discard_form", ReasonForm())
    return context


@login_required
@require_GET
@domain_errors_as_http
def version_detail(request: HttpRequest, version_id: str) -> HttpResponse:
    version = selectors.version_get(viewer=request.user, public_id=version_id)
    return render(request, "criteria/version_detail.html", _version_context(request, version))


def _draft_for_edit(request: HttpRequest, version_id: str) -> CriteriaVersion:
    """The draft (404 if unseen), if the viewer may edit it (403); a published version → 409."""
    version = selectors.version_get(viewer=request.user, public_id=version_id)
    require_perm(request.user, "criteria.edit")
    return version


def _published_refusal(request, version: CriteriaVersion) -> HttpResponse:
    messages.error(request, f"Version {version.label} is published; it cannot be changed.")
    return redirect("criteria:version_detail", version_id=version.public_id)


@login_required
@require_POST
@domain_errors_as_http
def version_publish(request: HttpRequest, version_id: str) -> HttpResponse:
    version = selectors.version_get(viewer=request.user, public_id=version_id)
    require_perm(request.user, "criteria.publish")
    if not version.is_draft:
        return _published_refusal(request, version)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            version = services.criteria_version_publish(
                actor=request.user,
                draft=version,
                notes=form.cleaned_data["notes"],
                label=form.cleaned_data["label"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Version {version.label} is published and now current.")
            return redirect("criteria:version_detail", version_id=version.public_id)
    context = _version_context(request, version, publish_form=form)
    return render(request, "criteria/version_detail.html", context, status=400)


@login_required
@require_POST
@domain_errors_as_http
def version_discard(request: HttpRequest, version_id: str) -> HttpResponse:
    version = _draft_for_edit(request, version_id)
    if not version.is_draft:
        return _published_refusal(request, version)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.criteria_version_discard(
                actor=request.user, draft=version, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Draft {version.label} discarded.")
            return redirect("criteria:versions")
    context = _version_context(request, version, discard_form=form)
    return render(request, "criteria/version_detail.html", context, status=400)


# --- Criteria in a draft ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def criterion_add(request: HttpRequest, version_id: str) -> HttpResponse:
    version = _draft_for_edit(request, version_id)
    if not version.is_draft:
        return _published_refusal(request, version)
    form = CriterionAddForm(request.POST or None, initial={"entity_types": ["importer"]})
    if request.method == "POST" and form.is_valid():
        try:
            criterion = services.criterion_add(
                actor=request.user, draft=version, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"{criterion} added to draft {version.label}.")
            return redirect("criteria:version_detail", version_id=version.public_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "criteria/criterion_add.html", {"version": version, "form": form}, status=status
    )


def _criterion_in(request, version: CriteriaVersion, criterion_id: str) -> Criterion:
    criterion = selectors.criterion_get(viewer=request.user, public_id=criterion_id)
    if criterion.version_id != version.pk:
        raise NotFoundError("No such criterion in this version.")
    return criterion


def _edit_page(
    request, version, criterion, *, details=None, requirement=None, remove=None, status=200
) -> HttpResponse:
    initial = {name: getattr(criterion, name) for name in services.EDITABLE_CRITERION_FIELDS}
    periods = criterion.periods()
    context = {
        "version": version,
        "criterion": criterion,
        "periods": periods,
        "details_form": details or CriterionEditForm(initial=initial),
        "requirement_form": requirement or RequirementForm(),
        "remove_form": remove or ReasonForm(),
    }
    return render(request, "criteria/criterion_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def criterion_edit(request: HttpRequest, version_id: str, criterion_id: str) -> HttpResponse:
    version = _draft_for_edit(request, version_id)
    criterion = _criterion_in(request, version, criterion_id)
    if not version.is_draft:
        return _published_refusal(request, version)
    if request.method == "GET":
        return _edit_page(request, version, criterion)
    form = CriterionEditForm(request.POST)
    if form.is_valid():
        changes = dict(form.cleaned_data)
        reason = changes.pop("reason", "")
        try:
            services.criterion_update(
                actor=request.user, draft=version, criterion=criterion, reason=reason, **changes
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"{criterion} updated.")
            return redirect(
                "criteria:criterion_edit",
                version_id=version.public_id,
                criterion_id=criterion.public_id,
            )
    return _edit_page(request, version, criterion, details=form, status=400)


@login_required
@require_POST
@domain_errors_as_http
def criterion_requirement(request: HttpRequest, version_id: str, criterion_id: str):
    version = _draft_for_edit(request, version_id)
    criterion = _criterion_in(request, version, criterion_id)
    if not version.is_draft:
        return _published_refusal(request, version)
    form = RequirementForm(request.POST)
    if form.is_valid():
        try:
            services.criterion_set_requirement(
                actor=request.user, draft=version, criterion=criterion, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            data = form.cleaned_data
            messages.success(
                request,
                f"{criterion} is {data['level']} from {data['effective_from']:%Y-%m-%d}.",
            )
            return redirect(
                "criteria:criterion_edit",
                version_id=version.public_id,
                criterion_id=criterion.public_id,
            )
    return _edit_page(request, version, criterion, requirement=form, status=400)


@login_required
@require_POST
@domain_errors_as_http
def criterion_remove(request: HttpRequest, version_id: str, criterion_id: str):
    version = _draft_for_edit(request, version_id)
    criterion = _criterion_in(request, version, criterion_id)
    if not version.is_draft:
        return _published_refusal(request, version)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.criterion_remove(
                actor=request.user,
                draft=version,
                criterion=criterion,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"{criterion} removed from draft {version.label}.")
            return redirect("criteria:version_detail", version_id=version.public_id)
    return _edit_page(request, version, criterion, remove=form, status=400)

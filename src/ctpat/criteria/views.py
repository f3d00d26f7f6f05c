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
from ctpat.core.errors import ConflictError, DomainError, NotFoundError
from ctpat.core.htmx import render_page_or_partial
from ctpat.core.views import add_domain_error, domain_errors_as_http, require_perm
from ctpat.partners.choices import EntityType
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
    TableUploadForm,
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
    if version is not None and context["entity_type"]:
        context["table"] = selectors.entity_type_table(version, context["entity_type"])
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
        "tables": selectors.entity_type_tables(version),
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


# --- Loading an entity type's table ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def table_upload(request: HttpRequest, version_id: str) -> HttpResponse:
    """A CBP program admin loads one entity type's criteria table (CSV) into the draft."""
    version = _draft_for_edit(request, version_id)
    if not version.is_draft:
        return _published_refusal(request, version)
    table_errors: list[str] = []
    status = 200
    if request.method == "POST":
        form = TableUploadForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = services.criteria_table_import(
                    actor=request.user,
                    draft=version,
                    entity_type=data["entity_type"],
                    uploaded_file=data["file"],
                    partial=data["partial"],
                    reason=data["reason"],
                )
            except DomainError as exc:
                table_errors = list((exc.fields or {}).get("file", []))
                if exc.code == "invalid_table":
                    form.add_error(None, exc.message)
                else:
                    add_domain_error(form, exc)
                    table_errors = []
                status = 409 if isinstance(exc, ConflictError) else 400
            else:
                messages.success(request, _table_message(result))
                return redirect("criteria:version_detail", version_id=version.public_id)
        else:
            status = 400
    else:
        form = TableUploadForm()
    context = {
        "version": version,
        "form": form,
        "table_errors": table_errors,
        "tables": selectors.entity_type_tables(version),
        "columns": TABLE_COLUMN_HELP,
    }
    return render(request, "criteria/table_upload.html", context, status=status)


def _table_message(result: services.TableImport) -> str:
    label = EntityType(result.entity_type).label
    parts = [
        f"The {label} table is loaded into the draft ({result.rows} criteri"
        f"{'on' if result.rows == 1 else 'a'}"
        f"{', marked partial' if result.partial else ''}):",
        f"{len(result.added)} added,",
        f"{len(result.extended)} already in the draft now listing {label},",
        f"{len(result.unchanged)} unchanged,",
        f"{len(result.withdrawn)} no longer listing it"
        + (f" ({len(result.deleted)} taken out of the draft)." if result.deleted else "."),
        "Review the changes below, then publish the version.",
    ]
    return " ".join(parts)


# The upload format, shown on the page (the same as the shipped catalog file).
TABLE_COLUMN_HELP = (
    ("msc_id", "Criterion ID: category number, a dot and a number, e.g. 3.9 or 3.10.", True),
    ("category", "Category number, 1 to 12; it must match the ID's first number.", True),
    ("category_name", "The category's title, e.g. Business Partners.", True),
    ("text", "The criterion (at most 4000 characters).", True),
    ("guidance", "CBP's implementation guidance; may be empty.", False),
    ("level", "must or should during this period.", True),
    ("effective_from", "First day of the period, YYYY-MM-DD.", True),
    ("effective_to", "Last day of the period (inclusive), YYYY-MM-DD; empty = open-ended.", False),
    ("tags", "Topic tags separated by ; (e.g. forced_labor;training); may be empty.", False),
    ("program", "security or trade_compliance.", True),
    (
        "entity_types",
        "Business entity types separated by ; — every row must list the type you upload for.",
        True,
    ),
    ("text_is_summary", "true if the text is a summary, false if it is CBP's wording.", True),
    (
        "source",
        "The public source: a citation written out (title, publisher, date, link) or the key of "
        "a known citation, several separated by ;.",
        True,
    ),
    ("notes", "Anything a reader should know; may be empty.", False),
)

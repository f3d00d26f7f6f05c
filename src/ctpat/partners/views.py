"""Partner registry pages: list, register and the partner's tabs (status verification pages are
in ``svi_views``, CBP invitations in ``invitation_views``).

Every view is permission → form → service/selector → render; HTMX requests get the partial.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctpat.accounts import roles
from ctpat.core import selectors as core_selectors
from ctpat.core.errors import DomainError, NotFoundError
from ctpat.core.htmx import is_partial_request, render_page_or_partial
from ctpat.core.lists import CsvExport, list_page, paginate
from ctpat.core.views import (
    add_domain_error,
    domain_errors_as_http,
    require_perm,
    safe_next_url,
)

from . import rules, selectors, services
from .choices import EntityType, MembershipStatus, SVIStatus
from .filtersets import PartnerFilterSet
from .forms import (
    IdentifierAddForm,
    IdentifierDeactivateForm,
    PartnerProfileForm,
    PartnerRegisterForm,
    TransitionForm,
    style_partner_filter_form,
)
from .models import Partner

LIST_PAGE_SIZE = 25
HISTORY_PAGE_SIZE = 25


# --- Permissions the pages need to decide what to offer --------------------------------------


def _own(user, partner: Partner) -> bool:
    return user.organization_id is not None and user.organization_id == partner.organization_id


def can_edit_profile(user, partner: Partner) -> bool:
    return roles.has_perm(user, "partner.change_any") or (
        roles.has_perm(user, "partner.change_own") and _own(user, partner)
    )


def can_change_identifiers(user, partner: Partner) -> bool:
    return roles.has_perm(user, "identifier.change_any") or (
        roles.has_perm(user, "identifier.change_own") and _own(user, partner)
    )


def transition_targets(user, partner: Partner) -> list[str]:
    """The statuses this viewer may move the partner to today (rules + permissions)."""
    targets = rules.allowed_targets(
        partner.status, today=timezone.localdate(), **services.transition_conditions(partner)
    )
    if roles.has_perm(user, "partner.transition_any"):
        return targets
    if roles.has_perm(user, "partner.transition_own") and _own(user, partner):
        return [t for t in targets if (partner.status, t) in services.PARTNER_SELF_TRANSITIONS]
    return []


def _next_or(request: HttpRequest, default: str) -> str:
    return safe_next_url(request, request.POST.get("next"), default)


# --- Membership dates shown on the profile and the dashboard ---------------------------------


def membership_clock(partner: Partner, today) -> dict:
    """Anniversary, annual review window and (re)validation due date of a member."""
    clock: dict = {"is_member": partner.tier is not None}
    if partner.certification_date and partner.tier is not None:
        opens, closes = rules.review_window(partner.certification_date, today)
        clock.update(
            anniversary=closes,
            review_opens=opens,
            review_open=opens <= today <= closes,
            days_to_window=(opens - today).days,
            days_to_anniversary=(closes - today).days,
        )
    if partner.tier is not None:
        if partner.last_validation_date:
            due, label = rules.revalidation_due(partner.last_validation_date), "Revalidation due"
        elif partner.certification_date:
            due, label = (
                rules.validation_target_date(partner.certification_date),
                ("First validation target"),
            )
        else:
            due, label = None, ""
        if due:
            clock.update(
                validation_due=due, validation_label=label, validation_days=(due - today).days
            )
    return clock


# --- List ----------------------------------------------------------------------------------


def _choice_labels(choices) -> dict[str, str]:
    """Code → label, translated once per request: ``get_FOO_display()`` per row of a 20,000-row
    export spent most of its time re-translating the whole choice list."""
    return {code: str(label) for code, label in choices}


def _row(viewer, partner: Partner, status_labels: dict[str, str] | None = None) -> dict:
    """What the list may show of a partner: everything, or the SVI view of it."""
    full = selectors.partner_access_level(viewer=viewer, partner=partner) == selectors.FULL
    shares = full or partner.svi_share_more
    if full:
        status_label = (status_labels or {}).get(partner.status) or partner.get_status_display()
    else:
        status_label = partner.shared_status_label
    return {
        "partner": partner,
        "full": full,
        "tier": partner.tier if shares else None,
        "tier_shared": shares,
        "status": partner.status if full else partner.shared_status,
        "status_label": status_label,
        "certification_date": partner.certification_date if full else None,
    }


@login_required
@require_GET
def partner_list(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    filterset = PartnerFilterSet(
        request.GET or None, queryset=selectors.partner_list(viewer=viewer), request=request
    )
    style_partner_filter_form(filterset.form)
    return list_page(
        request,
        filterset=filterset,
        page_size=LIST_PAGE_SIZE,
        template="partners/list.html",
        partial="partners/partials/list_results.html",
        rows=lambda partners: [_row(viewer, p) for p in partners],
        export=CsvExport(
            "ctpat-partners",
            PARTNER_CSV_HEADER,
            lambda partners: _csv_rows(viewer, partners),
        ),
        context={
            "can_create": roles.has_perm(viewer, "partner.create"),
            "can_view_invitations": roles.has_perm(viewer, "partner.view_all"),
        },
    )


PARTNER_CSV_HEADER = [
    "account_number",
    "name",
    "dba_name",
    "entity_type",
    "country",
    "status",
    "tier",
    "certification_date",
]


def _csv_rows(viewer, partners):
    """The export's rows, streamed; each choice list is translated once, not once per row."""
    status_labels = _choice_labels(MembershipStatus.choices)
    type_labels = _choice_labels(EntityType.choices)
    for p in partners.iterator(chunk_size=500):
        yield _csv_row(_row(viewer, p, status_labels), type_labels)


def _csv_row(row: dict, type_labels: dict[str, str]) -> list:
    p = row["partner"]
    return [
        p.public_id,
        p.name,
        p.dba_name if row["full"] else "",
        type_labels.get(p.entity_type) or p.get_entity_type_display(),
        p.country,
        row["status_label"],
        row["tier"] or "",
        row["certification_date"].isoformat() if row["certification_date"] else "",
    ]


# --- Register ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def partner_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "partner.create")
    if request.method == "POST" and not request.POST.get("refresh"):
        form = PartnerRegisterForm(
            request.POST, entity_type=request.POST.get("entity_type", ""), viewer=request.user
        )
        if form.is_valid():
            try:
                partner = services.partner_register(actor=request.user, **form.service_kwargs())
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    f"{partner.name} is registered as a pre-applicant ({partner.public_id}).",
                )
                return redirect("partners:detail", partner_id=partner.public_id)
    elif request.method == "POST":
        # "Update required identifiers" without JavaScript: same form, no errors yet.
        form = PartnerRegisterForm(
            initial=request.POST.dict(),
            entity_type=request.POST.get("entity_type", ""),
            viewer=request.user,
        )
    else:
        form = PartnerRegisterForm(viewer=request.user)
    return render(request, "partners/create.html", {"form": form})


@login_required
@require_GET
def partner_create_identifier_fields(request: HttpRequest) -> HttpResponse:
    """HTMX: the identifier fields required for the entity type just chosen."""
    require_perm(request.user, "partner.create")
    form = PartnerRegisterForm(entity_type=request.GET.get("entity_type", ""), viewer=request.user)
    return render(request, "partners/partials/identifier_fields.html", {"form": form})


# --- Detail tabs ---------------------------------------------------------------------------

TABS = [
    ("detail", "Profile"),
    ("identifiers", "Identifiers"),
    ("status_history", "Status history"),
    ("svi_connections", "SVI connections"),
    ("history", "History"),
]


def _partner_or_404(request: HttpRequest, partner_id: str) -> Partner:
    return selectors.partner_get(viewer=request.user, public_id=partner_id)


def _full_access_partner(request: HttpRequest, partner_id: str) -> Partner:
    partner = _partner_or_404(request, partner_id)
    if selectors.partner_access_level(viewer=request.user, partner=partner) != selectors.FULL:
        raise PermissionDenied("Status verification shows only this company's summary.")
    return partner


def _render_tab(request, partner, tab: str, context: dict, status: int = 200) -> HttpResponse:
    user = request.user
    context = {
        "partner": partner,
        "tab": tab,
        "tab_template": f"partners/tabs/{tab}.html",
        "tabs": [
            {
                "name": name,
                "label": label,
                "url": reverse(f"partners:{name}", kwargs={"partner_id": partner.public_id}),
            }
            for name, label in TABS
        ],
        "can_edit": can_edit_profile(user, partner),
        "can_change_identifiers": can_change_identifiers(user, partner),
        **context,
    }
    return render_page_or_partial(
        request,
        "partners/detail.html",
        "partners/partials/detail_layout.html",
        context,
        status=status,
    )


def _missing_identifiers(viewer, partner: Partner):
    kinds = selectors.identifier_list(viewer=viewer, partner=partner).filter(is_active=True)
    return rules.missing_identifiers(partner.entity_type, set(kinds.values_list("kind", flat=True)))


@login_required
@require_GET
@domain_errors_as_http
def partner_detail(request: HttpRequest, partner_id: str) -> HttpResponse:
    partner = _partner_or_404(request, partner_id)
    if selectors.partner_access_level(viewer=request.user, partner=partner) != selectors.FULL:
        return render(request, "partners/detail_svi.html", {"partner": partner})
    context = {
        "clock": membership_clock(partner, timezone.localdate()),
        "missing": _missing_identifiers(request.user, partner),
    }
    return _render_tab(request, partner, "detail", context)


def _redirect_or_tab(request, partner, tab, context, notice: str) -> HttpResponse:
    """After a successful write: the refreshed tab for HTMX, a redirect (PRG) otherwise."""
    if is_partial_request(request):
        return _render_tab(request, partner, tab, {**context, "notice": notice})
    messages.success(request, notice)
    return redirect(f"partners:{tab}", partner_id=partner.public_id)


def _identifiers_context(
    request, partner, add_form=None, deactivate_errors=None, deactivate_values=None
) -> dict:
    return {
        "identifiers": selectors.identifier_list(viewer=request.user, partner=partner).order_by(
            "-is_active", "kind", "value"
        ),
        "add_form": add_form or IdentifierAddForm(),
        "deactivate_errors": deactivate_errors or {},
        "deactivate_values": deactivate_values or {},
        "deactivate_reason_limit": IdentifierDeactivateForm.base_fields["reason"].max_length,
        "missing": _missing_identifiers(request.user, partner),
        "shared_claims": selectors.identifier_claims_elsewhere(
            viewer=request.user, partner=partner
        ),
    }


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def partner_identifiers(request: HttpRequest, partner_id: str) -> HttpResponse:
    partner = _full_access_partner(request, partner_id)
    form = None
    if request.method == "POST":
        if not can_change_identifiers(request.user, partner):
            raise PermissionDenied("You cannot change this partner's identifiers.")
        form = IdentifierAddForm(request.POST)
        if form.is_valid():
            try:
                identifier = services.identifier_add(
                    actor=request.user, partner=partner, **form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return _redirect_or_tab(
                    request,
                    partner,
                    "identifiers",
                    _identifiers_context(request, partner),
                    f"Added {identifier}.",
                )
    context = _identifiers_context(request, partner, add_form=form)
    return _render_tab(
        request, partner, "identifiers", context, status=400 if form is not None else 200
    )


@login_required
@require_POST
@domain_errors_as_http
def identifier_deactivate(request: HttpRequest, partner_id: str, identifier_id: str):
    partner = _full_access_partner(request, partner_id)
    identifier = selectors.identifier_get(viewer=request.user, public_id=identifier_id)
    if identifier.partner_id != partner.pk:
        raise NotFoundError("No such identifier for this partner.")
    form = IdentifierDeactivateForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.identifier_deactivate(
                actor=request.user, identifier=identifier, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            if isinstance(exc, NotFoundError):
                raise
            error = exc.message
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from exc
        else:
            return _redirect_or_tab(
                request,
                partner,
                "identifiers",
                _identifiers_context(request, partner),
                f"Deactivated {identifier}.",
            )
    else:
        error = form.errors["reason"][0]
    context = _identifiers_context(
        request,
        partner,
        deactivate_errors={identifier.public_id: error},
        # What the user typed comes back with the error: nothing is lost.
        deactivate_values={identifier.public_id: request.POST.get("reason", "")},
    )
    return _render_tab(request, partner, "identifiers", context, status=400)


def _reapply_note(partner: Partner) -> dict | None:
    """When a company that left may reapply, and whether that wait has a public source."""
    from .conf import reapply_outlook

    return reapply_outlook(partner)


def _status_context(request, partner, form=None) -> dict:
    targets = transition_targets(request.user, partner)
    user = request.user
    return {
        "changes": selectors.status_history(viewer=user, partner=partner),
        "targets": targets,
        "form": form or TransitionForm(current=partner.status, targets=targets),
        "can_suspend": roles.has_perm(user, "partner.transition_any"),
        "can_remove_immediately": roles.has_perm(user, "partner.remove_immediately"),
        "enforcement_link": roles.has_perm(user, "enforcement.view_all")
        or (roles.has_perm(user, "enforcement.view_own") and _own(user, partner)),
        "reapply": _reapply_note(partner),
    }


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def partner_status_history(request: HttpRequest, partner_id: str) -> HttpResponse:
    partner = _full_access_partner(request, partner_id)
    form = None
    if request.method == "POST":
        targets = transition_targets(request.user, partner)
        if not targets:
            raise PermissionDenied("You cannot change this partner's status.")
        form = TransitionForm(request.POST, current=partner.status, targets=targets)
        if form.is_valid():
            try:
                partner = services.partner_transition(
                    actor=request.user,
                    partner=partner,
                    target=form.cleaned_data["target"],
                    reason=form.cleaned_data["reason"],
                    notify=True,
                )
            except DomainError as exc:
                if exc.code == rules.DecisionCode.REASON_REQUIRED and not exc.fields:
                    exc.fields = {"reason": ["Say why the status changes."]}
                add_domain_error(form, exc)
            else:
                return _redirect_or_tab(
                    request,
                    partner,
                    "status_history",
                    _status_context(request, partner),
                    f"Status changed to {partner.get_status_display()}.",
                )
    return _render_tab(
        request,
        partner,
        "status_history",
        _status_context(request, partner, form),
        status=400 if form is not None else 200,
    )


@login_required
@require_GET
@domain_errors_as_http
def partner_svi_connections(request: HttpRequest, partner_id: str) -> HttpResponse:
    partner = _full_access_partner(request, partner_id)
    connections = selectors.svi_connection_list(viewer=request.user, partner=partner)
    sees_all = roles.has_perm(request.user, "partner.view_all")
    rows = []
    for c in connections:
        other = c.other_party(partner)
        if sees_all:
            status, label = other.status, other.get_status_display()
        elif c.status == SVIStatus.ACCEPTED:
            # Only an accepted connection shows the other side's status, as it shares it.
            status, label = other.shared_status, other.shared_status_label
        else:
            status = label = None
        rows.append(
            {
                "connection": c,
                "other": other,
                "other_status": status,
                "other_status_label": label,
                "direction": "Sent" if c.requester_id == partner.pk else "Received",
                # Asked by number and not accepted: the requester's users do not learn the name.
                "hidden": c.target_name_hidden and c.requester_id == partner.pk and not sees_all,
            }
        )
    return _render_tab(request, partner, "svi_connections", {"rows": rows})


@login_required
@require_GET
@domain_errors_as_http
def partner_history(request: HttpRequest, partner_id: str) -> HttpResponse:
    partner = _full_access_partner(request, partner_id)
    viewer = request.user
    objects = [
        partner,
        *selectors.identifier_list(viewer=viewer, partner=partner),
        *selectors.svi_connection_list(viewer=viewer, partner=partner),
        *selectors.certification_request_list(viewer=viewer).filter(requester=partner),
    ]
    events = core_selectors.audit_events_for(viewer=viewer, objects=objects)
    page, query_without_page = paginate(request, events, HISTORY_PAGE_SIZE)
    return _render_tab(
        request, partner, "history", {"page_obj": page, "query_without_page": query_without_page}
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def partner_edit(request: HttpRequest, partner_id: str) -> HttpResponse:
    partner = _full_access_partner(request, partner_id)
    if not can_edit_profile(request.user, partner):
        raise PermissionDenied("You cannot edit this partner's profile.")
    initial = {f: getattr(partner, f) for f in services.EDITABLE_PROFILE_FIELDS}
    form = PartnerProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update_profile(
                actor=request.user,
                partner=partner,
                reason=form.cleaned_data["reason"],
                **form.changes(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Profile saved.")
            return redirect("partners:detail", partner_id=partner.public_id)
    return render(request, "partners/edit.html", {"partner": partner, "form": form})

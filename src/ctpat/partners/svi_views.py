"""Status verification (SVI) pages: a member's connections, search, requests (by name or by
account number), their answers, the SVI settings and certification requests.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ctpat.accounts import roles
from ctpat.core.errors import DomainError
from ctpat.core.htmx import is_partial_request
from ctpat.core.views import (
    add_domain_error,
    domain_errors_as_http,
    require_perm,
)

from . import rules, selectors, services
from .choices import SVIStatus
from .forms import (
    CertificationRequestForm,
    SVINumberRequestForm,
    SVIRejectForm,
    SVIRequestForm,
    SVISearchForm,
    SVISettingsForm,
)
from .models import Partner
from .views import _next_or

SVI_SEARCH_LIMIT = 20


# --- Status verification (SVI) -------------------------------------------------------------


def _svi_partner(request: HttpRequest) -> Partner:
    if not roles.is_partner_user(request.user):
        raise PermissionDenied("Status verification is for partner companies.")
    partner = selectors.partner_for_user(request.user)
    if partner is None:
        raise Http404("Your organization has no CTPAT account.")
    return partner


def svi_lists_context(viewer, partner: Partner) -> dict:
    """Incoming, accepted and outgoing connections of ``partner`` as the viewer may see them."""
    connections = selectors.svi_connection_list(viewer=viewer, partner=partner)
    return {
        "my_partner": partner,
        "incoming": [
            c for c in connections if c.target_id == partner.pk and c.status == SVIStatus.PENDING
        ],
        "outgoing": [
            c for c in connections if c.requester_id == partner.pk and c.status == SVIStatus.PENDING
        ],
        "connected": [
            {"connection": c, "other": c.other_party(partner)}
            for c in connections
            if c.status == SVIStatus.ACCEPTED
        ],
        "can_decide": roles.has_perm(viewer, "svi.decide"),
        "can_request": roles.has_perm(viewer, "svi.request"),
    }


def _svi_search_context(viewer, query: str) -> dict:
    """Certified members matching ``query``, and which of them are already linked to us."""
    if not query:
        return {"query": query, "results": [], "searched": False, "linked": {}}
    results = list(selectors.svi_candidate_targets(viewer=viewer, query=query)[:SVI_SEARCH_LIMIT])
    own = selectors.partner_for_user(viewer)
    linked = {}
    if own is not None:
        open_links = selectors.svi_connection_list(viewer=viewer, partner=own).filter(
            status__in=[SVIStatus.PENDING, SVIStatus.ACCEPTED]
        )
        for c in open_links:
            other = c.other_party(own)
            if c.status == SVIStatus.ACCEPTED:
                label = "Connected"
            elif c.requester_id == own.pk:
                label = "Request sent"
            else:
                label = "Waiting for your answer"
            linked[other.pk] = {"status": c.status, "label": label}
    return {"query": query, "results": results, "searched": True, "linked": linked}


def _svi_page_context(
    request: HttpRequest,
    partner: Partner,
    *,
    query: str = "",
    search_form=None,
    certification_form=None,
    number_form=None,
) -> dict:
    viewer = request.user
    return {
        **svi_lists_context(viewer, partner),
        **_svi_search_context(viewer, query),
        "search_form": search_form or SVISearchForm(),
        "number_form": number_form or SVINumberRequestForm(),
        "settings_form": SVISettingsForm(
            initial={
                "auto_accept": partner.svi_auto_accept,
                "share_more": partner.svi_share_more,
                "directory_listed": partner.svi_directory_listed,
            }
        ),
        "can_change_settings": roles.has_perm(viewer, "svi.settings"),
        "can_invite": roles.has_perm(viewer, "svi.certification_request"),
        "certification_form": certification_form or CertificationRequestForm(),
        "certification_requests": selectors.certification_request_list(viewer=viewer).filter(
            requester=partner
        ),
        "eligible": rules.svi_party_eligible(partner.status),
    }


@login_required
@require_GET
@domain_errors_as_http
def svi(request: HttpRequest) -> HttpResponse:
    partner = _svi_partner(request)
    search_form = SVISearchForm(request.GET or None)
    query = search_form.cleaned_data["q"].strip() if search_form.is_valid() else ""
    context = _svi_page_context(request, partner, query=query, search_form=search_form)
    return render(request, "partners/svi.html", context)


@login_required
@require_GET
@domain_errors_as_http
def svi_search(request: HttpRequest) -> HttpResponse:
    """HTMX: companies matching the search box. Without HTMX the SVI page does the same."""
    _svi_partner(request)
    form = SVISearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if not is_partial_request(request):
        return redirect(f"{reverse('partners:svi')}?{request.GET.urlencode()}")
    return render(
        request,
        "partners/partials/svi_search_results.html",
        _svi_search_context(request.user, query),
    )


def _svi_done(request, partner, notice: str, *, error: bool = False) -> HttpResponse:
    """After an SVI write: the refreshed lists for HTMX, a redirect otherwise."""
    if is_partial_request(request):
        panel = request.POST.get("panel", "svi")
        template = (
            "partners/partials/svi_incoming.html"
            if panel == "dashboard"
            else "partners/partials/svi_lists.html"
        )
        context = {
            **svi_lists_context(request.user, partner),
            "notice": notice,
            "notice_error": error,
            "panel": panel,
        }
        return render(request, template, context)
    (messages.error if error else messages.success)(request, notice)
    return redirect(_next_or(request, reverse("partners:svi")))


def _svi_decision(request, connection_id: str, decide) -> HttpResponse:
    partner = _svi_partner(request)
    connection = selectors.svi_connection_get(viewer=request.user, public_id=connection_id)
    try:
        connection = decide(connection)
    except DomainError as exc:
        if exc.status_code in (403, 404):
            raise
        return _svi_done(request, partner, exc.message, error=True)
    other = connection.other_party(partner).name
    verb = {
        SVIStatus.ACCEPTED: f"You are now connected with {other}.",
        SVIStatus.REJECTED: f"You declined the request from {other}.",
        SVIStatus.CANCELLED: f"You cancelled your request to {other}.",
        SVIStatus.DISCONNECTED: f"You are no longer connected with {other}.",
    }
    return _svi_done(request, partner, verb.get(connection.status, "Done."))


@login_required
@require_POST
@domain_errors_as_http
def svi_accept(request: HttpRequest, connection_id: str) -> HttpResponse:
    return _svi_decision(
        request,
        connection_id,
        lambda c: services.svi_accept(actor=request.user, connection=c),
    )


@login_required
@require_POST
@domain_errors_as_http
def svi_reject(request: HttpRequest, connection_id: str) -> HttpResponse:
    form = SVIRejectForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _svi_decision(
        request,
        connection_id,
        lambda c: services.svi_reject(actor=request.user, connection=c, reason=reason),
    )


@login_required
@require_POST
@domain_errors_as_http
def svi_cancel(request: HttpRequest, connection_id: str) -> HttpResponse:
    return _svi_decision(
        request,
        connection_id,
        lambda c: services.svi_cancel(actor=request.user, connection=c),
    )


@login_required
@require_POST
@domain_errors_as_http
def svi_disconnect(request: HttpRequest, connection_id: str) -> HttpResponse:
    return _svi_decision(
        request,
        connection_id,
        lambda c: services.svi_disconnect(actor=request.user, connection=c),
    )


@login_required
@require_POST
@domain_errors_as_http
def svi_request(request: HttpRequest) -> HttpResponse:
    partner = _svi_partner(request)
    form = SVIRequestForm(request.POST)
    if not form.is_valid():
        return _svi_done(request, partner, "Choose a company to connect with.", error=True)
    target = (
        selectors.svi_candidate_targets(viewer=request.user)
        .filter(public_id=form.cleaned_data["target"])
        .first()
    )
    if target is None:
        return _svi_done(
            request,
            partner,
            "That company cannot be found or is not a certified member.",
            error=True,
        )
    try:
        connection = services.svi_request(
            actor=request.user, target=target, message=form.cleaned_data["message"]
        )
    except DomainError as exc:
        if exc.status_code in (403, 404):
            raise
        return _svi_done(request, partner, exc.message, error=True)
    if connection.status == SVIStatus.ACCEPTED:
        notice = f"{target.name} accepts requests automatically: you are now connected."
    else:
        notice = f"Request sent to {target.name}. You will see their status once they accept."
    return _svi_done(request, partner, notice)


@login_required
@require_POST
@domain_errors_as_http
def svi_settings(request: HttpRequest) -> HttpResponse:
    partner = _svi_partner(request)
    require_perm(request.user, "svi.settings")
    form = SVISettingsForm(request.POST)
    form.is_valid()  # two booleans: always valid
    services.partner_update_svi_settings(
        actor=request.user,
        partner=partner,
        auto_accept=form.cleaned_data.get("auto_accept", False),
        share_more=form.cleaned_data.get("share_more", False),
        directory_listed=form.cleaned_data.get("directory_listed", False),
    )
    messages.success(request, "Status verification settings saved.")
    return redirect("partners:svi")


@login_required
@require_POST
@domain_errors_as_http
def certification_request(request: HttpRequest) -> HttpResponse:
    partner = _svi_partner(request)
    require_perm(request.user, "svi.certification_request")
    form = CertificationRequestForm(request.POST)
    if form.is_valid():
        try:
            sent = services.certification_request_send(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Invitation e-mailed to {sent.company_name} ({sent.email}).")
            return redirect("partners:svi")
    context = _svi_page_context(request, partner, certification_form=form)
    return render(request, "partners/svi.html", context, status=400)


@login_required
@require_POST
@domain_errors_as_http
def svi_request_by_number(request: HttpRequest) -> HttpResponse:
    """Ask to connect by the exact account number a business partner gave (it may be unlisted).

    A number that cannot be connected gets one neutral answer, whoever holds it.
    """
    partner = _svi_partner(request)
    require_perm(request.user, "svi.request")
    form = SVINumberRequestForm(request.POST)
    if form.is_valid():
        try:
            connection = services.svi_request_by_number(
                actor=request.user,
                number=form.cleaned_data["number"],
                message=form.cleaned_data["message"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if connection is None:
                number = form.cleaned_data["number"].strip().upper()[:40]
                form.add_error("number", services.SVI_NUMBER_NO_MATCH.format(number=number))
            else:
                if connection.status == SVIStatus.ACCEPTED:
                    notice = (
                        f"{connection.target.name} accepts requests automatically: you are now "
                        "connected."
                    )
                else:
                    notice = (
                        f"Request sent to {connection.target_display}. You will see its name "
                        "and status once it accepts."
                    )
                messages.success(request, notice)
                return redirect("partners:svi")
    context = _svi_page_context(request, partner, number_form=form)
    return render(request, "partners/svi.html", context, status=400)

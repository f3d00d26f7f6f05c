"""CBP's invitations of companies from outside their entity type's countries (eligibility by
country): the list and form, one invitation, its withdrawal.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctpat.accounts import roles
from ctpat.core.errors import DomainError
from ctpat.core.views import (
    add_domain_error,
    domain_errors_as_http,
    require_perm,
)

from . import eligibility, selectors, services
from .forms import (
    InvitationForm,
    InvitationWithdrawForm,
)

# --- CBP invitations (eligibility by country) ---------------------------------------------


def _invitations_context(request: HttpRequest, form=None) -> dict:
    return {
        "invitations": selectors.invitation_list(viewer=request.user),
        "form": form or InvitationForm(),
        "can_invite": roles.has_perm(request.user, "partner.invite"),
        "invitation_rules": [
            eligibility.COUNTRY_RULES[t] for t in sorted(eligibility.INVITATION_TYPES)
        ],
    }


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def invitations(request: HttpRequest) -> HttpResponse:
    """CBP's invitations for companies outside their type's countries; a program admin adds."""
    require_perm(request.user, "partner.view_all")
    form = None
    if request.method == "POST":
        require_perm(request.user, "partner.invite")
        form = InvitationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            partner = None
            if data["partner"]:
                partner = (
                    selectors.partner_list(viewer=request.user)
                    .filter(public_id=data["partner"].strip().upper())
                    .first()
                )
                if partner is None:
                    form.add_error("partner", "No registered company has this account number.")
            if not form.errors:
                try:
                    invitation = services.invitation_create(
                        actor=request.user,
                        entity_type=data["entity_type"],
                        country=data["country"],
                        company_name=data["company_name"],
                        partner=partner,
                        reason=data["reason"],
                    )
                except DomainError as exc:
                    add_domain_error(form, exc)
                else:
                    notice = (
                        f"Invitation {invitation.public_id} recorded for {invitation.company_name}."
                    )
                    messages.success(request, notice)
                    return redirect(
                        "partners:invitation_detail", invitation_id=invitation.public_id
                    )
    return render(
        request,
        "partners/invitations.html",
        _invitations_context(request, form),
        status=400 if form is not None else 200,
    )


@login_required
@require_GET
@domain_errors_as_http
def invitation_detail(request: HttpRequest, invitation_id: str) -> HttpResponse:
    require_perm(request.user, "partner.view_all")
    invitation = selectors.invitation_get(viewer=request.user, public_id=invitation_id)
    return render(
        request,
        "partners/invitation_detail.html",
        {
            "invitation": invitation,
            "rule": eligibility.COUNTRY_RULES[invitation.entity_type],
            "form": InvitationWithdrawForm(),
            "can_invite": roles.has_perm(request.user, "partner.invite"),
        },
    )


@login_required
@require_POST
@domain_errors_as_http
def invitation_withdraw(request: HttpRequest, invitation_id: str) -> HttpResponse:
    require_perm(request.user, "partner.view_all")
    invitation = selectors.invitation_get(viewer=request.user, public_id=invitation_id)
    require_perm(request.user, "partner.invite")
    form = InvitationWithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_withdraw(
                actor=request.user, invitation=invitation, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Invitation {invitation.public_id} withdrawn.")
            return redirect("partners:invitation_detail", invitation_id=invitation.public_id)
    context = {
        "invitation": invitation,
        "rule": eligibility.COUNTRY_RULES[invitation.entity_type],
        "form": form,
        "can_invite": True,
    }
    return render(request, "partners/invitation_detail.html", context, status=400)

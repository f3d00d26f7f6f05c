"""The home page: what needs the signed-in person's attention, by role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ctpat.accounts import roles

from . import selectors
from .panels import panels_for


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    context: dict = {"today": today}
    if roles.is_cbp(user):
        context.update(
            kind="cbp",
            cbp=selectors.cbp_overview(viewer=user, today=today),
            horizon_days=selectors.VALIDATION_HORIZON_DAYS,
            can_create=roles.has_perm(user, "partner.create"),
        )
    elif roles.is_partner_user(user):
        overview = selectors.partner_overview(viewer=user, today=today)
        context.update(
            kind="partner",
            overview=overview,
            panel="dashboard",
            can_decide=roles.has_perm(user, "svi.decide"),
            incoming=overview.incoming if overview else [],
        )
    else:
        context.update(kind="other")
    context["panels"] = panels_for(viewer=user, today=today)
    return render(request, "dashboard/dashboard.html", context)

"""Dashboard panels: a company's Trade Compliance application (or account number); the
applications waiting for a National Account Manager or program admin; an existing member's
forced-labor obligation (urgent when overdue) and the submissions waiting for CBP."""

from __future__ import annotations

import datetime as dt

from ctpat.accounts import roles
from ctpat.dashboard.panels import Panel
from ctpat.partners import selectors as partner_selectors

from . import selectors
from .models import TradeComplianceMembership

QUEUE_PREVIEW = 5


def panels(*, viewer, today: dt.date) -> list[Panel]:
    found = []
    if roles.has_perm(viewer, "tradecompliance.application_edit"):
        partner = partner_selectors.partner_for_user(viewer)
        if partner is not None and partner.entity_type == "importer":
            application = selectors.application_latest_for(partner)
            membership = TradeComplianceMembership.objects.filter(partner=partner).first()
            found.append(
                Panel(
                    title="Trade Compliance",
                    template="tradecompliance/partials/panel_partner.html",
                    context={"application": application, "membership": membership},
                    urgent=application is not None
                    and application.status == "information_requested",
                )
            )
    found.extend(_forced_labor_panels(viewer=viewer, today=today))
    if roles.has_perm(viewer, "tradecompliance.application_review"):
        queue = selectors.application_queue(viewer=viewer, today=today)
        mine = queue.filter(assigned_nam=viewer, status__in=["under_review", "response_submitted"])
        unassigned = queue.filter(status="submitted", assigned_nam__isnull=True)
        found.append(
            Panel(
                title="Trade Compliance applications waiting",
                template="tradecompliance/partials/panel_cbp.html",
                context={
                    "mine": list(mine[:QUEUE_PREVIEW]),
                    "mine_count": mine.count(),
                    "unassigned_count": unassigned.count(),
                },
                urgent=mine.exists() or unassigned.exists(),
            )
        )
    return found


def _forced_labor_panels(*, viewer, today: dt.date) -> list[Panel]:
    found = []
    if roles.has_perm(viewer, "tradecompliance.readiness_own") and viewer.organization_id:
        obligation = (
            selectors.forced_labor_obligation_list(viewer=viewer)
            .filter(membership__partner__organization_id=viewer.organization_id)
            .first()
        )
        if obligation is not None and obligation.state != "met":
            view = selectors.forced_labor_for(obligation.membership, today=today)
            found.append(
                Panel(
                    title="Forced-labor requirements",
                    template="tradecompliance/partials/panel_forced_labor.html",
                    context={"fl": view, "obligation": obligation},
                    urgent=view.status == "overdue" and obligation.state == "open",
                )
            )
    if roles.has_perm(viewer, "tradecompliance.membership_manage"):
        waiting = selectors.forced_labor_obligation_list(viewer=viewer).filter(state="submitted")
        count = waiting.count()
        if count:
            found.append(
                Panel(
                    title="Forced-labor submissions waiting",
                    template="tradecompliance/partials/panel_forced_labor_cbp.html",
                    context={"waiting": list(waiting[:QUEUE_PREVIEW]), "count": count},
                    urgent=True,
                )
            )
    return found

"""Dashboard panels: a suspended member's answer deadline and appeal clocks; for CBP staff the
open suspensions and the appeals awaiting a decision, the nearest 180-day limit first."""

from __future__ import annotations

import datetime as dt

from ctpat.accounts import roles
from ctpat.dashboard.panels import Panel
from ctpat.partners import selectors as partner_selectors

from . import rules, selectors
from .choices import OPEN_CASE_STATES, AppealState

URGENT_DAYS = 30


def panels(*, viewer, today: dt.date) -> list[Panel]:
    if roles.has_perm(viewer, "enforcement.view_all"):
        clocks = selectors.open_appeal_clocks(viewer=viewer, today=today)
        open_cases = selectors.case_list(viewer=viewer).filter(state__in=OPEN_CASE_STATES).count()
        if not clocks and not open_cases:
            return []
        return [
            Panel(
                title="Suspensions and appeals",
                template="enforcement/partials/dashboard_cbp.html",
                context={"clocks": clocks[:5], "appeals": len(clocks), "open_cases": open_cases},
                urgent=any(c.days_left <= URGENT_DAYS for c in clocks),
            )
        ]
    if not roles.has_perm(viewer, "enforcement.view_own"):
        return []
    partner = partner_selectors.partner_for_user(viewer)
    if partner is None:
        return []
    case = (
        selectors.case_list(viewer=viewer, partner=partner)
        .filter(state__in=OPEN_CASE_STATES)
        .first()
    )
    # Decisions still open for filing (an appealed one is listed below with CBP's clock).
    appealables = [d for d in selectors.appealable_decisions(partner, today=today) if d.filing_open]
    appeals = [
        selectors.AppealClock(appeal=a, days_left=rules.days_left(a.decision_due, today))
        for a in selectors.appeal_list(viewer=viewer, partner=partner, state=AppealState.FILED)
    ]
    if case is None and not appealables and not appeals:
        return []
    context = {
        "case": case,
        "case_days_left": rules.days_left(case.response_due, today) if case else None,
        "appealables": appealables,
        "appeals": appeals,
        "partner": partner,
    }
    return [
        Panel(
            title="Suspension and appeals",
            template="enforcement/partials/dashboard_partner.html",
            context=context,
            urgent=case is not None or bool(appealables),
        )
    ]

"""Dashboard panels: a partner's profile at a glance; the SCSS's profiles waiting for a decision."""

from __future__ import annotations

import datetime as dt

from ctpat.accounts import roles
from ctpat.dashboard.panels import Panel
from ctpat.partners import selectors as partner_selectors

from . import selectors, services


def panels(*, viewer, today: dt.date) -> list[Panel]:
    found = []
    if roles.has_perm(viewer, "profile.answer_own"):
        partner = partner_selectors.partner_for_user(viewer)
        if partner is not None:
            profile = selectors.profile_for_partner(partner)
            overview = selectors.profile_overview(partner=partner, profile=profile, today=today)
            found.append(
                Panel(
                    title="Security profile",
                    template="profiles/partials/panel_partner.html",
                    context={"overview": overview, "profile": profile},
                    urgent=bool(overview.assessment.must_gaps) or overview.review_window_open,
                )
            )
    if services.can_decide(viewer):
        queue = list(selectors.review_queue(viewer=viewer)[:5])
        count = selectors.review_queue(viewer=viewer).count()
        found.append(
            Panel(
                title="Security profiles to decide",
                template="profiles/partials/panel_scss.html",
                context={"queue": queue, "count": count},
                urgent=count > 0,
            )
        )
    return found

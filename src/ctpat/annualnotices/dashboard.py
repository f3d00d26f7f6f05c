"""The ANL dashboard panel: a member's next letter (or that it is overdue); for CBP staff the
number of members due soon, overdue and suspended."""

from __future__ import annotations

import datetime as dt

from ctpat.accounts import roles
from ctpat.dashboard.panels import Panel

from . import selectors


def panels(*, viewer, today: dt.date) -> list[Panel]:
    if roles.has_perm(viewer, "anl.view_all"):
        counts = selectors.status_counts(viewer=viewer, today=today)
        if not counts["total"]:
            return []
        return [
            Panel(
                title="Annual Notification Letters",
                template="annualnotices/partials/dashboard_cbp.html",
                context={"counts": counts},
                urgent=bool(counts["overdue"]),
            )
        ]
    if not roles.has_perm(viewer, "anl.own"):
        return []
    membership = selectors.membership_for_user(viewer)
    if membership is None:
        return []
    item = selectors.membership_schedule(membership, today=today)
    if item.ended:
        return []
    return [
        Panel(
            title="Annual Notification Letter",
            template="annualnotices/partials/dashboard_partner.html",
            context={"item": item},
            urgent=item.current.status in ("overdue", "due_soon"),
        )
    ]

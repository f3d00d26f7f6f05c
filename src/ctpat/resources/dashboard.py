"""The resources library's dashboard panel: resources brokers recently shared with the viewer's
company."""

from __future__ import annotations

import datetime as dt

from ctpat.dashboard.panels import Panel

from . import selectors

# What counts as "newly" shared on the dashboard.
NEW_SHARE_DAYS = 30
PANEL_MAX_ITEMS = 5


def panels(*, viewer, today: dt.date) -> list[Panel]:
    since = today - dt.timedelta(days=NEW_SHARE_DAYS)
    shares = selectors.shares_received(viewer=viewer).filter(created_at__date__gte=since)
    count = shares.count()
    if not count:
        return []
    return [
        Panel(
            title="Resources shared with you",
            template="resources/partials/dashboard_panel.html",
            context={
                "shares": list(shares[:PANEL_MAX_ITEMS]),
                "count": count,
                "days": NEW_SHARE_DAYS,
            },
        )
    ]

"""Dashboard panels contributed by the domain apps.

Each provider is a dotted path to ``panels(*, viewer, today) -> list[Panel]``; it reads only
through its own app's selectors (tenant isolation), and returns nothing for a viewer it has
nothing to say to. The dashboard renders every panel under the role's own section, in order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.module_loading import import_string

# One line per app that has something to show on the home page.
PROVIDERS: tuple[str, ...] = (
    "ctpat.resources.dashboard.panels",
    "ctpat.profiles.dashboard.panels",
    "ctpat.annualnotices.dashboard.panels",
    "ctpat.tradecompliance.dashboard.panels",
    "ctpat.enforcement.dashboard.panels",
)


@dataclass
class Panel:
    """One card on the dashboard: a template and its context."""

    title: str
    template: str
    context: dict = field(default_factory=dict)
    # Shown first when something is overdue or waiting on the viewer.
    urgent: bool = False


def panels_for(*, viewer, today: dt.date) -> list[Panel]:
    found: list[Panel] = []
    for path in PROVIDERS:
        found.extend(import_string(path)(viewer=viewer, today=today))
    return sorted(found, key=lambda panel: not panel.urgent)

"""Demo criteria history: a second published version on top of the shipped catalog.

The shipped version 1 already carries the real 3.9 upgrade (should until 2022-12-31, must from
2023-01-01, DOMAIN.md §1.2). The demo's version 2 is made up, and says so: it upgrades 2.2 (the
international risk mapping) from should to must six months from today, so open security
profiles show a change that has not bitten yet and every importer gets the notice.
"""

from __future__ import annotations

from datetime import timedelta

from ctpat.accounts.choices import Role

from . import services
from .models import Criterion

DEMO_UPGRADE_ID = "2.2"
DEMO_UPGRADE_DAYS_AHEAD = 182


def seed(ctx) -> None:
    admin = ctx.cbp_users[Role.CBP_ADMIN]
    draft = services.criteria_version_create_draft(actor=admin, label="Demo edition (made up)")
    criterion = Criterion.objects.get(version=draft, msc_id=DEMO_UPGRADE_ID)
    services.criterion_set_requirement(
        actor=admin,
        draft=draft,
        criterion=criterion,
        level="must",
        effective_from=ctx.today + timedelta(days=DEMO_UPGRADE_DAYS_AHEAD),
        reason="Demo: international supply-chain mapping becomes a must.",
    )
    services.criteria_version_publish(
        actor=admin,
        draft=draft,
        notes=(
            "Demo data, not a CBP publication: criterion 2.2 (documenting or mapping the "
            "international movement of cargo) becomes a must in six months."
        ),
    )

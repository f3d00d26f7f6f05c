"""The enforcement policy in force: ``rules`` defaults, overridden by ``settings.CTPAT_*``.

Rules stay pure: services read these settings here and pass the values to the rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from . import rules
from .choices import ExitGround


@dataclass(frozen=True)
class EnforcementPolicy:
    response_days: int
    waits: rules.ReapplyWaits


def enforcement_policy() -> EnforcementPolicy:
    def setting(name: str, default: int) -> int:
        return int(getattr(settings, name, default))

    return EnforcementPolicy(
        response_days=setting("CTPAT_SUSPENSION_RESPONSE_DAYS", rules.SUSPENSION_RESPONSE_DAYS),
        waits=rules.ReapplyWaits(
            suspension_unanswered=setting(
                "CTPAT_REAPPLY_WAIT_SUSPENSION_UNANSWERED_YEARS", rules.WITHDRAWN_REAPPLY_WAIT_YEARS
            ),
            voluntary_withdrawal=setting(
                "CTPAT_REAPPLY_WAIT_VOLUNTARY_WITHDRAWAL_YEARS",
                rules.VOLUNTARY_WITHDRAWAL_REAPPLY_WAIT_YEARS,
            ),
            removal=setting("CTPAT_REAPPLY_WAIT_REMOVAL_YEARS", rules.REMOVED_REAPPLY_WAIT_YEARS),
            false_information=setting(
                "CTPAT_REAPPLY_WAIT_FALSE_INFORMATION_YEARS",
                rules.FALSE_INFORMATION_REAPPLY_WAIT_YEARS,
            ),
        ),
    )


def response_deadline(suspended_on):
    """Last day a member suspended on ``suspended_on`` may answer (the configured window)."""
    return rules.suspension_response_deadline(suspended_on, enforcement_policy().response_days)


def reapply_outlook(partner) -> dict | None:
    """When a company that left may reapply: its exit ground, the configured wait for that
    ground, the first day, and whether a public source states the wait (else a policy choice).
    None while the company has not left (or its exit date is not recorded)."""

    exited_on = {"withdrawn": partner.withdrawn_on, "removed": partner.removed_on}.get(
        partner.status
    )
    if exited_on is None:
        return None
    ground = rules._exit_ground_or_default(partner.status, partner.exit_ground or None)
    years = enforcement_policy().waits.years_for(ground)
    return {
        "ground": ground,
        "ground_label": ExitGround(ground).label,
        "years": years,
        "earliest": rules.reapply_allowed_on(exited_on, years),
        "sourced": rules.REAPPLY_WAIT_SOURCED[ground],
    }

"""The enforcement policy in force: ``rules`` defaults, overridden by ``settings.CTPAT_*``.

Rules stay pure: services read these settings here and pass the values to the rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from . import rules


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

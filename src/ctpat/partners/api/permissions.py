"""Who may act on a partner record through the API.

The services are the authority (they refuse with 403 themselves). The API asks the same
questions first so that a caller who may see a record but not act on it gets 403 before any
validation of its request body, and so that ``allowed_targets`` lists only moves the caller
could make.
"""

from __future__ import annotations

from ctpat.accounts import roles
from ctpat.partners.models import Partner
from ctpat.partners.services import PARTNER_SELF_TRANSITIONS


def is_own(user, partner: Partner) -> bool:
    return bool(user.organization_id) and user.organization_id == partner.organization_id


def can_change_profile(user, partner: Partner) -> bool:
    return roles.has_perm(user, "partner.change_any") or (
        roles.has_perm(user, "partner.change_own") and is_own(user, partner)
    )


def can_transition(user, partner: Partner) -> bool:
    return roles.has_perm(user, "partner.transition_any") or (
        roles.has_perm(user, "partner.transition_own") and is_own(user, partner)
    )


def can_change_identifiers(user, partner: Partner) -> bool:
    return roles.has_perm(user, "identifier.change_any") or (
        roles.has_perm(user, "identifier.change_own") and is_own(user, partner)
    )


def permitted_targets(user, partner: Partner, targets: list[str]) -> list[str]:
    """The subset of ``targets`` this user may move ``partner`` to (CBP: all of them)."""
    if roles.has_perm(user, "partner.transition_any"):
        return list(targets)
    if roles.has_perm(user, "partner.transition_own") and is_own(user, partner):
        return [t for t in targets if (partner.status, t) in PARTNER_SELF_TRANSITIONS]
    return []

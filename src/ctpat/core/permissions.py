"""Who may do what, as core asks it. Core holds no roles: the app that defines them
(``ctpat.accounts``, its ``roles`` table) plugs them in at start-up (``AccountsConfig.ready``).

Accounts builds on core (base models, services, audit events), so core must not import
accounts; ``core/tests/test_layering.py`` keeps it that way.
"""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured


class PermissionPolicy(Protocol):
    def has_perm(self, user, code: str) -> bool: ...

    def is_cbp(self, user) -> bool: ...

    def is_partner_user(self, user) -> bool: ...

    def requires_two_factor(self, user) -> bool: ...


_policy: PermissionPolicy | None = None


def use_policy(policy: PermissionPolicy) -> None:
    """Install the permission table core's checks ask (once, from an app's ``ready``)."""
    global _policy
    _policy = policy


def _current() -> PermissionPolicy:
    if _policy is None:
        raise ImproperlyConfigured(
            "No permission policy installed: ctpat.accounts must be in INSTALLED_APPS."
        )
    return _policy


def has_perm(user, code: str) -> bool:
    return _current().has_perm(user, code)


def is_cbp(user) -> bool:
    return _current().is_cbp(user)


def is_partner_user(user) -> bool:
    return _current().is_partner_user(user)


def requires_two_factor(user) -> bool:
    return _current().requires_two_factor(user)

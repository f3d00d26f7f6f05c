"""Template context for the header: the signed-in user's unread notification count."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from ctpat.accounts import roles

from . import selectors


def notifications_unread_count(request) -> dict:
    """``notifications_unread_count``: counted only if a template shows it (lazy).

    0 for anonymous users and for a CBP session that has not passed two-factor yet.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notifications_unread_count": 0}
    if roles.requires_two_factor(user):
        is_verified = getattr(user, "is_verified", None)
        if not (callable(is_verified) and is_verified()):
            return {"notifications_unread_count": 0}
    return {
        "notifications_unread_count": SimpleLazyObject(
            lambda: selectors.notification_unread_count(viewer=user)
        )
    }

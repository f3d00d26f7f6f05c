"""API permission checks shared by every app's API views."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from ctpat.core import permissions
from ctpat.core.errors import PermissionDeniedError


class IsAuthenticatedAndVerified(BasePermission):
    """Authenticated; a session of a role that needs 2FA must also have passed it.

    A token request is already strong: a CBP user can only create a token after enrolling a
    second factor (``api_token_create``). A session is only as strong as its log-in, so a CBP
    session that has not passed TOTP is refused, exactly as the HTML pages redirect it.
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False  # DRF answers 401 not_authenticated
        if request.auth is None and getattr(user, "needs_two_factor", False):
            is_verified = getattr(user, "is_verified", None)
            if not (callable(is_verified) and is_verified()):
                raise PermissionDeniedError(
                    "Complete two-factor verification in the web application before using "
                    "the API with this session, or use an API token.",
                    code="two_factor_required",
                )
        return True


def require_perm(user, code: str, message: str | None = None) -> None:
    """Refuse with 403 ``permission_denied`` unless ``user``'s role holds permission ``code``."""
    if not permissions.has_perm(user, code):
        raise PermissionDeniedError(message) if message else PermissionDeniedError()

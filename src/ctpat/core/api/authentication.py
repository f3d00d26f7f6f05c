"""Session authentication for the API whose CSRF failures carry their own error code."""

from __future__ import annotations

from rest_framework import authentication, exceptions


class CsrfFailed(exceptions.PermissionDenied):
    """A session-authenticated write without a valid CSRF token (error code ``csrf_failed``)."""

    default_code = "csrf_failed"


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication; a missing or wrong CSRF token answers ``csrf_failed``."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as exc:
            raise CsrfFailed(exc.detail) from exc

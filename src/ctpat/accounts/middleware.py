"""CBP roles must pass a TOTP second factor before they reach anything but the 2FA pages."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

ALLOWED_PREFIXES = ("/static/", "/accounts/two-factor/", "/accounts/logout/", "/accounts/login/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "needs_two_factor", False)
            and not user.is_verified()
            and not request.path.startswith(ALLOWED_PREFIXES)
            # Token-authenticated API calls carry no session; DRF checks them separately.
            and not request.path.startswith("/api/")
        ):
            from django_otp import devices_for_user

            has_device = any(True for _ in devices_for_user(user, confirmed=True))
            target = "two_factor_verify" if has_device else "two_factor_setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)

"""The Django admin is for CBP program admins only, and is read-only for audited records."""

from __future__ import annotations

from ctpat.core import permissions


def restrict_admin_to_cbp_admins(site) -> None:
    def has_permission(request):
        user = request.user
        return bool(
            user.is_active
            and user.is_staff
            and permissions.has_perm(user, "admin_site")
            and (not permissions.requires_two_factor(user) or user.is_verified())
        )

    site.has_permission = has_permission
    # Third-party models whose admin pages would write without an audit event (and the TOTP
    # admin would show other users' secrets): ctpat manages them through its own services.
    from django.contrib import admin
    from django.contrib.auth.models import Group

    unaudited = [Group]
    try:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        unaudited.append(TOTPDevice)
    except ImportError:  # pragma: no cover - django-otp is a hard dependency
        pass
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    unaudited += [AccessAttempt, AccessFailureLog, AccessLog]
    for model in unaudited:
        if site.is_registered(model):
            site.unregister(model)
    del admin
    site.site_header = "ctpat administration"
    site.site_title = "ctpat admin"

"""The Django admin is for CBP program admins only, and is read-only for audited records."""

from __future__ import annotations

from ctpat.accounts import roles


def restrict_admin_to_cbp_admins(site) -> None:
    def has_permission(request):
        user = request.user
        return bool(
            user.is_active
            and user.is_staff
            and roles.has_perm(user, "admin_site")
            and (not roles.requires_two_factor(user) or user.is_verified())
        )

    site.has_permission = has_permission
    site.site_header = "ctpat administration"
    site.site_title = "ctpat admin"

"""Admin views of organizations, users and API tokens: read-only (writes go through services)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from ctpat.core.admin import ReadOnlyAdminMixin

from .models import ApiToken, Organization, User


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "country", "program_name", "is_active", "public_id")
    list_filter = ("kind", "is_active", "country")
    search_fields = ("name", "public_id")
    readonly_fields = (
        "public_id",
        "name",
        "kind",
        "country",
        "program_name",
        "is_active",
        "created_at",
        "updated_at",
    )


@admin.register(User)
class UserAdmin(ReadOnlyAdminMixin, DjangoUserAdmin):
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "organization",
        "role",
        "is_active",
        "last_login",
    )
    list_filter = ("role", "is_active", "organization__kind")
    list_select_related = ("organization",)
    search_fields = (
        "username",
        "email",
        "first_name",
        "last_name",
        "public_id",
        "organization__name",
    )
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("public_id", "username")}),
        ("Person", {"fields": ("first_name", "last_name", "email", "phone")}),
        ("Organization and role", {"fields": ("organization", "role")}),
        (
            "Status",
            {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")},
        ),
    )
    readonly_fields = (
        "public_id",
        "username",
        "first_name",
        "last_name",
        "email",
        "phone",
        "organization",
        "role",
        "is_active",
        "is_staff",
        "is_superuser",
        "last_login",
        "date_joined",
    )


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Never shows the key digest."""

    list_display = (
        "name",
        "user",
        "key_prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    list_select_related = ("user",)
    search_fields = ("name", "key_prefix", "user__username", "public_id")
    fields = (
        "public_id",
        "user",
        "name",
        "key_prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    readonly_fields = fields

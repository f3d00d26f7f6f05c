"""Admin for the audit trail. Audited records are read-only here: writes go through services."""

from __future__ import annotations

from django.contrib import admin

from ctpat.core import permissions

from .models import AuditEvent


class ReadOnlyAdminMixin:
    """No add, change or delete in the admin: every write must be an audited service call.

    Viewing follows our role table (the admin site already admits only CBP program admins
    with a verified second factor), not Django's per-model permissions.
    """

    def has_module_permission(self, request):
        return permissions.has_perm(request.user, "admin_site")

    def has_view_permission(self, request, obj=None):
        return permissions.has_perm(request.user, "admin_site")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("occurred_at", "actor_label", "action", "object_type", "object_id", "source")
    list_filter = ("action", "object_type", "source")
    search_fields = ("public_id", "actor_label", "object_id", "object_repr", "reason")
    date_hierarchy = "occurred_at"
    list_select_related = ("actor",)
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

"""Read-only admin views; writes go through the notification services."""

from __future__ import annotations

from django.contrib import admin

from ctpat.core.admin import ReadOnlyAdminMixin

from .models import Notification, OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("public_id", "to", "kind", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "kind")
    search_fields = ("public_id", "to", "subject", "dedupe_key")
    readonly_fields = [f.name for f in OutboundEmail._meta.fields if f.name != "id"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("public_id", "recipient", "kind", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("public_id", "recipient__username")
    list_select_related = ("recipient",)
    readonly_fields = [f.name for f in Notification._meta.fields if f.name != "id"]

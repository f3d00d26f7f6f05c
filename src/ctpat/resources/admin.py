"""Admin views of the resources library: read-only (writes go through the resources services)."""

from __future__ import annotations

from django.contrib import admin

from ctpat.core.admin import ReadOnlyAdminMixin

from .models import Resource, ResourceRevision, ResourceShare


def _all_fields(model) -> tuple[str, ...]:
    return tuple(f.name for f in model._meta.fields if f.name != "id")


@admin.register(Resource)
class ResourceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("public_id", "latest_revision", "live_revision", "seed_key", "updated_at")
    list_select_related = ("latest_revision", "live_revision")
    search_fields = ("public_id", "latest_revision__title")
    readonly_fields = _all_fields(Resource)


@admin.register(ResourceRevision)
class ResourceRevisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("public_id", "resource", "number", "title", "status", "retired", "created_at")
    list_filter = ("status", "retired", "kind")
    list_select_related = ("resource",)
    search_fields = ("public_id", "title")
    readonly_fields = _all_fields(ResourceRevision)


@admin.register(ResourceShare)
class ResourceShareAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("public_id", "resource", "broker", "client", "created_at")
    list_select_related = ("resource", "broker__organization", "client__organization")
    search_fields = ("public_id",)
    readonly_fields = _all_fields(ResourceShare)

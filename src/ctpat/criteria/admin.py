"""Admin views of the criteria catalog: read-only (writes go through the criteria services)."""

from __future__ import annotations

from django.contrib import admin

from ctpat.core.admin import ReadOnlyAdminMixin

from .models import CriteriaVersion, Criterion, CriterionRequirement


def _all_fields(model) -> tuple[str, ...]:
    return tuple(f.name for f in model._meta.fields if f.name != "id")


class CriterionRequirementInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CriterionRequirement
    fields = ("level", "effective_from", "effective_to")
    readonly_fields = fields
    extra = 0


@admin.register(CriteriaVersion)
class CriteriaVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("public_id", "label", "number", "status", "published_at")
    list_filter = ("status",)
    search_fields = ("public_id", "label")
    readonly_fields = _all_fields(CriteriaVersion)


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("msc_id", "version", "category", "program", "text_is_summary")
    list_filter = ("version", "category", "program")
    list_select_related = ("version",)
    search_fields = ("msc_id", "public_id", "text")
    ordering = ("version", "sort_key")
    readonly_fields = _all_fields(Criterion)
    inlines = [CriterionRequirementInline]

"""Admin views of Trade Compliance: read-only (writes go through the services)."""

from __future__ import annotations

from django.contrib import admin

from ctpat.core.admin import ReadOnlyAdminMixin

from .models import QuestionnaireVersion, ReadinessAnswers, TradeComplianceProfile


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("number", "label", "public_id", "published_at", "published_by")
    readonly_fields = tuple(f.name for f in QuestionnaireVersion._meta.fields if f.name != "id")


@admin.register(TradeComplianceProfile)
class TradeComplianceProfileAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("partner", "import_history_start", "has_cbp_debt", "is_non_resident_canadian")
    list_select_related = ("partner__organization",)
    readonly_fields = tuple(f.name for f in TradeComplianceProfile._meta.fields if f.name != "id")


@admin.register(ReadinessAnswers)
class ReadinessAnswersAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("partner", "version", "updated_at", "answered_by")
    list_select_related = ("partner__organization", "version", "answered_by")
    readonly_fields = tuple(f.name for f in ReadinessAnswers._meta.fields if f.name != "id")

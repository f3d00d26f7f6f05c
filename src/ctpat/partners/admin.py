"""Admin views of the partner registry: read-only (writes go through the partner services)."""

from __future__ import annotations

from django.contrib import admin

from ctpat.core.admin import ReadOnlyAdminMixin

from .models import CertificationRequest, Partner, PartnerIdentifier, StatusChange, SVIConnection


def _all_fields(model) -> tuple[str, ...]:
    return tuple(f.name for f in model._meta.fields if f.name != "id")


class MaskedValueMixin:
    """An SSN-based IOR number is personal data: the admin shows it masked, as every page
    does (``PartnerIdentifier.display_value``)."""

    @admin.display(description="Value", ordering="value")
    def masked_value(self, obj):
        return obj.display_value


class PartnerIdentifierInline(MaskedValueMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = PartnerIdentifier
    fields = ("public_id", "kind", "masked_value", "is_active", "note")
    readonly_fields = fields
    extra = 0


@admin.register(Partner)
class PartnerAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "public_id",
        "name",
        "entity_type",
        "country",
        "status",
        "certification_date",
        "assigned_scss",
    )
    list_filter = ("status", "entity_type", "country")
    list_select_related = ("organization", "assigned_scss")
    search_fields = ("public_id", "organization__name", "dba_name", "identifiers__value")
    readonly_fields = _all_fields(Partner)
    inlines = [PartnerIdentifierInline]

    @admin.display(ordering="organization__name")
    def name(self, obj):
        return obj.name


@admin.register(PartnerIdentifier)
class PartnerIdentifierAdmin(MaskedValueMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("public_id", "kind", "masked_value", "partner", "is_active")
    list_filter = ("kind", "is_active")
    list_select_related = ("partner__organization",)
    search_fields = ("value", "public_id", "partner__organization__name")
    fields = tuple(
        "masked_value" if name == "value" else name for name in _all_fields(PartnerIdentifier)
    )
    readonly_fields = fields


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("partner", "from_status", "to_status", "effective_date", "actor_label")
    list_filter = ("to_status",)
    list_select_related = ("partner__organization",)
    search_fields = ("partner__organization__name", "partner__public_id", "reason")
    readonly_fields = _all_fields(StatusChange)


@admin.register(SVIConnection)
class SVIConnectionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("public_id", "requester", "target", "status", "created_at", "decided_at")
    list_filter = ("status",)
    list_select_related = ("requester__organization", "target__organization")
    search_fields = ("public_id", "requester__organization__name", "target__organization__name")
    readonly_fields = _all_fields(SVIConnection)


@admin.register(CertificationRequest)
class CertificationRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("public_id", "requester", "company_name", "email", "created_at")
    list_select_related = ("requester__organization",)
    search_fields = ("public_id", "company_name", "email", "requester__organization__name")
    readonly_fields = _all_fields(CertificationRequest)

"""API filters: the partner list's shared FilterSet made strict, identifiers, SVI connections."""

from __future__ import annotations

import django_filters

from ctpat.core.api.filtersets import StrictFilterSetMixin
from ctpat.partners.choices import IdentifierKind, SVIStatus
from ctpat.partners.filtersets import PartnerFilterSet
from ctpat.partners.models import PartnerIdentifier, SVIConnection


class PartnerApiFilterSet(StrictFilterSetMixin, PartnerFilterSet):
    """The partner list page's filters, refusing empty values as every API filter does."""

    class Meta(PartnerFilterSet.Meta):
        pass


class IdentifierFilterSet(StrictFilterSetMixin, django_filters.FilterSet):
    partner = django_filters.CharFilter(
        field_name="partner__public_id", max_length=24, help_text="The partner's public id."
    )
    kind = django_filters.ChoiceFilter(choices=IdentifierKind.choices)
    active = django_filters.BooleanFilter(field_name="is_active")

    class Meta:
        model = PartnerIdentifier
        fields = ["partner", "kind", "active"]


class SVIConnectionFilterSet(StrictFilterSetMixin, django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SVIStatus.choices)

    class Meta:
        model = SVIConnection
        fields = ["status"]

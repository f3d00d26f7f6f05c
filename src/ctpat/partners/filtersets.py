"""One FilterSet for the partner list page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Case, CharField, F, Q, Value, When

from ctpat.accounts import roles
from ctpat.core.countries import country_choices

from . import rules
from .choices import EntityType, MembershipStatus
from .models import Partner, PartnerIdentifier

TIER_CHOICES = [("1", "Tier I"), ("2", "Tier II"), ("3", "Tier III")]


class TieBreakOrderingFilter(django_filters.OrderingFilter):
    """An ordering whose ties fall back to the name, then the key: a tie is never broken by a
    column the viewer may not read (the database's own order could follow a hidden one)."""

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, "organization__name", "pk")


class PartnerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Name, DBA or account number")
    entity_type = django_filters.MultipleChoiceFilter(
        choices=EntityType.choices, label="Business entity type"
    )
    status = django_filters.MultipleChoiceFilter(
        choices=MembershipStatus.choices, method="filter_status"
    )
    tier = django_filters.ChoiceFilter(choices=TIER_CHOICES, method="filter_tier")
    country = django_filters.ChoiceFilter(choices=country_choices)
    ordering = TieBreakOrderingFilter(
        fields=(
            ("organization__name", "name"),
            ("status", "status"),
            ("country", "country"),
            ("certification_date", "certification_date"),
        )
    )

    class Meta:
        model = Partner
        fields = ["q", "entity_type", "status", "tier", "country"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self._sees_all():
            # Every filter and ordering reads only what the viewer is shown. Ordering by status
            # sorts the status as shown (a tier not shared reads "certified"), and certification
            # dates are not part of what an SVI connection shares.
            self.queryset = self.queryset.annotate(
                shown_status=Case(
                    When(
                        Q(status__in=list(rules.TIER_BY_STATUS)) & ~self._tier_visible(),
                        then=Value(MembershipStatus.CERTIFIED.value),
                    ),
                    default=F("status"),
                    output_field=CharField(),
                )
            )
            self.filters["ordering"] = TieBreakOrderingFilter(
                fields=(
                    ("organization__name", "name"),
                    ("shown_status", "status"),
                    ("country", "country"),
                )
            )
            self.filters["ordering"].parent = self
            self.filters["ordering"].model = self._meta.model

    def _sees_all(self) -> bool:
        return roles.has_perm(getattr(self.request, "user", None), "partner.view_all")

    def _tier_visible(self) -> Q:
        """Partners whose tier the viewer may filter on: its own, or those sharing it."""
        user = getattr(self.request, "user", None)
        return Q(organization_id=getattr(user, "organization_id", None)) | Q(svi_share_more=True)

    def filter_status(self, queryset, name, values):
        if not values:
            return queryset
        if self._sees_all():
            return queryset.filter(status__in=values)
        # Match what the viewer is shown: a connection that does not share its tier shows as
        # "certified" whatever its tier.
        condition = Q(status__in=values) & self._tier_visible()
        condition |= Q(status__in=values) & ~Q(status__in=list(rules.TIER_BY_STATUS))
        if MembershipStatus.CERTIFIED in values:
            condition |= Q(status__in=list(rules.TIER_BY_STATUS)) & ~self._tier_visible()
        return queryset.filter(condition)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        match = Q(organization__name__icontains=value) | Q(public_id__iexact=value)
        # DBA names and identifiers only over partners the viewer fully sees (own, or CBP's
        # view): an SVI connection shares neither, and a match would reveal them letter by
        # letter.
        # A subquery, not a join over identifiers: no duplicate rows, so no DISTINCT to sort.
        identifier_matches = PartnerIdentifier.objects.filter(
            Q(value__iexact=value.upper()) | Q(value__iexact=value.replace(" ", "").upper())
        ).values("partner_id")
        full_only = Q(dba_name__icontains=value) | Q(pk__in=identifier_matches)
        if not self._sees_all():
            user = getattr(self.request, "user", None)
            full_only &= Q(organization_id=getattr(user, "organization_id", None))
        return queryset.filter(match | full_only)

    def filter_tier(self, queryset, name, value):
        statuses = [s for s, tier in rules.TIER_BY_STATUS.items() if str(tier) == str(value)]
        queryset = queryset.filter(status__in=statuses)
        return queryset if self._sees_all() else queryset.filter(self._tier_visible())

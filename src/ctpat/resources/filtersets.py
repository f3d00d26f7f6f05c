"""One FilterSet for the resources list page and the API.

Search and filters look at the revision the viewer reads (``selectors.revision_prefix``): the
newest revision for CBP staff, the live one for everyone else, so a draft's words never make a
member's result appear. An audience filter for a business entity type also finds resources for
"all members".
"""

from __future__ import annotations

import django_filters
from django.db.models import F, Q

from . import rules, selectors
from .choices import ALL_MEMBERS, AUDIENCE_CHOICES, CBP_STAFF, ResourceKind, ResourceState, Topic
from .models import Resource

ORDERING_CHOICES = [
    ("title", "Title (A–Z)"),
    ("-title", "Title (Z–A)"),
    ("-updated", "Recently updated"),
    ("updated", "Least recently updated"),
]


class ResourceFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", max_length=200, label="Words in the title, summary or text"
    )
    kind = django_filters.ChoiceFilter(
        choices=ResourceKind.choices, method="filter_kind", label="Kind"
    )
    audience = django_filters.ChoiceFilter(
        choices=AUDIENCE_CHOICES, method="filter_audience", label="For"
    )
    topic = django_filters.ChoiceFilter(choices=Topic.choices, method="filter_topic", label="Topic")
    shared = django_filters.BooleanFilter(
        method="filter_shared", label="Shared with my company by a broker"
    )
    state = django_filters.ChoiceFilter(
        choices=ResourceState.choices, method="filter_state", label="Publication state"
    )
    ordering = django_filters.ChoiceFilter(
        choices=ORDERING_CHOICES, method="filter_ordering", label="Sort by"
    )

    class Meta:
        model = Resource
        fields = ["q", "kind", "audience", "topic", "shared", "state", "ordering"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every filter exists for every viewer (one API contract); "state" finds nothing but
        # published resources for members, "shared" nothing for users outside a partner.
        self.prefix_path = selectors.revision_prefix(getattr(self.request, "user", None))

    def _field(self, name: str) -> str:
        return f"{self.prefix_path}__{name}"

    def filter_q(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(**{f"{self._field('title')}__icontains": word})
                | Q(**{f"{self._field('summary')}__icontains": word})
                | Q(**{f"{self._field('body')}__icontains": word})
                | Q(public_id__iexact=word)
            )
        return queryset

    def filter_kind(self, queryset, name, value):
        return queryset.filter(**{self._field("kind"): value}) if value else queryset

    def filter_audience(self, queryset, name, value):
        if not value:
            return queryset
        field = f"{self._field('audience_tags')}__contains"
        condition = Q(**{field: rules.tag_needle(value)})
        if value not in (ALL_MEMBERS, CBP_STAFF):
            condition |= Q(**{field: rules.tag_needle(ALL_MEMBERS)})
        return queryset.filter(condition)

    def filter_topic(self, queryset, name, value):
        if not value:
            return queryset
        field = f"{self._field('topic_tags')}__contains"
        return queryset.filter(**{field: rules.tag_needle(value)})

    def filter_shared(self, queryset, name, value):
        if value is None:
            return queryset
        received = selectors.shares_received(viewer=self.request.user).values("resource_id")
        return queryset.filter(pk__in=received) if value else queryset.exclude(pk__in=received)

    def filter_state(self, queryset, name, value):
        if value and not selectors.sees_drafts(getattr(self.request, "user", None)):
            # A member reads live revisions only: each is "published", and whether CBP has a
            # draft or a retirement pending is CBP's business.
            return queryset if value == ResourceState.PUBLISHED else queryset.none()
        retired = Q(latest_revision__retired=True)
        if value == ResourceState.RETIRED:
            return queryset.filter(retired)
        if value == ResourceState.DRAFT:
            return queryset.filter(~retired, live_revision__isnull=True)
        if value == ResourceState.PUBLISHED:
            return queryset.filter(~retired, live_revision=F("latest_revision"))
        if value == ResourceState.UNPUBLISHED_CHANGES:
            return queryset.filter(~retired, live_revision__isnull=False).exclude(
                live_revision=F("latest_revision")
            )
        return queryset

    def filter_ordering(self, queryset, name, value):
        field = {"title": self._field("title"), "updated": self._field("created_at")}
        key = value.lstrip("-")
        if key not in field:
            return queryset
        order = f"-{field[key]}" if value.startswith("-") else field[key]
        return queryset.order_by(order, "id")

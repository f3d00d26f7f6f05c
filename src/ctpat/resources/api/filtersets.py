"""API filters: the resources list page's FilterSet, refusing empty values."""

from __future__ import annotations

from ctpat.core.api.filtersets import StrictFilterSetMixin
from ctpat.resources.filtersets import ResourceFilterSet


class ResourceApiFilterSet(StrictFilterSetMixin, ResourceFilterSet):
    class Meta(ResourceFilterSet.Meta):
        pass

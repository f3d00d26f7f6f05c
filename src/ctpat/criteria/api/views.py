"""Criteria catalog API: the catalog on a date, and its versions with their changes.

Read-only: drafts are edited and published in the web pages by CBP program admins. Reads go
through ``criteria.selectors``; published versions are visible to every caller, drafts to CBP.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.response import Response

from ctpat.core.api.views import ApiViewSet
from ctpat.core.errors import DomainError, NotFoundError
from ctpat.criteria import selectors
from ctpat.criteria.models import CriteriaVersion, Criterion

from .serializers import (
    CatalogEntrySerializer,
    CriteriaQuerySerializer,
    CriteriaVersionDetailSerializer,
    CriteriaVersionSerializer,
    CriterionQuerySerializer,
)


def _query(serializer_class, request) -> dict:
    """The query parameters, checked. A plain dict, not the QueryDict: DRF reads an empty form
    value as "not given", and an API filter must refuse ``?tag=`` rather than ignore it."""
    query = serializer_class(data=request.query_params.dict())
    query.is_valid(raise_exception=True)
    return query.validated_data


@extend_schema_view(
    list=extend_schema(
        summary="List criteria",
        description="The current version's criteria (or `version`'s), in ID order, each with "
        "its must/should on `on` (default today) and the level changes after that date.",
        parameters=[CriteriaQuerySerializer],
    ),
    retrieve=extend_schema(
        summary="Get a criterion",
        description="One criterion of any version the caller may see, with its level on `on`.",
        parameters=[CriterionQuerySerializer],
    ),
)
class CriterionViewSet(ApiViewSet):
    http_method_names = ["get", "head", "options"]
    serializer_class = CatalogEntrySerializer

    def get_queryset(self):
        return Criterion.objects.none()

    def list(self, request):
        data = _query(CriteriaQuerySerializer, request)
        on = data.get("on") or timezone.localdate()
        if "version" in data:
            try:
                version = selectors.version_get(viewer=request.user, public_id=data["version"])
            except NotFoundError as exc:
                message = "No such criteria version."
                raise DomainError(message, fields={"version": [message]}) from exc
        else:
            version = selectors.current_version()
        entries = []
        if version is not None:
            entries = selectors.catalog_entries(
                viewer=request.user,
                version=version,
                on=on,
                entity_type=data.get("entity_type", ""),
                category=data.get("category"),
                level=data.get("level", ""),
                tag=data.get("tag", ""),
                program=data.get("program", ""),
                q=data.get("q", ""),
            )
        return self.paginated(entries)

    def retrieve(self, request, public_id: str):
        on = _query(CriterionQuerySerializer, request).get("on") or timezone.localdate()
        criterion = selectors.criterion_get(viewer=request.user, public_id=public_id)
        entry = selectors.CatalogEntry.of(criterion, on)
        return Response(self.get_serializer(entry).data)


@extend_schema_view(
    list=extend_schema(
        summary="List criteria versions",
        description="Published versions, newest first (and the draft being prepared, for CBP).",
    ),
    retrieve=extend_schema(
        summary="Get a criteria version",
        description="A version with what it changes compared with the version before it.",
        responses=CriteriaVersionDetailSerializer,
    ),
)
class CriteriaVersionViewSet(ApiViewSet):
    http_method_names = ["get", "head", "options"]
    serializer_class = CriteriaVersionSerializer

    def get_queryset(self):
        if self.is_schema_generation():
            return CriteriaVersion.objects.none()
        return selectors.version_list(viewer=self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "current": selectors.current_version()}

    def list(self, request):
        return self.paginated(self.get_queryset())

    def retrieve(self, request, public_id: str):
        version = selectors.version_get(viewer=request.user, public_id=public_id)
        version.previous_version = selectors.previous_version(version)
        version.changes = selectors.version_changes(version)
        serializer = CriteriaVersionDetailSerializer(version, context=self.get_serializer_context())
        return Response(serializer.data)

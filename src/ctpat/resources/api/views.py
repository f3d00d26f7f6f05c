"""Resources library API: list/search, detail, revisions, curation, and broker shares.

Same rules as the pages: reads through ``resources.selectors`` (CBP staff read every resource's
newest revision, everyone else the live revision of published ones), writes through
``resources.services``. A resource the caller cannot see is a 404; an action it may not take a
403. Shares are private to the broker and the client (CBP reads all).
"""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from ctpat.core.api.permissions import require_perm
from ctpat.core.api.views import ApiViewSet
from ctpat.core.errors import DomainError, PermissionDeniedError
from ctpat.partners.selectors import partner_for_user
from ctpat.resources import selectors, services
from ctpat.resources.models import Resource, ResourceShare

from .filtersets import ResourceApiFilterSet
from .serializers import (
    NoteSerializer,
    ResourceSerializer,
    ResourceShareCreateSerializer,
    ResourceShareSerializer,
    ResourceWriteSerializer,
    RetireSerializer,
    RevisionHistorySerializer,
)

CONTENT_FIELDS = services.CONTENT_FIELDS


def _no_such(field: str, message: str) -> DomainError:
    return DomainError(message, code="invalid", fields={field: [message]})


@extend_schema_view(
    list=extend_schema(
        summary="Search the resources library",
        description="Published resources (every resource for CBP staff), the caller's own "
        "company type first. `q` searches title, summary and text; `audience` for an entity "
        "type also finds resources for all members.",
        responses=ResourceSerializer(many=True),
    ),
    retrieve=extend_schema(summary="Get a resource", responses=ResourceSerializer),
    create=extend_schema(
        summary="Add a resource (CBP program admin)",
        request=ResourceWriteSerializer,
        responses={201: ResourceSerializer},
    ),
    partial_update=extend_schema(
        summary="Revise a resource (CBP program admin)",
        description="Makes a new revision from the newest one with the fields sent changed; a "
        "draft unless `publish` is true.",
        request=ResourceWriteSerializer,
        responses=ResourceSerializer,
    ),
)
class ResourceViewSet(ApiViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = ResourceSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ResourceApiFilterSet

    def get_queryset(self):
        if self.is_schema_generation():
            return Resource.objects.none()
        return selectors.resource_list_for_viewer(viewer=self.request.user)

    def _represent_many(self, resources) -> list[dict]:
        viewer = self.request.user
        shared = selectors.shared_by_names(viewer=viewer, resources=resources)
        sees_drafts = selectors.sees_drafts(viewer)
        rows = []
        for r in resources:
            rows.append(
                {
                    "id": r.public_id,
                    "state": r.state if sees_drafts else "published",
                    "revision": selectors.display_revision(viewer=viewer, resource=r),
                    "live_revision": r.live_revision.number if r.live_revision_id else None,
                    "shared_with_you_by": shared.get(r.pk, []),
                    "created_at": r.created_at,
                    "updated_at": r.updated_at,
                }
            )
        return ResourceSerializer(rows, many=True).data

    def _represent(self, resource: Resource) -> dict:
        return self._represent_many([resource])[0]

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._represent_many(list(page)))

    def retrieve(self, request, public_id: str):
        resource = selectors.resource_get(viewer=request.user, public_id=public_id)
        return Response(self._represent(resource))

    def create(self, request):
        require_perm(request.user, "resources.edit", "Only a CBP program admin adds resources.")
        data = dict(self.validated(ResourceWriteSerializer))
        resource = services.resource_create(actor=request.user, **data)
        return Response(self._represent(resource), status=status.HTTP_201_CREATED)

    def partial_update(self, request, public_id: str):
        resource = selectors.resource_get(viewer=request.user, public_id=public_id)
        require_perm(request.user, "resources.edit", "Only a CBP program admin edits resources.")
        data = dict(self.validated(ResourceWriteSerializer, partial=True))
        publish = data.pop("publish", False)
        change_note = data.pop("change_note", "")
        if not data and not publish:
            raise DomainError("Send at least one field to change.", code="no_changes")
        services.resource_revise(
            actor=request.user,
            resource=resource,
            change_note=change_note,
            publish=publish,
            **{k: v for k, v in data.items() if k in CONTENT_FIELDS},
        )
        resource.refresh_from_db()
        return Response(self._represent(resource))

    @extend_schema(
        summary="Publish a resource's newest revision (CBP program admin)",
        request=NoteSerializer,
        responses=ResourceSerializer,
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, public_id: str):
        resource = selectors.resource_get(viewer=request.user, public_id=public_id)
        require_perm(request.user, "resources.publish", "Only a CBP program admin publishes.")
        data = self.validated(NoteSerializer)
        resource = services.resource_publish(
            actor=request.user, resource=resource, change_note=data.get("change_note", "")
        )
        return Response(self._represent(resource))

    @extend_schema(
        summary="Retire a resource (CBP program admin)",
        request=RetireSerializer,
        responses=ResourceSerializer,
    )
    @action(detail=True, methods=["post"])
    def retire(self, request, public_id: str):
        resource = selectors.resource_get(viewer=request.user, public_id=public_id)
        require_perm(request.user, "resources.publish", "Only a CBP program admin retires.")
        data = self.validated(RetireSerializer)
        resource = services.resource_retire(
            actor=request.user, resource=resource, reason=data["reason"]
        )
        return Response(self._represent(resource))

    @extend_schema(
        summary="A resource's revision history",
        description="Revisions the caller may read, newest first, each with what changed since "
        "the one before it (members read published revisions only).",
        responses=RevisionHistorySerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def revisions(self, request, public_id: str):
        resource = selectors.resource_get(viewer=request.user, public_id=public_id)
        history = selectors.revision_history(viewer=request.user, resource=resource)
        previous = {h["revision"].pk: h["previous"] for h in history}
        page = self.paginate_queryset([h["revision"] for h in history])
        data = RevisionHistorySerializer(page, many=True, context={"previous": previous}).data
        return self.get_paginated_response(data)


@extend_schema_view(
    list=extend_schema(
        summary="List resource shares",
        description="Shares the caller's company sent (as a broker) or received (as a client); "
        "every share for CBP staff.",
    ),
    retrieve=extend_schema(summary="Get a resource share"),
    create=extend_schema(
        summary="Share a resource with clients (customs brokers)",
        description="A licensed customs broker's user shares a published resource with partners "
        "that have an accepted SVI connection to the broker. Their users are notified.",
        request=ResourceShareCreateSerializer,
        responses={201: ResourceShareSerializer(many=True)},
    ),
)
class ResourceShareViewSet(ApiViewSet):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = ResourceShareSerializer

    def get_queryset(self):
        if self.is_schema_generation():
            return ResourceShare.objects.none()
        return selectors.share_list(viewer=self.request.user)

    def list(self, request):
        return self.paginated(self.get_queryset())

    def retrieve(self, request, public_id: str):
        share = selectors.share_get(viewer=request.user, public_id=public_id)
        return Response(self.get_serializer(share).data)

    def create(self, request):
        if not selectors.is_sharing_broker(request.user):
            raise PermissionDeniedError(
                "Only the users of a licensed customs broker can share resources with clients.",
                code="not_a_broker",
            )
        data = self.validated(ResourceShareCreateSerializer)
        resource = (
            selectors.resource_list(viewer=request.user).filter(public_id=data["resource"]).first()
        )
        if resource is None:
            raise _no_such("resource", "No such resource.")
        broker = partner_for_user(request.user)
        clients_by_id = {p.public_id: p for p in selectors.broker_clients(broker=broker)}
        strangers = [i for i in data["clients"] if i not in clients_by_id]
        if strangers:
            message = (
                "You can share only with your clients (companies with an accepted status "
                f"verification connection to yours); not with {', '.join(strangers)}."
            )
            raise DomainError(message, code="not_a_client", fields={"clients": [message]})
        shares = services.resource_share(
            actor=request.user,
            resource=resource,
            clients=[clients_by_id[i] for i in data["clients"]],
            note=data.get("note", ""),
        )
        return Response(self.get_serializer(shares, many=True).data, status=status.HTTP_201_CREATED)

"""The caller's own notifications: list, get, mark read / unread, mark all read.

Reads go through ``notifications.selectors`` (a user sees only their own: anything else is a
404), writes through ``notifications.services``.
"""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from ctpat.core.api.serializers import EmptySerializer
from ctpat.core.api.views import ApiViewSet
from ctpat.core.errors import ConflictError
from ctpat.notifications import selectors, services
from ctpat.notifications.models import Notification

from .filtersets import NotificationFilterSet
from .serializers import MarkAllReadResultSerializer, NotificationSerializer


@extend_schema_view(
    list=extend_schema(
        summary="List your notifications",
        description="The caller's own notifications, newest first.",
    ),
    retrieve=extend_schema(
        summary="Get one of your notifications",
        description="Another user's notification is a 404, whatever the caller's role.",
    ),
)
class NotificationViewSet(ApiViewSet):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = NotificationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = NotificationFilterSet

    def get_queryset(self):
        if self.is_schema_generation():
            return Notification.objects.none()
        return selectors.notification_list(viewer=self.request.user)

    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    def retrieve(self, request, public_id: str):
        notification = selectors.notification_get(viewer=request.user, public_id=public_id)
        return Response(self.get_serializer(notification).data)

    def _set_read(self, public_id: str, *, read: bool) -> Response:
        notification = selectors.notification_get(viewer=self.request.user, public_id=public_id)
        self.validated(EmptySerializer)
        if notification.is_read != read:
            change = services.notification_mark_read if read else services.notification_mark_unread
            try:
                notification = change(actor=self.request.user, notification=notification)
            except ConflictError:
                notification.refresh_from_db()  # a concurrent call did it: same outcome
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        summary="Mark a notification read",
        description="Idempotent: marking a read notification read again changes nothing.",
        request=EmptySerializer,
        responses=NotificationSerializer,
    )
    @action(detail=True, methods=["post"])
    def read(self, request, public_id: str):
        return self._set_read(public_id, read=True)

    @extend_schema(
        summary="Mark a notification unread",
        description="Idempotent: marking an unread notification unread again changes nothing.",
        request=EmptySerializer,
        responses=NotificationSerializer,
    )
    @action(detail=True, methods=["post"])
    def unread(self, request, public_id: str):
        return self._set_read(public_id, read=False)

    @extend_schema(
        summary="Mark all your notifications read",
        request=EmptySerializer,
        responses=MarkAllReadResultSerializer,
    )
    @action(detail=False, methods=["post"], url_path="read-all", url_name="read-all")
    def read_all(self, request):
        self.validated(EmptySerializer)
        try:
            marked = services.notification_mark_all_read(actor=request.user)
        except ConflictError:
            marked = 0
        return Response(MarkAllReadResultSerializer({"marked": marked}).data)

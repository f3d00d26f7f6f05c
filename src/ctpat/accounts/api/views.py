"""The calling user (who they are, for which organization, with which permissions), and the
users CBP program admins manage: revoke their API tokens, deactivate or reactivate them."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from ctpat.accounts import selectors, services
from ctpat.accounts.models import ApiToken, User
from ctpat.core.api.permissions import require_perm
from ctpat.core.api.views import ApiView, ApiViewSet

from .serializers import (
    ManagedUserSerializer,
    MeSerializer,
    TokensRevokedSerializer,
    UserActionSerializer,
)


class MeView(ApiView):
    @extend_schema(summary="The current user", responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


MANAGE_ONLY = "Only a CBP program admin manages users."


@extend_schema_view(
    list=extend_schema(
        summary="List users (CBP program admin)",
        description="Every user, with how many usable API tokens each holds.",
    ),
    retrieve=extend_schema(summary="Get a user (CBP program admin)"),
)
class UserViewSet(ApiViewSet):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = ManagedUserSerializer

    def get_queryset(self):
        if self.is_schema_generation():
            return User.objects.none()
        return selectors.user_list(viewer=self.request.user).prefetch_related(
            Prefetch("api_tokens", queryset=ApiToken.objects.all())
        )

    def _user(self, request, public_id: str) -> User:
        require_perm(request.user, "user.manage", MANAGE_ONLY)
        return selectors.user_get(viewer=request.user, public_id=public_id)

    def list(self, request):
        require_perm(request.user, "user.manage", MANAGE_ONLY)
        return self.paginated(self.get_queryset())

    def retrieve(self, request, public_id: str):
        return Response(self.get_serializer(self._user(request, public_id)).data)

    @extend_schema(
        summary="Revoke every API token of a user (CBP program admin)",
        request=UserActionSerializer,
        responses=TokensRevokedSerializer,
    )
    @action(detail=True, methods=["post"], url_path="revoke-tokens")
    def revoke_tokens(self, request, public_id: str):
        user = self._user(request, public_id)
        data = self.validated(UserActionSerializer)
        revoked = services.user_api_tokens_revoke(
            actor=request.user, user=user, reason=data["reason"]
        )
        user = selectors.user_get(viewer=request.user, public_id=public_id)
        return Response({"user": self.get_serializer(user).data, "revoked_tokens": revoked})

    @extend_schema(
        summary="Deactivate a user (CBP program admin)",
        description="The user cannot sign in, open sessions end and every API token is "
        "revoked, at once.",
        request=UserActionSerializer,
        responses=ManagedUserSerializer,
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request, public_id: str):
        user = self._user(request, public_id)
        data = self.validated(UserActionSerializer)
        services.user_deactivate(actor=request.user, user=user, reason=data["reason"])
        return Response(self.get_serializer(self._user(request, public_id)).data)

    @extend_schema(
        summary="Reactivate a user (CBP program admin)",
        description="The user can sign in again; their old API tokens stay revoked.",
        request=UserActionSerializer,
        responses=ManagedUserSerializer,
    )
    @action(detail=True, methods=["post"])
    def reactivate(self, request, public_id: str):
        user = self._user(request, public_id)
        data = self.validated(UserActionSerializer)
        services.user_reactivate(actor=request.user, user=user, reason=data["reason"])
        return Response(self.get_serializer(self._user(request, public_id)).data)

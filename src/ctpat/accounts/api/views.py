"""The calling user: who they are, for which organization, with which permissions."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from ctpat.core.api.views import ApiView

from .serializers import MeSerializer


class MeView(ApiView):
    @extend_schema(summary="The current user", responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)

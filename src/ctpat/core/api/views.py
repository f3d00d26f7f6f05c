"""API building blocks (base views), the audit-trail endpoints and the schema/docs views."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from ctpat.core import selectors
from ctpat.core.models import AuditEvent

from .filtersets import AuditEventFilterSet
from .pagination import Pagination
from .parsers import JSONParser
from .schema import CtpatAutoSchema
from .serializers import AuditEventSerializer

# Public identifiers are PREFIX-XXXXXXXXXX (ctpat.core.ids); anything else cannot match a record,
# so it never reaches a query (a NUL byte in a URL would otherwise upset PostgreSQL).
PUBLIC_ID_REGEX = r"[0-9A-Za-z-]{1,24}"


class StrictPagination(Pagination):
    """Page-number pagination that refuses a malformed ``page`` or ``page_size`` (400)
    instead of quietly using the default; a page past the end is still a 404."""

    last_page_strings = ()

    def _number(self, request, name: str, maximum: int | None = None) -> int | None:
        if name not in request.query_params:
            return None
        raw = request.query_params.get(name)
        # At most 9 digits: int() of thousands of digits is slow, then refused by Python.
        if (
            not (raw.isascii() and raw.isdigit() and len(raw) <= 9)
            or int(raw) < 1
            or (maximum is not None and int(raw) > maximum)
        ):
            upper = f" to {maximum}" if maximum is not None else " or more"
            raise ValidationError({name: [f"A whole number from 1{upper}."]})
        return int(raw)

    def get_page_size(self, request):
        size = self._number(request, self.page_size_query_param, self.max_page_size)
        return size or self.page_size

    def get_page_number(self, request, paginator):
        return self._number(request, self.page_query_param) or 1

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters


class ApiMixin:
    """What every ctpat API view shares: JSON bodies (upload actions name the multipart parser)
    and documented error responses.

    A file-download action sets ``file_download=True``: its success is the file itself
    (whatever the client's Accept header says), so content negotiation only picks how its
    errors are written, which is always JSON.
    """

    parser_classes = [JSONParser]
    schema = CtpatAutoSchema()
    file_download = False

    def perform_content_negotiation(self, request, force=False):
        if self.file_download:
            renderer = JSONRenderer()
            return renderer, renderer.media_type
        return super().perform_content_negotiation(request, force=force)


class ApiView(ApiMixin, APIView):
    pass


class ApiViewSet(ApiMixin, GenericViewSet):
    """A view set addressed by public id. Reads go through selectors, writes through services."""

    lookup_field = "public_id"
    lookup_value_regex = PUBLIC_ID_REGEX
    pagination_class = StrictPagination

    def is_schema_generation(self) -> bool:
        return getattr(self, "swagger_fake_view", False)

    def validated(self, serializer_class, **kwargs) -> dict:
        """Parse the request body with ``serializer_class`` or answer 400."""
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def paginated(self, queryset, represent=None):
        """One page of ``queryset``; ``represent`` picks a representation per object when
        it varies (otherwise one many=True serializer, which is much faster)."""
        page = self.paginate_queryset(queryset)
        if represent is None:
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        return self.get_paginated_response([represent(obj) for obj in page])


@extend_schema_view(
    list=extend_schema(
        summary="List audit events",
        description="The events the caller may see: their organization's (or "
        "naming it as the counterparty); every event for a CBP program admin.",
    ),
    retrieve=extend_schema(summary="Get an audit event"),
)
class AuditEventViewSet(ApiViewSet):
    serializer_class = AuditEventSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = AuditEventFilterSet

    def get_queryset(self):
        if self.is_schema_generation():
            return AuditEvent.objects.none()
        return selectors.audit_event_list(viewer=self.request.user)

    def list(self, request):
        events = self.filter_queryset(self.get_queryset())
        return self.paginated(events)

    def retrieve(self, request, public_id: str):
        event = selectors.audit_event_get(viewer=request.user, public_id=public_id)
        return Response(self.get_serializer(event).data)


# Routes under /api/ that describe the API rather than hold records.
_NOT_RESOURCES = {"api-root", "api-schema", "api-docs"}


def _api_resource_routes() -> list[tuple[str, str]]:
    """(resource name, URL name) of every /api/ endpoint without URL parameters that answers
    GET, read from the URL conf so a new resource is listed without touching this view."""
    from django.urls import URLPattern, URLResolver

    from ctpat.config import api_urls

    found: list[tuple[str, str]] = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            pattern = str(entry.pattern).lstrip("^").rstrip("$")
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + pattern)
            elif isinstance(entry, URLPattern) and entry.name and entry.name not in _NOT_RESOURCES:
                path = prefix + pattern
                if "<" in path or "(?P" in path or not path:
                    continue
                callback = entry.callback
                actions = getattr(callback, "actions", None)
                view_class = getattr(callback, "cls", None)
                answers_get = (
                    "get" in actions
                    if actions is not None
                    else view_class is not None and hasattr(view_class, "get")
                )
                if answers_get:
                    found.append((path.strip("/"), entry.name))

    walk(api_urls.urlpatterns, "")
    return sorted(set(found))


class ApiRootSerializer(serializers.Serializer):
    resources = serializers.DictField(
        child=serializers.URLField(),
        help_text="Each collection or endpoint of the API by name, with its absolute URL.",
    )
    schema = serializers.URLField(help_text="The OpenAPI 3 schema (YAML; ?format=json for JSON).")
    docs = serializers.URLField(help_text="The browsable documentation (Swagger UI).")
    authentication = serializers.CharField(help_text="How to authenticate.")


class ApiRootView(ApiView):
    """``GET /api/``: what the API offers, with absolute links; public, like the schema."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="API root",
        description="Lists the API's resources with absolute URLs, and links to the OpenAPI "
        "schema and the documentation. Needs no authentication.",
        responses={200: ApiRootSerializer},
        auth=[],
    )
    def get(self, request):
        from rest_framework.reverse import reverse

        resources = {
            name: reverse(url_name, request=request) for name, url_name in _api_resource_routes()
        }
        return Response(
            {
                "resources": resources,
                "schema": reverse("api-schema", request=request),
                "docs": reverse("api-docs", request=request),
                "authentication": "Send an API token as 'Authorization: Bearer <key>' or "
                "'Authorization: Token <key>'. Create tokens on the API tokens page.",
            }
        )


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 document (YAML by default, JSON with ``?format=json``); public."""

    authentication_classes = []
    permission_classes = [AllowAny]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar. Its init script is served from a URL (the
    "split" view), so the page runs under the site's ``script-src 'self'`` policy."""

    authentication_classes = []
    permission_classes = [AllowAny]
    # OPTIONS would render DRF's metadata through the HTML template renderer: a 500.
    http_method_names = ["get", "head"]
    url_name = "api-schema"
    template_name = "core/api/swagger_ui.html"


@csrf_exempt  # nothing to protect, and a POST must get this 404, not the HTML CSRF page
def api_not_found(request, *args, **kwargs):
    """Unknown /api/ URLs answer in JSON, like every other API error."""
    return JsonResponse(
        {"error": {"code": "not_found", "message": "No such API endpoint.", "fields": {}}},
        status=404,
    )

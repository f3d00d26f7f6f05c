"""OpenAPI schema pieces: the ``Error`` component, error responses on every operation and the
security schemes of ctpat's own authentication classes."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

ERROR_DESCRIPTIONS = {
    "400": "The request is not valid (malformed JSON, unknown or wrong fields, a refused rule).",
    "401": "No credentials, or an invalid, expired or revoked token.",
    "403": "Authenticated but not allowed (role, missing CSRF token, two-factor not passed).",
    "404": "No such object, or not one the caller may see.",
    "409": "The request conflicts with the object's current state.",
    "413": "The request body is larger than the configured limit.",
    "415": "The request body is not JSON (or, for an upload, not multipart/form-data).",
}


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable machine code, e.g. `illegal_transition`.")
    message = serializers.CharField(help_text="What went wrong, for people.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per request field, when the error concerns particular fields.",
    )


class ErrorSerializer(serializers.Serializer):
    """Every API error: ``{"error": {"code", "message", "fields"}}``."""

    error = ErrorDetailSerializer()


class CtpatAutoSchema(AutoSchema):
    """Documents the JSON error responses every ctpat API operation can give."""

    def _error_codes(self) -> list[str]:
        codes = ["400", "401", "403", "404"]
        if self.method in WRITE_METHODS:
            codes += ["409", "413", "415"]
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(response=ErrorSerializer, description=ERROR_DESCRIPTIONS[code]),
                    code,
                    direction=direction,
                )
        return responses


class HashedTokenScheme(OpenApiAuthenticationExtension):
    target_class = "ctpat.accounts.authentication.HashedTokenAuthentication"
    # Two ways to send the same key: the Token keyword, and the standard Bearer scheme (which
    # Swagger UI's "Authorize" dialog and most HTTP clients speak).
    name = ["tokenAuth", "bearerAuth"]

    def get_security_definition(self, auto_schema):
        return [
            {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "An API token, sent as `Authorization: Token <key>`.",
            },
            {
                "type": "http",
                "scheme": "bearer",
                "description": "The same API token, sent as `Authorization: Bearer <key>`.",
            },
        ]


class CtpatSessionScheme(OpenApiAuthenticationExtension):
    target_class = "ctpat.core.api.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "The web application's session; writes need the CSRF token in "
            "the `X-CSRFToken` header, and CBP roles must have passed two-factor verification.",
        }


def file_download_responses() -> dict:
    """The 200 responses of a file-download operation: one binary body per content type a
    stored upload can be served as (its type detected at upload, ``core.uploads.FILE_TYPES``)."""
    from drf_spectacular.types import OpenApiTypes

    from ctpat.core.uploads import FILE_TYPES

    return {
        (200, ct): OpenApiTypes.BINARY
        for ct in sorted({t.content_type for t in FILE_TYPES.values()})
    }

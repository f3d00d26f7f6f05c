"""API errors as JSON with a stable code: ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ctpat.core.errors import DomainError

from .authentication import CsrfFailed

# Checked in order; the last matching class wins, so subclasses come after their bases.
CODES_BY_EXCEPTION = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    CsrfFailed: "csrf_failed",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ParseError: "malformed_request",
    exceptions.ValidationError: "invalid",
}


def _message(detail) -> str:
    if isinstance(detail, list) and detail:
        return " ".join(_message(d) for d in detail)
    if isinstance(detail, dict):
        parts = []
        for key, value in detail.items():
            parts.append(
                f"{key}: {_message(value)}" if key != "non_field_errors" else _message(value)
            )
        return " ".join(parts)
    return str(detail)


def _fields(detail) -> dict:
    if not isinstance(detail, dict):
        return {}
    return {
        key: [str(v) for v in (value if isinstance(value, list) else [value])]
        for key, value in detail.items()
    }


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(
            {"error": {"code": exc.code, "message": exc.message, "fields": exc.fields}},
            status=exc.status_code,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = "error"
    for klass, value in CODES_BY_EXCEPTION.items():
        if isinstance(exc, klass):
            code = value
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    if isinstance(exc, exceptions.ValidationError):
        message = "The request is not valid: " + _message(detail)
        response.status_code = status.HTTP_400_BAD_REQUEST
    else:
        message = _message(detail)
    response.data = {"error": {"code": code, "message": message, "fields": _fields(detail)}}
    return response

"""API errors as JSON with a stable code: ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ctpat.core.errors import DomainError

from .authentication import CsrfFailed


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request's form fields are larger than the server accepts."


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
    PayloadTooLarge: "payload_too_large",
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


def _flat(value) -> list[str]:
    """Plain messages from a detail that may nest (a list field's errors come by index)."""
    if isinstance(value, dict):
        return [m for v in value.values() for m in _flat(v)]
    if isinstance(value, list):
        return [m for v in value for m in _flat(v)]
    return [str(value)]


def _fields(detail) -> dict:
    if not isinstance(detail, dict):
        return {}
    return {key: _flat(value) for key, value in detail.items()}


def _multipart_refusal(exc):
    """Django's multipart parser refuses some bodies with SuspiciousOperation (too many files or
    fields, form fields over DATA_UPLOAD_MAX_MEMORY_SIZE) or MultiPartParserError; in the API
    they are JSON errors like every other, not the HTML 400 page."""
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, SuspiciousOperation | MultiPartParserError):
        return exceptions.ParseError(f"The multipart body was refused: {exc}")
    return exc


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
    exc = _multipart_refusal(exc)
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

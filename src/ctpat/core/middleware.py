"""Request-level guards: body size limit and the request info carried into audit events."""

from __future__ import annotations

import json
import re
import uuid

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from .context import RequestInfo, reset_request_info, set_request_info


class RequestSizeLimitMiddleware:
    """Refuse oversized bodies with a clear 413 before anything reads them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = request_body_limit(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            if request.path.startswith("/api/"):
                message = f"The request body is {length} bytes; the limit is {limit} bytes."
                return JsonResponse(
                    {"error": {"code": "payload_too_large", "message": message, "fields": {}}},
                    status=413,
                )
            return _styled_413(request, length=length, limit=limit)
        source = "api" if request.path.startswith("/api/") else "web"
        token = set_request_info(
            RequestInfo(
                source=source,
                ip_address=request.META.get("REMOTE_ADDR") or None,
                request_id=_safe_request_id(request.META.get("HTTP_X_REQUEST_ID", "")),
            )
        )
        try:
            return self.get_response(request)
        finally:
            reset_request_info(token)


def _styled_413(request, *, length: int, limit: int) -> HttpResponse:
    """The refusal as a styled page. This middleware runs before the ones that set the
    Content-Security-Policy and X-Frame-Options headers, so it sets them itself."""
    from django.middleware.clickjacking import XFrameOptionsMiddleware
    from django.middleware.csp import ContentSecurityPolicyMiddleware

    from .views import request_too_large_page

    response = request_too_large_page(request, length=length, limit=limit)
    response = ContentSecurityPolicyMiddleware(lambda r: response).process_response(
        request, response
    )
    return XFrameOptionsMiddleware(lambda r: response).process_response(request, response)


def request_body_limit(request) -> int:
    """CTPAT_MAX_REQUEST_BYTES, or the larger upload limit for a multipart/form-data body sent
    to one of CTPAT_UPLOAD_URL_PATTERNS (file uploads; each view checks its own file limit).
    The whole path must match: ``$`` alone would also let a path ending in a newline through."""
    content_type = request.META.get("CONTENT_TYPE", "").lower()
    if content_type.startswith("multipart/form-data") and any(
        re.fullmatch(pattern, request.path)
        for pattern in getattr(settings, "CTPAT_UPLOAD_URL_PATTERNS", ())
    ):
        return max(settings.CTPAT_MAX_REQUEST_BYTES, settings.CTPAT_UPLOAD_MAX_REQUEST_BYTES)
    return settings.CTPAT_MAX_REQUEST_BYTES


_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def _safe_request_id(raw: str) -> str:
    """A client's X-Request-ID if it is a plain token, else one of ours."""
    return raw if _REQUEST_ID.match(raw or "") else uuid.uuid4().hex


def json_error(code: str, message: str, status: int, fields: dict | None = None) -> JsonResponse:
    return JsonResponse(
        {"error": {"code": code, "message": message, "fields": fields or {}}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


__all__ = ["RequestSizeLimitMiddleware", "json_error", "json"]

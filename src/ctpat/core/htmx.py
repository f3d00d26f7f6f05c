"""HTMX helpers: one place decides between a full page and a partial (NetBox habit)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def is_partial_request(request: HttpRequest) -> bool:
    """True for an htmx request that swaps part of a page.

    A boosted navigation and a history restore (back button after a cache miss) need the
    whole page.
    """
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page_or_partial(
    request: HttpRequest,
    page_template: str,
    partial_template: str,
    context: dict | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """Render ``partial_template`` for htmx swaps, ``page_template`` otherwise.

    The page template includes the partial, so both show the same markup. A partial that shows
    form errors goes out as 200: htmx does not swap 4xx responses by default.
    """
    partial = is_partial_request(request)
    template = partial_template if partial else page_template
    if partial and status == 400:
        status = 200
    response = render(request, template, context or {}, status=status)
    # Caches (and the browser's back button) must not mix the two shapes of one URL.
    response.headers["Vary"] = ", ".join(
        v for v in (response.headers.get("Vary"), "HX-Request") if v
    )
    return response

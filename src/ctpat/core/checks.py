"""System checks for ctpat's own settings: a bad value fails `ctpat migrate` / start-up with a
clear message instead of surfacing as a refusal on the first upload."""

from __future__ import annotations

from django.core import checks
from django.utils.module_loading import import_string


@checks.register(checks.Tags.security)
def check_upload_scanner(app_configs=None, **kwargs):
    from .uploads import configured_scanner

    path = configured_scanner()
    if not path:
        return []
    try:
        scanner = import_string(path)
    except ImportError as exc:
        return [
            checks.Error(
                f"CTPAT_UPLOAD_SCANNER names {path!r}, which cannot be imported: {exc}.",
                hint="Set it to the dotted path of a callable scan(file) -> ScanResult, "
                "or leave it empty (uploads are then stored as 'not scanned').",
                id="ctpat.E001",
            )
        ]
    if not callable(scanner):
        return [checks.Error(f"CTPAT_UPLOAD_SCANNER {path!r} is not callable.", id="ctpat.E001")]
    return []


@checks.register(checks.Tags.security)
def check_site_url(app_configs=None, **kwargs):
    """E-mails link back to ctpat with absolute URLs built from CTPAT_SITE_URL: without it a
    recipient gets a bare path that no mail program can open."""
    from urllib.parse import urlsplit

    from django.conf import settings

    site_url = getattr(settings, "CTPAT_SITE_URL", "") or ""
    if not site_url:
        if settings.DEMO_MODE or getattr(settings, "TESTING", False):
            return []
        return [
            checks.Warning(
                "CTPAT_SITE_URL is not set, so links in e-mails are paths without the "
                "site's address.",
                hint="Set CTPAT_SITE_URL to the address people open ctpat at, "
                "e.g. https://ctpat.example.gov.",
                id="ctpat.W010",
            )
        ]
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return [
            checks.Error(
                f"CTPAT_SITE_URL must be an http or https address such as "
                f"https://ctpat.example.gov, got {site_url!r}.",
                id="ctpat.E010",
            )
        ]
    return []

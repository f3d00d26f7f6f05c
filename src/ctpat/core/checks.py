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

"""Checking and scanning uploaded files, for every app that accepts them.

* ``validate_upload(uploaded_file, *, allowed, max_bytes)`` refuses an empty or oversized file,
  a name whose extension is not allowed, and a file whose *content* is not what its extension
  says (magic bytes are sniffed; the browser's Content-Type is never trusted). It returns the
  detected type key (``"pdf"``, ``"csv"``, ...).
* ``scan_upload(file)`` runs the virus-scan hook named by ``settings.CTPAT_UPLOAD_SCANNER`` (a
  dotted path to ``scan(file) -> ScanResult``). Without one the outcome is ``not_scanned`` —
  never "clean". An infected file or a scanner failure is refused.
* ``random_storage_name(prefix, detected)`` gives a stored file a random name: the original name
  is display data only and never reaches the file system.

Every refusal is a ``DomainError`` with a stable code and the message under ``fields["file"]``,
raised before anything is written.
"""

from __future__ import annotations

import codecs
import secrets
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string

from .errors import DomainError

# The head read to sniff a file's type (and a text file's encoding); a text file is then read to
# its end in reads of this size for NUL bytes, so a text head cannot carry a binary body.
TEXT_SNIFF_BYTES = 64 * 1024
ORIGINAL_NAME_MAX_LENGTH = 200


class UploadErrorCode(models.TextChoices):
    MISSING = "upload_missing", "No file"
    EMPTY = "upload_empty", "Empty file"
    TOO_LARGE = "upload_too_large", "File too large"
    TYPE_NOT_ALLOWED = "upload_type_not_allowed", "File type not allowed"
    CONTENT_MISMATCH = "upload_content_mismatch", "Content does not match the file type"
    INFECTED = "upload_infected", "Virus found"
    SCAN_FAILED = "upload_scan_failed", "Virus scan failed"


class ScanStatus(models.TextChoices):
    """What is known about a stored file's scan. ``clean`` only ever comes from a scanner."""

    NOT_SCANNED = "not_scanned", "Not scanned (no virus scanner is configured)"
    CLEAN = "clean", "Scanned: no virus found"


@dataclass(frozen=True)
class ScanResult:
    """What a scanner hook returns."""

    clean: bool
    detail: str = ""


@dataclass(frozen=True)
class ScanOutcome:
    """What ``scan_upload`` tells the caller to store."""

    status: str  # ScanStatus value
    detail: str
    scanner: str  # dotted path of the hook, "" when none


# --- File types ----------------------------------------------------------------------------


def _zip_has(head: bytes, uploaded_file, member: str) -> bool:
    """An Office Open XML file is a zip with ``[Content_Types].xml`` and its main part."""
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        uploaded_file.seek(0)
        with zipfile.ZipFile(uploaded_file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and member in names


# Magic numbers of executables and archives a text file must not start with.
_BINARY_MAGIC = (
    b"MZ",  # Windows executable
    b"\x7fELF",  # Linux executable
    b"\xca\xfe",  # Mach-O / Java class
    b"PK\x03\x04",  # zip (and so Office files)
    b"%PDF-",
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
)


def _is_text(head: bytes, uploaded_file) -> bool:
    """No binary header, UTF-8 in the head, and no NUL byte from the first byte to the last.

    The encoding is judged on the head only: callers that parse the text decode all of it and
    say so in their own words (e.g. annualnotices' "not UTF-8" for a CSV saved as Latin-1).
    """
    if not head or head.startswith(_BINARY_MAGIC):
        return False
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)  # a character cut at the end of the sample is fine
    except UnicodeDecodeError:
        return False
    uploaded_file.seek(0)
    while chunk := uploaded_file.read(TEXT_SNIFF_BYTES):
        if b"\x00" in chunk:
            return False
    return True


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    extensions: tuple[str, ...]
    content_type: str
    matches: Callable[[bytes, object], bool]


FILE_TYPES: dict[str, FileType] = {
    t.key: t
    for t in (
        FileType("pdf", "PDF", (".pdf",), "application/pdf", lambda h, f: h.startswith(b"%PDF-")),
        FileType(
            "png",
            "PNG image",
            (".png",),
            "image/png",
            lambda h, f: h.startswith(b"\x89PNG\r\n\x1a\n"),
        ),
        FileType(
            "jpeg",
            "JPEG image",
            (".jpg", ".jpeg"),
            "image/jpeg",
            lambda h, f: h.startswith(b"\xff\xd8\xff"),
        ),
        FileType(
            "docx",
            "Word document (.docx)",
            (".docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            lambda h, f: _zip_has(h, f, "word/document.xml"),
        ),
        FileType(
            "xlsx",
            "Excel workbook (.xlsx)",
            (".xlsx",),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            lambda h, f: _zip_has(h, f, "xl/workbook.xml"),
        ),
        FileType("csv", "CSV", (".csv",), "text/csv", _is_text),
        FileType("txt", "Plain text", (".txt",), "text/plain", _is_text),
    )
}


def type_for_extension(name: str, allowed: Iterable[str]) -> FileType | None:
    extension = PurePath(name or "").suffix.lower()
    for key in allowed:
        file_type = FILE_TYPES[key]
        if extension in file_type.extensions:
            return file_type
    return None


def allowed_description(allowed: Iterable[str]) -> str:
    return ", ".join(ext for key in allowed for ext in FILE_TYPES[key].extensions)


def human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MiB".replace(".0 MiB", " MiB")
    if n >= 1024:
        return f"{n / 1024:.0f} KiB"
    return f"{n} bytes"


def _refuse(message: str, code: str) -> DomainError:
    return DomainError(message, code=code, fields={"file": [message]})


def clean_original_name(name: str) -> str:
    """The name to show: no folders, no control characters, bounded length."""
    base = PurePath((name or "").replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    if len(base) > ORIGINAL_NAME_MAX_LENGTH:
        suffix = PurePath(base).suffix[:16]
        base = base[: ORIGINAL_NAME_MAX_LENGTH - len(suffix)] + suffix
    return base or "file"


def validate_upload(uploaded_file, *, allowed: Iterable[str], max_bytes: int) -> str:
    """The detected type key of ``uploaded_file``, or a ``DomainError`` saying what is wrong."""
    allowed = tuple(allowed)
    unknown = [key for key in allowed if key not in FILE_TYPES]
    if unknown:
        raise ValueError(f"Unknown file type keys {unknown}; known: {sorted(FILE_TYPES)}")
    if uploaded_file is None:
        raise _refuse("Choose a file to upload.", UploadErrorCode.MISSING)
    name = clean_original_name(getattr(uploaded_file, "name", ""))
    size = getattr(uploaded_file, "size", None)
    if size is None:
        raise ValueError("validate_upload needs a file with a size (a Django UploadedFile).")
    if size == 0:
        raise _refuse(f"{name} is empty.", UploadErrorCode.EMPTY)
    if size > max_bytes:
        raise _refuse(
            f"{name} is {human_size(size)} ({size:,} bytes); the limit is "
            f"{human_size(max_bytes)} ({max_bytes:,} bytes). Nothing was saved.",
            UploadErrorCode.TOO_LARGE,
        )
    file_type = type_for_extension(name, allowed)
    if file_type is None:
        raise _refuse(
            f"{name}: this type of file is not accepted. Allowed: {allowed_description(allowed)}.",
            UploadErrorCode.TYPE_NOT_ALLOWED,
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(TEXT_SNIFF_BYTES)
    try:
        matches = file_type.matches(head, uploaded_file)
    finally:
        uploaded_file.seek(0)
    if not matches:
        raise _refuse(
            f"{name} is named as a {file_type.label} file but its content is not one. "
            "Upload the original file, not a renamed one.",
            UploadErrorCode.CONTENT_MISMATCH,
        )
    return file_type.key


# --- Virus scanning ------------------------------------------------------------------------


def configured_scanner() -> str:
    return getattr(settings, "CTPAT_UPLOAD_SCANNER", "") or ""


def scan_upload(uploaded_file) -> ScanOutcome:
    """Run the configured scanner on ``uploaded_file``; refuse infected files.

    No scanner configured: ``not_scanned`` (shown as such; never reported as clean). A scanner
    that raises is a refusal too: an unscanned file must not pass as scanned.
    """
    path = configured_scanner()
    if not path:
        return ScanOutcome(ScanStatus.NOT_SCANNED, "No virus scanner is configured.", "")
    uploaded_file.seek(0)
    try:
        # A scanner that cannot even be imported is a failure to scan, not a server error (the
        # system check ``core.E001`` reports the bad setting at start-up too).
        result = import_string(path)(uploaded_file)
    except Exception as exc:  # any scanner failure refuses the file
        raise _refuse(
            "The file could not be scanned for viruses; try again later.",
            UploadErrorCode.SCAN_FAILED,
        ) from exc
    finally:
        uploaded_file.seek(0)
    if not isinstance(result, ScanResult):
        raise _refuse(
            "The virus scanner gave no usable answer; the file was not accepted.",
            UploadErrorCode.SCAN_FAILED,
        )
    if not result.clean:
        detail = f" ({result.detail})" if result.detail else ""
        raise _refuse(
            f"The virus scanner refused this file{detail}.",
            UploadErrorCode.INFECTED,
        )
    return ScanOutcome(ScanStatus.CLEAN, result.detail or "No virus found.", path)


def random_storage_name(prefix: str, detected: str) -> str:
    """``<prefix>/<random>.<ext>``: nothing of the uploader's file name reaches the disk."""
    extension = FILE_TYPES[detected].extensions[0]
    return f"{prefix.strip('/')}/{secrets.token_hex(16)}{extension}"


# --- Downloads -----------------------------------------------------------------------------


def download_response(field_file, *, filename: str, detected: str):
    """A stored upload as an attachment (web pages and API alike), never rendered inline.

    The caller has already checked that the viewer may see the record. A file missing from
    storage is a ``NotFoundError`` (the record exists, its file does not).
    """
    from django.http import FileResponse

    from .errors import NotFoundError

    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise NotFoundError("The stored file is missing; ask an administrator.") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=FILE_TYPES[detected].content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

"""ctpat.core.uploads: type by extension AND content, size limit, the virus-scan hook."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ctpat.core import uploads
from ctpat.core.errors import DomainError

ALL = ("pdf", "png", "jpeg", "docx", "xlsx", "csv", "txt")


def _zip(*members: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in members:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content, detected",
    [
        ("report.pdf", b"%PDF-1.7\n...", "pdf"),
        ("photo.PNG", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "png"),
        ("gate.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpeg"),
        ("policy.docx", _zip("[Content_Types].xml", "word/document.xml"), "docx"),
        ("register.xlsx", _zip("[Content_Types].xml", "xl/workbook.xml"), "xlsx"),
        ("suppliers.csv", "name,country\nAcme,CN\nÉcole,FR\n".encode(), "csv"),
        ("notes.txt", b"plain text", "txt"),
    ],
)
def test_accepted_types_are_detected_from_content(name, content, detected):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    assert uploads.validate_upload(upload, allowed=ALL, max_bytes=1024) == detected


@pytest.mark.parametrize(
    "case, name, content, code",
    [
        (
            "exe renamed pdf",
            "invoice.pdf",
            b"MZ\x90\x00\x03" + b"\x00" * 50,
            "upload_content_mismatch",
        ),
        ("exe renamed txt", "readme.txt", b"MZ\x90\x00\x03", "upload_content_mismatch"),
        ("zip renamed docx", "policy.docx", _zip("hello.txt"), "upload_content_mismatch"),
        ("binary csv", "data.csv", b"\xff\xfe\x00a\x00b", "upload_content_mismatch"),
        ("exe", "setup.exe", b"MZ\x90\x00", "upload_type_not_allowed"),
        ("no extension", "evidence", b"text", "upload_type_not_allowed"),
        ("empty", "empty.txt", b"", "upload_empty"),
    ],
)
def test_refused_files_say_why(case, name, content, code):
    # The browser's content type is ignored: it claims PDF for every file here.
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    with pytest.raises(DomainError) as caught:
        uploads.validate_upload(upload, allowed=ALL, max_bytes=1024)
    assert caught.value.code == code, case
    assert caught.value.fields["file"] == [caught.value.message]


@pytest.mark.parametrize(
    "case, tail",
    [
        ("executable after the sniffed head", b"MZ\x90\x00\x03\x00\x00\x00\x04"),
        ("NUL bytes after the sniffed head", b"abc\x00\x00def"),
    ],
)
def test_a_text_file_carries_no_binary_body_past_the_sniffed_head(case, tail):
    # A text head long enough to fill the first read must not carry a binary body past it.
    content = b"a,b\n" * (uploads.TEXT_SNIFF_BYTES // 4 + 1) + tail
    upload = SimpleUploadedFile("data.csv", content)
    with pytest.raises(DomainError) as caught:
        uploads.validate_upload(upload, allowed=ALL, max_bytes=len(content))
    assert caught.value.code == "upload_content_mismatch", case


def test_a_long_text_file_with_a_character_across_read_boundaries_is_text():
    content = b"a" * (uploads.TEXT_SNIFF_BYTES - 1) + "é€".encode() * 10
    upload = SimpleUploadedFile("notes.txt", content)
    assert uploads.validate_upload(upload, allowed=ALL, max_bytes=len(content)) == "txt"
    assert upload.tell() == 0


def test_oversized_file_is_refused_with_both_sizes():
    upload = SimpleUploadedFile("big.txt", b"a" * 2049)
    with pytest.raises(DomainError) as caught:
        uploads.validate_upload(upload, allowed=ALL, max_bytes=2048)
    assert caught.value.code == "upload_too_large"
    assert caught.value.message == (
        "big.txt is 2 KiB (2,049 bytes); the limit is 2 KiB (2,048 bytes). Nothing was saved."
    )


def test_type_outside_the_allowed_list_is_refused_even_if_known():
    upload = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n")
    with pytest.raises(DomainError) as caught:
        uploads.validate_upload(upload, allowed=("pdf", "txt"), max_bytes=1024)
    assert caught.value.code == "upload_type_not_allowed"
    assert "Allowed: .pdf, .txt." in caught.value.message


def test_original_names_are_display_only():
    assert uploads.clean_original_name("..\\..\\etc/passwd\x00.txt") == "passwd.txt"
    name = uploads.random_storage_name("evidence", "pdf")
    assert name.startswith("evidence/") and name.endswith(".pdf") and len(name) == 45


def test_without_a_scanner_the_outcome_is_not_scanned_never_clean(settings):
    settings.CTPAT_UPLOAD_SCANNER = ""
    outcome = uploads.scan_upload(SimpleUploadedFile("a.txt", b"x"))
    assert outcome.status == uploads.ScanStatus.NOT_SCANNED
    assert outcome.scanner == ""


# Scanner hooks for the tests below: real callables named by dotted path in the setting.
def clean_scanner(file):
    return uploads.ScanResult(clean=True, detail=f"scanned {len(file.read())} bytes")


def eicar_scanner(file):
    found = b"EICAR" in file.read()
    return uploads.ScanResult(clean=not found, detail="Eicar-Test-Signature" if found else "")


def broken_scanner(file):
    raise ConnectionError("clamd is not running")


def test_a_configured_scanner_decides(settings):
    settings.CTPAT_UPLOAD_SCANNER = f"{__name__}.clean_scanner"
    outcome = uploads.scan_upload(SimpleUploadedFile("a.txt", b"hello"))
    assert (outcome.status, outcome.detail) == ("clean", "scanned 5 bytes")

    settings.CTPAT_UPLOAD_SCANNER = f"{__name__}.eicar_scanner"
    with pytest.raises(DomainError) as caught:
        uploads.scan_upload(SimpleUploadedFile("a.txt", b"X5O EICAR"))
    assert caught.value.code == "upload_infected"
    assert "Eicar-Test-Signature" in caught.value.message

    settings.CTPAT_UPLOAD_SCANNER = f"{__name__}.broken_scanner"
    with pytest.raises(DomainError) as caught:
        uploads.scan_upload(SimpleUploadedFile("a.txt", b"hello"))
    assert caught.value.code == "upload_scan_failed"


def test_a_scanner_that_cannot_be_imported_refuses_the_file_and_fails_the_system_check(settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ctpat.core.checks import check_upload_scanner
    from ctpat.core.errors import DomainError
    from ctpat.core.uploads import UploadErrorCode, scan_upload

    settings.CTPAT_UPLOAD_SCANNER = "ctpat.no_such_module.scan"
    with pytest.raises(DomainError) as error:
        scan_upload(SimpleUploadedFile("a.txt", b"hello"))
    assert error.value.code == UploadErrorCode.SCAN_FAILED
    assert [e.id for e in check_upload_scanner()] == ["ctpat.E001"]
    settings.CTPAT_UPLOAD_SCANNER = ""
    assert check_upload_scanner() == []

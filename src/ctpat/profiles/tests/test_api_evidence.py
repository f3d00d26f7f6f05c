"""Evidence files over the API: multipart upload with the same checks as the page, list,
download, tenant isolation, the request-size limit, and one upload over real HTTP."""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ctpat.core.models import AuditEvent
from ctpat.profiles.models import EvidenceFile

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _url(profile, suffix="evidence/"):
    return f"/api/security-profiles/{profile.public_id}/{suffix}"


def _pdf(name="seal-log.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _stored_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def test_a_company_user_uploads_lists_and_downloads_evidence(
    api_client, profile, compliance_user, media_root
):
    client = api_client(compliance_user)

    created = client.post(_url(profile), {"file": _pdf(), "msc_id": "3.9"}, format="multipart")

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["original_name"] == "seal-log.pdf"
    assert (body["msc_id"], body["detected_type"], body["size"]) == ("3.9", "pdf", len(PDF))
    assert body["scan_status"] == "not_scanned"
    assert body["uploaded_by"]
    item = EvidenceFile.objects.get(public_id=body["public_id"])
    assert len(_stored_files(media_root)) == 1
    assert AuditEvent.objects.filter(
        action="profiles.evidence_upload", object_id=item.public_id
    ).exists()

    listed = client.get(_url(profile))
    assert listed.status_code == 200
    assert [row["public_id"] for row in listed.json()["results"]] == [item.public_id]

    download = client.get(body["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "name, content, code",
    [
        ("invoice.pdf", b"MZ\x90\x00\x03" + b"\x00" * 50, "upload_content_mismatch"),
        ("setup.exe", b"MZ\x90\x00", "upload_type_not_allowed"),
        (
            "empty.txt",
            b"",
            "file",
        ),  # refused by the form field itself: "The submitted file is empty."
    ],
)
def test_a_refused_file_is_a_400_and_nothing_is_stored(
    api_client, profile, compliance_user, media_root, name, content, code
):
    response = api_client(compliance_user).post(
        _url(profile), {"file": _pdf(name, content)}, format="multipart"
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert "file" in error["fields"]
    if code != "file":
        assert error["code"] == code
    assert EvidenceFile.objects.count() == 0
    assert _stored_files(media_root) == []


def test_a_file_over_the_limit_is_refused_with_the_limit(
    api_client, profile, compliance_user, media_root, settings
):
    settings.CTPAT_EVIDENCE_MAX_BYTES = 40
    response = api_client(compliance_user).post(
        _url(profile), {"file": _pdf(content=PDF + b" " * 100)}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "upload_too_large"
    assert "the limit is" in response.json()["error"]["message"]
    assert _stored_files(media_root) == []


def test_bad_requests_say_what_is_wrong(api_client, profile, compliance_user):
    client = api_client(compliance_user)
    no_file = client.post(_url(profile), {"msc_id": "3.9"}, format="multipart")
    assert no_file.status_code == 400 and "file" in no_file.json()["error"]["fields"]
    unknown = client.post(_url(profile), {"file": _pdf(), "note": "x"}, format="multipart")
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "unknown_fields"
    criterion = client.post(_url(profile), {"file": _pdf(), "msc_id": "99.99"}, format="multipart")
    assert criterion.status_code == 400
    as_json = client.post(_url(profile), {"file": "not a file"}, format="json")
    assert as_json.status_code == 415
    assert EvidenceFile.objects.count() == 0


def test_other_companies_get_404_and_cbp_reads_but_does_not_upload(
    api_client, profile, compliance_user, manufacturer_officer, scss
):
    body = (
        api_client(compliance_user).post(_url(profile), {"file": _pdf()}, format="multipart").json()
    )
    other = api_client(manufacturer_officer)
    assert other.get(_url(profile)).status_code == 404
    assert other.get(body["download_url"]).status_code == 404
    assert other.post(_url(profile), {"file": _pdf()}, format="multipart").status_code == 404

    cbp = api_client(scss)
    assert cbp.get(_url(profile)).json()["count"] == 1
    assert cbp.get(body["download_url"]).status_code == 200
    refused = cbp.post(_url(profile), {"file": _pdf()}, format="multipart")
    assert refused.status_code == 403
    assert EvidenceFile.objects.count() == 1


def test_a_download_error_is_json_whatever_the_client_accepts(api_client, profile, compliance_user):
    client = api_client(compliance_user)
    missing = client.get(
        _url(profile, "evidence/SPE-0000000000/download/"), HTTP_ACCEPT="application/octet-stream"
    )
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/json"
    assert missing.json()["error"]["code"] == "not_found"


def test_a_stored_file_gone_from_disk_is_a_clear_404(
    api_client, profile, compliance_user, media_root
):
    client = api_client(compliance_user)
    body = client.post(_url(profile), {"file": _pdf()}, format="multipart").json()
    for path in _stored_files(media_root):
        path.unlink()
    gone = client.get(body["download_url"])
    assert gone.status_code == 404
    assert "missing" in gone.json()["error"]["message"]


def test_upload_urls_take_the_larger_body_limit_and_others_do_not(
    api_client, profile, compliance_user, settings
):
    settings.CTPAT_MAX_REQUEST_BYTES = 2_000
    settings.CTPAT_UPLOAD_MAX_REQUEST_BYTES = 50_000
    big = PDF + b"%" * 10_000
    client = api_client(compliance_user)
    accepted = client.post(_url(profile), {"file": _pdf(content=big)}, format="multipart")
    assert accepted.status_code == 201
    elsewhere = client.post(
        _url(profile, "answers/"), {"file": _pdf(content=big)}, format="multipart"
    )
    assert elsewhere.status_code == 413


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = secrets.token_hex(12)
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, (filename, content, content_type) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.mark.django_db(transaction=True)
def test_an_upload_and_download_over_real_http(live_server, importer, importer_officer, media_root):
    from ctpat.accounts.services import api_token_create
    from ctpat.profiles import services

    profile = services.profile_start(actor=importer_officer, partner=importer)
    _, key = api_token_create(actor=importer_officer, name="http")
    body, content_type = _multipart(
        {"msc_id": "3.9"}, {"file": ("policy.pdf", PDF, "application/octet-stream")}
    )
    request = urllib.request.Request(
        f"{live_server.url}{_url(profile)}",
        data=body,
        method="POST",
        headers={"Authorization": f"Token {key}", "Content-Type": content_type},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201
        created = json.loads(response.read())
    download = urllib.request.Request(
        created["download_url"], headers={"Authorization": f"Token {key}"}
    )
    with urllib.request.urlopen(download, timeout=30) as response:
        assert response.read() == PDF
        assert response.headers["Content-Type"] == "application/pdf"
    anonymous = urllib.request.Request(created["download_url"])
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(anonymous, timeout=30)
    assert refused.value.code == 401

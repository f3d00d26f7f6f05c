"""Application documents over the API: multipart upload for a document question, list,
download, removal from a draft, and documents sent with a response to CBP's questions."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctpat.core.models import AuditEvent
from ctpat.tradecompliance.models import ApplicationDocument

from .factories import PDF_BYTES, pdf

pytestmark = pytest.mark.django_db


def url(application, action="documents/"):
    return f"/api/tc-applications/{application.public_id}/{action}"


def _stored(media_root) -> list[Path]:
    root = Path(media_root)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_an_officer_uploads_lists_downloads_and_removes_a_document(
    api_client, draft, validated_officer, media_root
):
    client = api_client(validated_officer)

    created = client.post(
        url(draft), {"code": "FL-CODE", "file": pdf("our-code.pdf")}, format="multipart"
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["code"], body["original_name"], body["file_type"]) == (
        "FL-CODE",
        "our-code.pdf",
        "pdf",
    )
    assert body["information_request_round"] is None and body["size"] == len(PDF_BYTES)
    assert AuditEvent.objects.filter(
        action="tradecompliance.application_document_upload", object_id=body["public_id"]
    ).exists()
    listed = client.get(url(draft)).json()
    assert [d["public_id"] for d in listed["results"]] == [body["public_id"]]
    download = client.get(body["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"
    # The application's missing list no longer names the code of conduct document.
    detail = client.get(url(draft, "")).json()
    assert not any("FL-CODE" in str(m) and "document" in str(m) for m in detail["missing"])

    removed = client.delete(url(draft, f"documents/{body['public_id']}/"))

    assert removed.status_code == 204
    assert not ApplicationDocument.objects.filter(public_id=body["public_id"]).exists()
    assert client.get(body["download_url"]).status_code == 404


@pytest.mark.parametrize(
    "data, code",
    [
        ({"code": "IC-ORG", "file": "pdf"}, "not_a_document_question"),
        ({"code": "FL-CODE", "file": ("policy.pdf", b"MZ\x90\x00" + b"\x00" * 40)}, None),
        ({"code": "FL-CODE", "file": ("tool.exe", b"MZ\x90\x00")}, "upload_type_not_allowed"),
        ({"code": "FL-CODE"}, None),
        ({"file": "pdf"}, None),
    ],
)
def test_a_refused_upload_is_a_400_and_nothing_is_stored(
    api_client, draft, validated_officer, media_root, data, code
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = dict(data)
    if body.get("file") == "pdf":
        body["file"] = pdf()
    elif isinstance(body.get("file"), tuple):
        body["file"] = SimpleUploadedFile(*body["file"])

    response = api_client(validated_officer).post(url(draft), body, format="multipart")

    assert response.status_code == 400, response.content
    if code:
        assert response.json()["error"]["code"] == code
    assert ApplicationDocument.objects.count() == 0
    assert _stored(media_root) == []


def test_documents_of_a_submitted_application_cannot_change(
    api_client, submitted, validated_officer
):
    client = api_client(validated_officer)
    upload = client.post(url(submitted), {"code": "FL-CODE", "file": pdf()}, format="multipart")
    assert upload.status_code == 409
    document = submitted.documents.first()
    removal = client.delete(url(submitted, f"documents/{document.public_id}/"))
    assert removal.status_code == 409
    assert submitted.documents.count() == 2


def test_another_company_sees_nothing_and_cbp_reads_only(
    api_client, submitted, validated_officer, manufacturer_officer, nam
):
    document = submitted.documents.first()
    download = url(submitted, f"documents/{document.public_id}/download/")
    other = api_client(manufacturer_officer)
    assert other.get(url(submitted)).status_code == 404
    assert other.get(download).status_code == 404
    assert (
        other.post(
            url(submitted), {"code": "FL-CODE", "file": pdf()}, format="multipart"
        ).status_code
        == 404
    )

    assert other.delete(url(submitted, f"documents/{document.public_id}/")).status_code == 404

    cbp = api_client(nam)
    assert cbp.get(url(submitted)).json()["count"] == 2
    assert cbp.get(download).status_code == 200
    assert submitted.documents.count() == 2


def test_cbp_cannot_remove_a_draft_document(api_client, draft, validated_officer, nam):
    client = api_client(validated_officer)
    body = client.post(url(draft), {"code": "FL-CODE", "file": pdf()}, format="multipart").json()
    refused = api_client(nam).delete(url(draft, f"documents/{body['public_id']}/"))
    assert refused.status_code in (403, 404)
    assert ApplicationDocument.objects.filter(public_id=body["public_id"]).exists()


def test_malformed_multipart_bodies_are_json_errors(
    api_client, under_review, nam, validated_officer
):
    from ctpat.tradecompliance import services

    services.application_request_information(
        actor=nam, application=under_review, questions="Send everything."
    )
    client = api_client(validated_officer)
    as_text = client.post(
        url(under_review, "respond/"),
        {"response": "Here.", "documents": "not a file"},
        format="multipart",
    )
    assert as_text.status_code == 400
    assert all(isinstance(m, str) for m in as_text.json()["error"]["fields"]["documents"])
    many = client.post(
        url(under_review, "respond/"),
        {"response": "Here.", "documents": [pdf(f"d{i}.pdf") for i in range(101)]},
        format="multipart",
    )
    assert many.status_code == 400
    assert many["Content-Type"] == "application/json"
    assert many.json()["error"]["code"] == "malformed_request"
    under_review.refresh_from_db()
    assert under_review.status == "information_requested"


def test_a_response_can_carry_documents_and_a_bad_one_sends_nothing(
    api_client, under_review, nam, validated_officer, media_root
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ctpat.tradecompliance import services

    services.application_request_information(
        actor=nam, application=under_review, questions="Send your last self-test."
    )
    client = api_client(validated_officer)
    before = len(_stored(media_root))

    refused = client.post(
        url(under_review, "respond/"),
        {
            "response": "Attached.",
            "documents": [pdf("self-test.pdf"), SimpleUploadedFile("x.pdf", b"MZ\x90\x00" * 10)],
        },
        format="multipart",
    )

    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["documents"]
    under_review.refresh_from_db()
    assert under_review.status == "information_requested"
    assert len(_stored(media_root)) == before

    sent = client.post(
        url(under_review, "respond/"),
        {"response": "Attached.", "documents": [pdf("self-test.pdf"), pdf("training.pdf")]},
        format="multipart",
    )

    assert sent.status_code == 200, sent.content
    assert sent.json()["status"] == "response_submitted"
    sent_docs = [
        d for d in client.get(url(under_review)).json()["results"] if d["information_request_round"]
    ]
    assert sorted(d["original_name"] for d in sent_docs) == ["self-test.pdf", "training.pdf"]
    # Sent documents stay on file.
    kept = client.delete(url(under_review, f"documents/{sent_docs[0]['public_id']}/"))
    assert kept.status_code == 409
    assert ApplicationDocument.objects.filter(public_id=sent_docs[0]["public_id"]).exists()


def test_a_json_response_still_works_and_cannot_smuggle_documents(
    api_client, under_review, nam, validated_officer
):
    from ctpat.tradecompliance import services

    services.application_request_information(
        actor=nam, application=under_review, questions="Who tests?"
    )
    client = api_client(validated_officer)
    smuggled = client.post(
        url(under_review, "respond/"),
        {"response": "Audit.", "documents": ["a.pdf"]},
        format="json",
    )
    assert smuggled.status_code == 400
    assert smuggled.json()["error"]["code"] == "unknown_fields"
    plain = client.post(url(under_review, "respond/"), {"response": "Audit."}, format="json")
    assert plain.status_code == 200

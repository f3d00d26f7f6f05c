"""How the API refuses: JSON errors with stable codes, 4xx never 5xx, and nothing written.

Authentication (tokens, sessions, two-factor, CSRF), malformed bodies, content types, sizes,
unknown URLs, and the public schema and Swagger UI pages.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ctpat.accounts.services import api_token_create, api_token_revoke
from ctpat.core.models import AuditEvent
from ctpat.core.services import audit_record, service
from ctpat.partners.models import Partner, SVIConnection


def error_code(response) -> str:
    return response.json()["error"]["code"]


def written() -> tuple[int, int, int]:
    return AuditEvent.objects.count(), Partner.objects.count(), SVIConnection.objects.count()


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@service
def expire_token(*, actor, token):
    """Test helper: make ``token`` expired, through an audited write like any other."""
    token.expires_at = timezone.now() - timedelta(minutes=1)
    token.save(update_fields=["expires_at"])
    audit_record(actor=actor, action="test.expire_token", obj=token)
    return token


# --- Authentication ----------------------------------------------------------------------------


def test_given_no_credentials_when_calling_the_api_then_401_not_authenticated(db):
    response = APIClient().get("/api/partners/")
    assert response.status_code == 401
    assert error_code(response) == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("header", ["Token not-a-real-key", "Token", "Token a b"])
def test_given_a_bad_token_header_when_calling_the_api_then_401(header, db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/me/")
    assert response.status_code == 401
    assert error_code(response) == "authentication_failed"


def test_given_a_revoked_token_when_calling_the_api_then_401(importer_officer):
    token, key = api_token_create(actor=importer_officer, name="laptop")
    assert token_client(key).get("/api/me/").status_code == 200
    api_token_revoke(actor=importer_officer, token=token)
    response = token_client(key).get("/api/me/")
    assert response.status_code == 401
    assert error_code(response) == "authentication_failed"


def test_given_an_expired_token_when_calling_the_api_then_401(importer_officer):
    token, key = api_token_create(actor=importer_officer, name="old")
    expire_token(actor=importer_officer, token=token)
    response = token_client(key).get("/api/me/")
    assert response.status_code == 401
    assert error_code(response) == "authentication_failed"


def test_given_a_cbp_session_without_two_factor_when_calling_the_api_then_403(cbp_admin):
    client = APIClient()
    client.force_login(cbp_admin)
    response = client.get("/api/partners/")
    assert response.status_code == 403
    assert error_code(response) == "two_factor_required"


def test_given_a_cbp_session_that_passed_two_factor_when_calling_the_api_then_200(cbp_admin, login):
    response = login(cbp_admin).get("/api/me/")
    assert response.status_code == 200
    assert response.json()["role"] == "cbp_admin"


def test_given_a_cbp_token_when_calling_the_api_then_no_session_two_factor_is_needed(
    cbp_admin, api_client
):
    # api_token_create demands an enrolled second factor, so a token already implies one.
    assert api_client(cbp_admin).get("/api/partners/").status_code == 200


def test_given_a_partner_session_when_calling_the_api_then_200_without_two_factor(
    importer_officer,
):
    client = APIClient()
    client.force_login(importer_officer)
    assert client.get("/api/me/").status_code == 200


def test_given_a_session_write_without_csrf_token_when_posting_then_403_csrf_failed(
    importer_officer, manufacturer
):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(importer_officer)
    before = written()
    response = client.post(
        "/api/svi-connections/", {"target": manufacturer.public_id}, format="json"
    )
    assert response.status_code == 403
    assert error_code(response) == "csrf_failed"
    assert written() == before


def test_given_a_session_write_with_its_csrf_token_when_posting_then_accepted(
    importer_officer, manufacturer
):
    request = RequestFactory().get("/")
    token = get_token(request)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(importer_officer)
    client.cookies[settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"]
    response = client.post(
        "/api/svi-connections/",
        {"target": manufacturer.public_id},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201


# --- Malformed requests ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ('{"target": ', "malformed_request"),
        ('{"target": NaN}', "malformed_request"),
        (b'{"target": "\xff"}', "malformed_request"),
        ("[" * 200_000 + "]" * 200_000, "malformed_request"),
        ('["a list"]', "invalid"),
        ('"a string"', "invalid"),
        ("null", "invalid"),
    ],
    ids=["truncated", "nan", "not-utf8", "nested-too-deep", "list", "string", "null"],
)
def test_given_a_malformed_json_body_when_posting_then_400_and_nothing_written(
    body, code, api_client, importer_officer
):
    client = api_client(importer_officer)
    before = written()
    response = client.post("/api/svi-connections/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert error_code(response) == code
    assert written() == before


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", "target=CT-0000000000"),
        ("text/plain", '{"target": "CT-0000000000"}'),
        ("application/xml", "<target/>"),
    ],
)
def test_given_a_body_that_is_not_json_when_posting_then_415(
    content_type, body, api_client, importer_officer
):
    client = api_client(importer_officer)
    before = written()
    response = client.post("/api/svi-connections/", data=body, content_type=content_type)
    assert response.status_code == 415
    assert error_code(response) == "unsupported_media_type"
    assert written() == before


def test_given_a_body_over_the_size_limit_when_posting_then_413_and_nothing_written(
    api_client, importer_officer, manufacturer
):
    client = api_client(importer_officer)
    padding = "x" * settings.CTPAT_MAX_REQUEST_BYTES
    body = json.dumps({"target": manufacturer.public_id, "message": padding})
    before = written()
    response = client.post("/api/svi-connections/", data=body, content_type="application/json")
    assert response.status_code == 413
    assert error_code(response) == "payload_too_large"
    assert written() == before


def test_given_an_unknown_api_url_when_requested_then_json_404(api_client, importer_officer):
    response = api_client(importer_officer).get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert error_code(response) == "not_found"


@pytest.mark.parametrize("public_id", ["CT-DOESNOTEXIST", "%00", "CT%2F1", "ct-ünïcode", "CT-1%0A"])
def test_given_an_id_that_matches_nothing_when_requested_then_json_404(
    public_id, api_client, cbp_admin
):
    response = api_client(cbp_admin).get(f"/api/partners/{public_id}/")
    assert response.status_code == 404
    assert error_code(response) == "not_found"


def test_given_a_method_the_endpoint_lacks_when_called_then_405(api_client, importer_officer):
    response = api_client(importer_officer).delete("/api/me/")
    assert response.status_code == 405
    assert error_code(response) == "method_not_allowed"


def test_given_a_nul_byte_in_a_filter_when_listing_then_400(api_client, cbp_admin):
    response = api_client(cbp_admin).get("/api/partners/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert error_code(response) == "invalid"


# --- Schema and documentation -------------------------------------------------------------------


def test_given_anyone_when_fetching_the_schema_then_openapi_yaml_or_json(db):
    client = APIClient()
    assert reverse("api-schema") == "/api/schema/"
    yaml_response = client.get("/api/schema/")
    assert yaml_response.status_code == 200
    assert yaml_response.content.startswith(b"openapi: 3")
    json_response = client.get("/api/schema/?format=json")
    schema = json_response.json()
    assert "/api/partners/{public_id}/transitions/" in schema["paths"]
    assert "Error" in schema["components"]["schemas"]


def test_given_a_bad_token_when_fetching_the_schema_then_it_is_still_public(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token nonsense")
    assert client.get("/api/schema/").status_code == 200


def test_given_the_docs_page_when_loaded_then_no_inline_script_and_its_script_is_served(db):
    client = APIClient()
    page = client.get(reverse("api-docs"))
    assert page.status_code == 200
    assert "script-src 'self'" in page["Content-Security-Policy"]
    html = page.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script breaks the CSP"
    assert "<style" not in html
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert "/api/docs/?script=" in sources
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    for source in sources:
        if source.startswith("/static/"):
            assert client.get(source).status_code == 200, source


@pytest.mark.parametrize(
    "query",
    [
        "page=",
        "page=0",
        "page=abc",
        "page=last",
        "page=" + "9" * 5000,
        "page_size=",
        "page_size=0",
        "page_size=501",
        "page_size=-1",
        "page_size=1.5",
    ],
)
def test_given_malformed_paging_when_listing_then_400(query, api_client, cbp_admin):
    response = api_client(cbp_admin).get(f"/api/partners/?{query}")
    assert response.status_code == 400
    assert error_code(response) == "invalid"


def test_given_a_page_past_the_end_when_listing_then_404(api_client, cbp_admin):
    response = api_client(cbp_admin).get("/api/partners/?page=99")
    assert response.status_code == 404
    assert error_code(response) == "not_found"


@pytest.mark.parametrize(
    "path",
    [
        "identifiers/?active=",
        "identifiers/?active=maybe",
        "identifiers/?kind=",
        "partners/?ordering=,,,",
        "partners/?ordering=name,",
        "partners/?status=",
        "audit-events/?occurred_after=",
    ],
)
def test_given_an_empty_or_meaningless_filter_when_listing_then_400(path, api_client, cbp_admin):
    response = api_client(cbp_admin).get(f"/api/{path}")
    assert response.status_code == 400
    assert error_code(response) == "invalid"


@pytest.mark.parametrize("method", ["options", "post"])
def test_given_another_method_when_calling_the_docs_page_then_405_not_500(method, db):
    response = getattr(APIClient(), method)("/api/docs/")
    assert response.status_code == 405

"""API tokens work as ``Authorization: Token <key>`` and as ``Authorization: Bearer <key>``."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from ctpat.accounts.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(importer_officer):
    _, key = api_token_create(actor=importer_officer, name="schemes")
    return key


@pytest.mark.parametrize("scheme", ["Token", "Bearer", "bearer", "BEARER"])
def test_both_schemes_authenticate_with_the_same_key(scheme, key, importer_officer):
    client = APIClient()
    response = client.get("/api/me/", HTTP_AUTHORIZATION=f"{scheme} {key}")
    assert response.status_code == 200
    assert response.json()["username"] == importer_officer.username


@pytest.mark.parametrize("scheme", ["Token", "Bearer"])
def test_a_bad_key_is_a_401_json_error(scheme):
    response = APIClient().get("/api/me/", HTTP_AUTHORIZATION=f"{scheme} not-a-real-key")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["message"] == "The API token is not valid: it is unknown, expired or revoked."
    assert response["WWW-Authenticate"]


def test_a_revoked_key_is_refused_with_bearer_too(key, importer_officer):
    from ctpat.accounts.models import ApiToken

    api_token_revoke(actor=importer_officer, token=ApiToken.objects.get(user=importer_officer))
    response = APIClient().get("/api/me/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer two parts", "Token"], ids=["no key", "spaces", "token no key"]
)
def test_a_malformed_header_says_how_to_send_the_key(header):
    response = APIClient().get("/api/me/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert "Authorization: Bearer <key>" in response.json()["error"]["message"]


def test_another_scheme_is_not_ours_and_gets_401_unauthenticated():
    response = APIClient().get("/api/me/", HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")


def test_the_schema_documents_both_schemes(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "The same API token, sent as `Authorization: Bearer <key>`.",
    }
    assert schemes["tokenAuth"]["name"] == "Authorization"

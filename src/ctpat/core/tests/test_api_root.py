"""``GET /api/``: the API's resources with absolute links, and links to the schema and docs."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_the_root_lists_resources_with_absolute_urls_and_links_schema_and_docs():
    response = APIClient().get("/api/")
    assert response.status_code == 200
    body = response.json()
    resources = body["resources"]
    for name in ("partners", "audit-events", "notifications", "tc-applications", "resources"):
        assert resources[name] == f"http://testserver/api/{name}/"
    assert body["schema"] == "http://testserver/api/schema/"
    assert body["docs"] == "http://testserver/api/docs/"
    assert "Bearer" in body["authentication"]
    # Only endpoints without parameters that answer GET; not POST-only actions.
    assert "notifications/read-all" not in resources
    assert all("{" not in url and "<" not in url for url in resources.values())


def test_every_listed_resource_answers_an_authenticated_get(api_client, importer_officer):
    client = api_client(importer_officer)
    for name, url in APIClient().get("/api/").json()["resources"].items():
        assert client.get(url).status_code in (200, 403), name


def test_the_root_is_in_the_schema(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/"]["get"]
    assert operation.get("security", [{}]) in ([], [{}])  # no credentials needed
    root = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert root.endswith("/ApiRoot")


def test_the_root_is_walked_by_the_isolation_matrix():
    from tests.isolation.test_tenant_isolation import ROUTES

    assert "api-root" in {route.name for route in ROUTES}


def test_the_docs_page_declares_its_language_and_needs_no_inline_code(client):
    response = client.get("/api/docs/")
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "<style" not in body and "<script>" not in body
    assert "script-src 'self'" in response["Content-Security-Policy"]
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200

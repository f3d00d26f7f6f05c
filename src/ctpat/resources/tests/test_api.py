"""Resources API: search, detail, revisions, curation and shares, with the pages' rules."""

from __future__ import annotations

import pytest

from ctpat.resources import services
from ctpat.resources.models import Resource, ResourceShare

pytestmark = pytest.mark.django_db


def test_members_list_published_resources_with_their_audience_first(
    api_client, importer_officer, make_resource
):
    make_resource("For carriers", audiences=["sea_carrier"])
    make_resource("For importers", audiences=["importer"])
    make_resource("A draft", publish=False)
    response = api_client(importer_officer).get("/api/resources/")
    assert response.status_code == 200
    titles = [r["revision"]["title"] for r in response.json()["results"]]
    assert titles == ["For importers", "For carriers"]
    assert response.json()["results"][0]["state"] == "published"


def test_the_api_search_uses_the_same_filterset(api_client, importer_officer, make_resource):
    make_resource("UFLPA entity list", kind="link")
    make_resource("Reasonable care", kind="guidance")
    c = api_client(importer_officer)
    assert [r["revision"]["title"] for r in c.get("/api/resources/?q=uflpa").json()["results"]] == [
        "UFLPA entity list"
    ]
    assert c.get("/api/resources/?kind=guidance").json()["count"] == 1
    refused = c.get("/api/resources/?kind=")
    assert refused.status_code == 400 and refused.json()["error"]["fields"]["kind"]


def test_a_draft_is_404_for_members_and_readable_by_cbp(
    api_client, importer_officer, cbp_admin, make_resource
):
    draft = make_resource(publish=False)
    assert api_client(importer_officer).get(f"/api/resources/{draft.public_id}/").status_code == 404
    body = api_client(cbp_admin).get(f"/api/resources/{draft.public_id}/").json()
    assert body["state"] == "draft" and body["live_revision"] is None


def test_a_cbp_admin_creates_revises_publishes_and_retires(api_client, cbp_admin):
    c = api_client(cbp_admin)
    created = c.post(
        "/api/resources/",
        {
            "title": "API resource",
            "kind": "link",
            "external_url": "https://www.dhs.gov/uflpa-entity-list",
            "audiences": ["all_members"],
            "topics": ["forced_labor"],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    rid = created.json()["id"]
    revised = c.patch(
        f"/api/resources/{rid}/", {"title": "Renamed", "change_note": "x"}, format="json"
    )
    assert revised.status_code == 200
    assert revised.json()["revision"]["number"] == 2 and revised.json()["state"] == "draft"
    published = c.post(f"/api/resources/{rid}/publish/", {}, format="json")
    assert published.json()["state"] == "published"
    history = c.get(f"/api/resources/{rid}/revisions/").json()["results"]
    assert [h["number"] for h in history] == [3, 2, 1]
    assert {"field": "title", "summary": "changed"} in history[1]["changes"]
    retired = c.post(f"/api/resources/{rid}/retire/", {"reason": "Old"}, format="json")
    assert retired.json()["state"] == "retired"


def test_bad_input_gets_a_clear_error_with_fields(api_client, cbp_admin):
    response = api_client(cbp_admin).post(
        "/api/resources/",
        {
            "title": "",
            "kind": "guidance",
            "external_url": "ftp://x.gov/a",
            "audiences": ["importer"],
        },
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_resource"
    assert set(error["fields"]) == {"title", "external_url"}
    assert not Resource.objects.exists()


def test_unknown_tags_are_refused(api_client, cbp_admin):
    response = api_client(cbp_admin).post(
        "/api/resources/",
        {"title": "T", "kind": "guidance", "audiences": ["martians"]},
        format="json",
    )
    assert response.status_code == 400
    assert "audiences" in response.json()["error"]["fields"]


def test_members_cannot_curate(api_client, importer_officer, published):
    c = api_client(importer_officer)
    assert c.post("/api/resources/", {}, format="json").status_code == 403
    assert (
        c.patch(f"/api/resources/{published.public_id}/", {"title": "x"}, format="json").status_code
        == 403
    )
    assert (
        c.post(
            f"/api/resources/{published.public_id}/retire/", {"reason": "x"}, format="json"
        ).status_code
        == 403
    )


def test_a_broker_shares_through_the_api(
    api_client, broker_officer, client_partner, published, importer_officer
):
    response = api_client(broker_officer).post(
        "/api/resource-shares/",
        {"resource": published.public_id, "clients": [client_partner.public_id], "note": "FYI"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    [share] = response.json()
    assert share["client"]["name"] == "Acme Imports Inc."
    assert share["broker"]["name"] == "Gulf Test Brokerage"
    received = api_client(importer_officer).get("/api/resource-shares/").json()
    assert [s["id"] for s in received["results"]] == [share["id"]]
    detail = api_client(importer_officer).get(f"/api/resources/{published.public_id}/").json()
    assert detail["shared_with_you_by"] == ["Gulf Test Brokerage"]


def test_sharing_refusals(
    api_client, broker_officer, importer_officer, client_partner, published, manufacturer
):
    body = {"resource": published.public_id, "clients": [manufacturer.public_id]}
    stranger = api_client(broker_officer).post("/api/resource-shares/", body, format="json")
    assert stranger.status_code == 400 and stranger.json()["error"]["code"] == "not_a_client"
    non_broker = api_client(importer_officer).post("/api/resource-shares/", body, format="json")
    assert non_broker.status_code == 403 and non_broker.json()["error"]["code"] == "not_a_broker"
    missing = api_client(broker_officer).post(
        "/api/resource-shares/", {"resource": "RES-NOPE", "clients": []}, format="json"
    )
    assert missing.status_code == 400
    assert not ResourceShare.objects.exists()


def test_shares_are_invisible_to_other_tenants(
    api_client, shared, manufacturer_officer, make_user, cbp_org
):
    other = api_client(manufacturer_officer)
    assert other.get("/api/resource-shares/").json()["count"] == 0
    assert other.get(f"/api/resource-shares/{shared.public_id}/").status_code == 404
    cbp = api_client(make_user("scss", organization=cbp_org))
    assert cbp.get(f"/api/resource-shares/{shared.public_id}/").status_code == 200


def test_members_see_only_published_revisions_in_the_history(
    api_client, importer_officer, published, cbp_admin
):
    services.resource_revise(actor=cbp_admin, resource=published, title="Draft")
    history = api_client(importer_officer).get(f"/api/resources/{published.public_id}/revisions/")
    assert [h["number"] for h in history.json()["results"]] == [1]


def test_a_number_where_text_belongs_is_refused_not_converted(api_client, cbp_admin):
    response = api_client(cbp_admin).post(
        "/api/resources/",
        {
            "title": "CTPAT forced labor",
            "kind": "guidance",
            "audiences": ["importer"],
            "change_note": 5,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "change_note" in response.json()["error"]["fields"]
    assert not Resource.objects.exists()


def test_the_api_history_hides_an_earlier_revision_written_only_for_cbp_staff(
    api_client, importer_officer, cbp_admin, make_resource
):
    resource = make_resource("Internal note", audiences=["cbp_staff"], body="Staff-only text.")
    services.resource_revise(
        actor=cbp_admin, resource=resource, audiences=["all_members"], body="Public.", publish=True
    )
    response = api_client(importer_officer).get(f"/api/resources/{resource.public_id}/revisions/")
    assert response.status_code == 200
    assert [r["number"] for r in response.json()["results"]] == [2]
    assert "Staff-only text" not in response.content.decode()

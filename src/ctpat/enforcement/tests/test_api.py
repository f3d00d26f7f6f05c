"""The API for suspension answers and appeals: list, detail, file, decide — same services."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from .factories import suspended_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_cbp_suspends_and_the_officer_answers_with_a_document(
    api_client, scss, importer, importer_officer
):
    created = api_client(scss).post(
        "/api/suspension-cases/",
        {
            "partner": importer.public_id,
            "letter": "Seals.",
            "required_actions": ["unannounced_visits"],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    case_id = created.json()["public_id"]

    answered = api_client(importer_officer).post(
        f"/api/suspension-cases/{case_id}/answer/",
        {
            "answer_unannounced_visits": "We consent.",
            "documents": [SimpleUploadedFile("c.txt", b"ok")],
        },
        format="multipart",
    )

    assert answered.status_code == 201, answered.json()
    body = answered.json()
    assert body["state"] == "answered"
    [document] = body["answers"][0]["documents"]
    download = api_client(scss).get(document["download_url"])
    assert download.status_code == 200


def test_an_incomplete_answer_is_a_json_error_naming_the_field(api_client):
    _, officer, case = suspended_member()
    response = api_client(officer).post(
        f"/api/suspension-cases/{case.public_id}/answer/",
        {"answer_corrective_action_plan": "Plan."},
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert "answer_unannounced_visits" in error["fields"]


def test_cbp_reinstates_through_the_api(api_client, scss):
    _, officer, case = suspended_member(status="validated")
    response = api_client(scss).post(
        f"/api/suspension-cases/{case.public_id}/decide/",
        {"decision": "reinstate", "reason": "Plan accepted."},
        format="json",
    )
    assert response.status_code == 200 and response.json()["state"] == "reinstated"


def test_appeals_are_listed_filed_and_decided(api_client, cbp_admin):
    partner, officer, _ = suspended_member(status="validated")
    filed = api_client(officer).post(
        "/api/appeals/",
        {
            "partner": partner.public_id,
            "grounds": "Wrong findings.",
            "documents": [SimpleUploadedFile("g.txt", b"g")],
        },
        format="multipart",
    )
    assert filed.status_code == 201, filed.json()
    appeal = filed.json()
    assert appeal["basis"] == "benefits" and appeal["days_left"] == 180
    assert len(appeal["documents"]) == 1

    listed = api_client(officer).get("/api/appeals/").json()
    assert [a["public_id"] for a in listed["results"]] == [appeal["public_id"]]
    assert api_client(officer).get(f"/api/appeals/{appeal['public_id']}/").status_code == 200

    decided = api_client(cbp_admin).post(
        f"/api/appeals/{appeal['public_id']}/decide/",
        {"outcome": "modified", "resulting_status": "certified", "reason": "Tier I."},
        format="json",
    )
    assert decided.status_code == 200, decided.json()
    assert decided.json()["resulting_status"] == "certified"
    partner.refresh_from_db()
    assert partner.status == "certified"


def test_a_late_appeal_is_refused_with_the_statute(api_client):
    partner, officer, _ = suspended_member(days_ago=91)
    response = api_client(officer).post(
        "/api/appeals/", {"partner": partner.public_id, "grounds": "x"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "appeal_too_late"
    assert "967(c)(1)" in response.json()["error"]["message"]


def test_immediate_removal_through_the_api_is_for_program_admins(
    api_client, scss, cbp_admin, importer
):
    body = {"partner": importer.public_id, "reason": "Aggravated."}
    assert api_client(scss).post("/api/immediate-removals/", body, format="json").status_code == 403
    response = api_client(cbp_admin).post("/api/immediate-removals/", body, format="json")
    assert response.status_code == 201 and response.json()["status"] == "removed"


@pytest.mark.parametrize("role", ["partner_compliance", "nam"])
def test_roles_that_may_read_but_not_act(role, api_client, make_user, cbp_org):
    partner, officer, case = suspended_member()
    org = cbp_org if role == "nam" else partner.organization
    client = api_client(make_user(role, organization=org))
    assert client.get(f"/api/suspension-cases/{case.public_id}/").status_code == 200
    answer = client.post(
        f"/api/suspension-cases/{case.public_id}/answer/",
        {"answer_corrective_action_plan": "x", "answer_unannounced_visits": "y"},
        format="json",
    )
    assert answer.status_code == 403
    decide = client.post(
        f"/api/suspension-cases/{case.public_id}/decide/",
        {"decision": "reinstate", "reason": "x"},
        format="json",
    )
    assert decide.status_code == 403

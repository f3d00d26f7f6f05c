"""Trade Compliance applications over the API: same services, same permissions."""

from __future__ import annotations

import pytest

from ctpat.tradecompliance.models import Application

from .factories import CODE_OF_CONDUCT_URL, fill_application

pytestmark = pytest.mark.django_db

APPLICATIONS = "/api/tc-applications/"


def url(application, action=""):
    return f"{APPLICATIONS}{application.public_id}/" + (f"{action}/" if action else "")


def test_an_officer_starts_and_saves_answers(api_client, ready_importer, validated_officer):
    client = api_client(validated_officer)

    created = client.post(APPLICATIONS, {}, format="json")

    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "draft" and body["questionnaire_number"] == 1
    application = Application.objects.get(public_id=body["public_id"])
    saved = client.post(
        url(application, "answers"),
        {
            "answers": {"IC-ORG": "Compliance team.", "FL-MAPPING": True},
            "public_urls": {"FL-CODE": CODE_OF_CONDUCT_URL},
        },
        format="json",
    )
    assert saved.status_code == 200
    answers = {a["code"]: a for a in saved.json()["answers"]}
    assert answers["IC-ORG"]["text"] == "Compliance team."
    assert answers["FL-CODE"]["public_url"] == CODE_OF_CONDUCT_URL
    assert {m["step"] for m in saved.json()["missing"]} >= {"iors", "mou"}


def test_bad_answers_are_a_400_with_fields(api_client, draft, validated_officer):
    response = api_client(validated_officer).post(
        url(draft, "answers"), {"answers": {"ELIG-01": "maybe"}}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_answers"
    assert "ELIG-01" in response.json()["error"]["fields"]


def test_submit_incomplete_then_complete_then_again(api_client, draft, validated_officer):
    client = api_client(validated_officer)
    incomplete = client.post(url(draft, "submit"), {}, format="json")
    assert incomplete.status_code == 400
    assert incomplete.json()["error"]["code"] == "incomplete"
    assert "forced_labor" in incomplete.json()["error"]["fields"]

    fill_application(draft, validated_officer)
    assert client.post(url(draft, "submit"), {}, format="json").status_code == 200
    again = client.post(url(draft, "submit"), {}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_submitted"


def test_cbp_assigns_requests_information_and_approves(
    api_client, submitted, nam, validated_officer
):
    cbp = api_client(nam)
    partner = api_client(validated_officer)
    assert cbp.get(APPLICATIONS, {"status": "submitted"}).json()["count"] == 1
    assert cbp.post(url(submitted, "assign"), {}, format="json").json()["status"] == "under_review"
    asked = cbp.post(
        url(submitted, "request-information"), {"questions": "Who tests?"}, format="json"
    )
    assert asked.json()["status"] == "information_requested"
    answered = partner.post(
        url(submitted, "respond"), {"response": "Internal audit."}, format="json"
    )
    assert answered.json()["information_requests"][0]["response"] == "Internal audit."

    approved = cbp.post(url(submitted, "approve"), {}, format="json")

    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert partner.get(url(submitted)).json()["account_number"].startswith("TC")
    kinds = [s["kind"] for s in approved.json()["timeline"]]
    assert kinds[-1] == "approved" and "response_submitted" in kinds


def test_wrong_roles_get_403_and_other_tenants_404(
    api_client, under_review, validated_officer, make_partner, make_user
):
    assert (
        api_client(validated_officer)
        .post(url(under_review, "approve"), {}, format="json")
        .status_code
        == 403
    )
    other = make_partner(entity_type="importer", country="US")
    stranger = api_client(make_user("partner_officer", organization=other.organization))
    assert stranger.get(url(under_review)).status_code == 404
    assert stranger.post(url(under_review, "withdraw"), {}, format="json").status_code == 404
    assert stranger.get(APPLICATIONS).json()["count"] == 0
    under_review.refresh_from_db()
    assert under_review.status == "under_review"


def test_a_denial_needs_reasons(api_client, under_review, nam):
    client = api_client(nam)
    assert client.post(url(under_review, "deny"), {}, format="json").status_code == 400
    denied = client.post(url(under_review, "deny"), {"reason": "No self-testing."}, format="json")
    assert (
        denied.json()["status"] == "denied"
        and denied.json()["decision_reason"] == "No self-testing."
    )


def test_unknown_fields_and_status_filters_are_refused(api_client, draft, validated_officer):
    client = api_client(validated_officer)
    assert client.post(url(draft, "submit"), {"force": True}, format="json").status_code == 400
    assert client.get(APPLICATIONS, {"status": "bogus"}).status_code == 400
    assert client.get(APPLICATIONS, {"status": ""}).status_code == 400
    assert client.get(APPLICATIONS).status_code == 200


def test_the_schema_documents_the_application_endpoints(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for action in (
        "answers",
        "submit",
        "assign",
        "request-information",
        "respond",
        "approve",
        "deny",
        "upgrade",
        "sign-mou",
        "iors",
        "withdraw",
    ):
        assert f"/api/tc-applications/{{public_id}}/{action}/" in paths, action

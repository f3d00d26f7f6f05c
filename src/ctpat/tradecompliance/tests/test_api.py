"""Trade Compliance API: the public questionnaire versions, and the caller's readiness."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from ctpat.tradecompliance import questionset

pytestmark = pytest.mark.django_db

VERSIONS = "/api/tc-questionnaires/"
READINESS = "/api/tc-readiness/"


def test_anyone_can_list_the_questionnaire_versions_without_credentials(current):
    response = APIClient().get(VERSIONS)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0] == {
        "public_id": current.public_id,
        "number": 1,
        "label": current.label,
        "notes": current.notes,
        "published_at": body["results"][0]["published_at"],
        "is_current": True,
    }


def test_anyone_can_read_a_version_with_every_section_and_question_in_order(current):
    response = APIClient().get(f"{VERSIONS}{current.public_id}/")

    assert response.status_code == 200
    body = response.json()
    shipped = questionset.read()
    assert [s["key"] for s in body["sections"]] == [s.key for s in shipped.sections]
    assert [q["code"] for s in body["sections"] for q in s["questions"]] == [
        q.code for q in shipped.questions()
    ]
    fl_code = body["sections"][2]["questions"][1]
    assert fl_code["code"] == "FL-CODE" and fl_code["msc_criteria"] == ["3.9"]
    assert fl_code["answer_type"] == "document" and fl_code["confidence"] == "V"
    assert body["sections"][0]["guidance"].startswith("Who can apply.")


def test_an_unknown_version_is_a_json_404(current):
    response = APIClient().get(f"{VERSIONS}TCQV-0000000000/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_questionnaires_are_read_only(current, api_client, cbp_admin):
    response = api_client(cbp_admin).post(VERSIONS, {}, format="json")

    assert response.status_code == 405


def test_readiness_needs_credentials():
    response = APIClient().get(READINESS)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_partner_user_gets_their_company_s_decision_with_every_reason(
    api_client, validated_importer, validated_compliance, current
):
    response = api_client(validated_compliance).get(READINESS)

    assert response.status_code == 200
    body = response.json()
    assert body["partner"]["public_id"] == validated_importer.public_id
    assert body["eligible"] is False
    assert body["code"] == "import_history_not_declared"
    assert [r["code"] for r in body["reasons"]] == [
        "import_history_not_declared",
        "cbp_debt_not_declared",
        "eligibility_questions_unanswered",
    ]
    assert all(r["what_to_do"] and r["source"] for r in body["reasons"])
    assert len(body["checks"]) == 8
    assert body["questionnaire_version"] == current.public_id
    assert body["answers"] == {}
    assert body["facts"] == {
        "import_history_start": None,
        "has_cbp_debt": None,
        "is_non_resident_canadian": False,
    }
    assert body["program_opens_on"] is None


def test_a_ready_company_is_eligible_in_the_api(
    api_client, validated_importer, validated_officer, make_ready
):
    make_ready(validated_importer, validated_officer)

    body = api_client(validated_officer).get(READINESS).json()

    assert body["eligible"] is True and body["code"] == "eligible" and body["reasons"] == []
    assert body["facts"]["import_history_start"] == "2019-05-01"
    assert len(body["answers"]) == 13


def test_an_exporter_is_told_it_is_not_eligible(api_client, make_partner, make_user):
    exporter = make_partner(entity_type="exporter", country="US", status="tier_iii")
    officer = make_user("partner_officer", organization=exporter.organization)

    body = api_client(officer).get(READINESS).json()

    assert body["eligible"] is False
    assert body["reasons"][0]["code"] == "entity_type_not_eligible"
    assert "only for U.S. and non-resident Canadian importers" in body["reasons"][0]["message"]


@pytest.mark.parametrize("role", ["scss", "cbp_admin"])
def test_cbp_users_have_no_own_readiness(api_client, cbp_org, make_user, role):
    response = api_client(make_user(role, organization=cbp_org)).get(READINESS)

    assert response.status_code == 403

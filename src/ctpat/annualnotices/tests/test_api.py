"""ANL API: letters, schedules (file through the API), CBP review, pilot imports."""

from __future__ import annotations

import base64

import pytest
from django.utils import timezone

from ctpat.annualnotices import services
from ctpat.tradecompliance.models import TradeComplianceMembership

from .factories import accepted_for_due_in, content, make_member

pytestmark = pytest.mark.django_db

BODY = {
    "certifies_compliance": True,
    "no_changes": False,
    "changes": [
        {"change_type": "key_personnel", "description": "New CFO", "effective_on": "2026-02-01"}
    ],
    "compliance_contact_name": "Casey",
    "compliance_contact_email": "casey@example.test",
    "officer_name": "Olive",
    "officer_email": "olive@example.test",
    "signed_name": "Olive Officer",
}


def test_an_officer_files_through_the_api_and_a_second_filing_is_409(api_client):
    membership, officer = make_member(accepted_on=accepted_for_due_in(10, timezone.localdate()))
    client = api_client(officer)
    schedule = client.get(f"/api/anl-schedules/{membership.public_id}/").json()
    assert schedule["current"]["status"] == "due_soon" and schedule["filing_open"] is True
    response = client.post(f"/api/anl-schedules/{membership.public_id}/file/", BODY, format="json")
    assert response.status_code == 201, response.content
    letter = response.json()
    assert letter["status"] == "filed" and letter["on_time"] is True
    assert letter["changes"][0]["change_type"] == "key_personnel"
    # The next period is now current: filing "again" files nothing early.
    again = client.post(f"/api/anl-schedules/{membership.public_id}/file/", BODY, format="json")
    assert again.status_code == 400 and again.json()["error"]["code"] == "period_not_open"
    listed = client.get("/api/anl-letters/").json()
    assert [item["public_id"] for item in listed["results"]] == [letter["public_id"]]


def test_invalid_letter_content_is_a_400_with_fields(api_client):
    membership, officer = make_member(accepted_on=accepted_for_due_in(10, timezone.localdate()))
    body = {**BODY, "certifies_compliance": False, "officer_email": "nope"}
    response = api_client(officer).post(
        f"/api/anl-schedules/{membership.public_id}/file/", body, format="json"
    )
    assert response.status_code == 400
    assert {"certifies_compliance", "officer_email"} <= set(response.json()["error"]["fields"])


def test_cbp_lists_every_letter_and_returns_one(api_client, cbp_org, make_user):
    membership, officer = make_member(accepted_on=accepted_for_due_in(10, timezone.localdate()))
    letter = services.anl_letter_file(
        actor=officer, membership=membership, period=0, content=content(), signed_name="O."
    )
    nam = api_client(make_user("nam", organization=cbp_org))
    assert nam.get("/api/anl-letters/").json()["count"] == 1
    missing = nam.post(f"/api/anl-letters/{letter.public_id}/return/", {}, format="json")
    assert missing.status_code == 400
    returned = nam.post(
        f"/api/anl-letters/{letter.public_id}/return/", {"note": "Add the CFO."}, format="json"
    )
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    # The partner cannot acknowledge.
    denied = api_client(officer).post(
        f"/api/anl-letters/{letter.public_id}/acknowledge/", {}, format="json"
    )
    assert denied.status_code == 403


def test_pilot_import_upload_then_commit(api_client, cbp_admin, make_partner):
    partner = make_partner(
        name="Api Pilot Co", entity_type="importer", country="US", status="validated"
    )
    ior = partner.identifiers.get(kind="ior").value
    csv = f"company_name,ior_numbers,accepted_on\nAPI Pilot Co.,{ior},2015-03-03\n".encode()
    client = api_client(cbp_admin)
    created = client.post(
        "/api/anl-pilot-imports/",
        {"file_name": "p.csv", "content_base64": base64.b64encode(csv).decode()},
        format="json",
    )
    assert created.status_code == 201, created.content
    record = created.json()
    assert record["status"] == "validated" and record["rows"][0]["partner"] == partner.public_id
    committed = client.post(
        f"/api/anl-pilot-imports/{record['public_id']}/commit/", {}, format="json"
    )
    assert committed.status_code == 200 and committed.json()["status"] == "committed"
    assert TradeComplianceMembership.objects.get(partner=partner).origin == "pilot_migration"


def test_pilot_import_refuses_bad_files_and_non_admins(api_client, cbp_admin, cbp_org, make_user):
    client = api_client(cbp_admin)
    bad = client.post(
        "/api/anl-pilot-imports/",
        {"file_name": "p.csv", "content_base64": base64.b64encode(b"\xff\xfe\x00x").decode()},
        format="json",
    )
    assert bad.status_code == 400 and "file" in bad.json()["error"]["fields"]
    nam = api_client(make_user("nam", organization=cbp_org))
    assert nam.get("/api/anl-pilot-imports/").status_code == 403


def test_a_letter_cbp_returned_is_corrected_and_filed_again_through_the_api(
    api_client, cbp_org, make_user
):
    membership, officer = make_member(accepted_on=accepted_for_due_in(10, timezone.localdate()))
    letter = services.anl_letter_file(
        actor=officer, membership=membership, period=0, content=content(), signed_name="O."
    )
    services.anl_letter_return(
        actor=make_user("nam", organization=cbp_org), letter=letter, reasons="Add the CFO."
    )
    client = api_client(officer)
    refiled = client.post(f"/api/anl-schedules/{membership.public_id}/file/", BODY, format="json")
    assert refiled.status_code == 201, refiled.content
    assert refiled.json()["public_id"] == letter.public_id
    letter.refresh_from_db()
    assert letter.status == "filed" and letter.filed_count == 2

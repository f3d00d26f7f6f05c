"""Security-profile API: profile with gaps, answers list/update, submit (gaps, twice), decision."""

from __future__ import annotations

from django.utils import timezone

from ctpat.profiles import services


def _url(profile, suffix=""):
    return f"/api/security-profiles/{profile.public_id}/{suffix}"


def test_profile_detail_has_completeness_and_gaps(api_client, profile, importer_officer):
    services.answer_save(actor=importer_officer, profile=profile, msc_id="3.9", answer="no")
    body = api_client(importer_officer).get(_url(profile)).json()
    assert body["status"] == "draft" and body["answered"] == 1 and body["applicable"] > 50
    gap = next(g for g in body["must_gaps"] if g["msc_id"] == "3.9")
    assert gap == {
        "msc_id": "3.9",
        "kind": "must",
        "reason": "answered_no",
        "level": "must",
        "on_date": timezone.localdate().isoformat(),
        "message": f"3.9 (Must on {timezone.localdate().isoformat()}) is answered No.",
    }


def test_answers_are_listed_and_updated(api_client, profile, compliance_user):
    client = api_client(compliance_user)
    response = client.post(
        _url(profile, "answers/"),
        {"msc_id": "3.9", "answer": "yes", "narrative": "Policy."},
        format="json",
    )
    assert response.status_code == 200
    row = next(r for r in response.json() if r["msc_id"] == "3.9")
    assert (row["answer"], row["narrative"], row["gap"]) == ("yes", "Policy.", None)
    assert row["answered_version"]
    bad = client.post(_url(profile, "answers/"), {"msc_id": "3.9", "answer": "x"}, format="json")
    assert bad.status_code == 400
    unknown = client.post(
        _url(profile, "answers/"), {"msc_id": "3.9", "answer": "yes", "extra": 1}, format="json"
    )
    assert unknown.status_code == 400


def test_submit_with_gaps_then_twice_then_decide(
    api_client, profile, importer_officer, answer_all, scss
):
    client = api_client(importer_officer)
    answer_all(profile, importer_officer, {"3.9": "no"})
    refused = client.post(_url(profile, "submit/"), {}, format="json")
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "must_gaps" and error["fields"]["must_gaps"][0].startswith("3.9 (Must")
    services.answer_save(actor=importer_officer, profile=profile, msc_id="3.9", answer="yes")
    version = client.get(_url(profile)).json()["lock_version"]
    ok = client.post(_url(profile, "submit/"), {"expected_version": version}, format="json")
    assert ok.status_code == 201 and ok.json()["kind"] == "profile"
    again = client.post(_url(profile, "submit/"), {"expected_version": version}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_submitted"

    assert (
        client.post(_url(profile, "decision/"), {"decision": "approve"}, format="json").status_code
        == 403
    )
    decided = api_client(scss).post(
        _url(profile, "decision/"), {"decision": "approve"}, format="json"
    )
    assert decided.status_code == 200 and decided.json()["decision"] == "approve"
    assert client.get(_url(profile)).json()["status"] == "approved"


def test_lists_are_tenant_scoped(api_client, profile, manufacturer_officer, scss):
    assert api_client(manufacturer_officer).get("/api/security-profiles/").json()["results"] == []
    ids = [
        p["public_id"] for p in api_client(scss).get("/api/security-profiles/").json()["results"]
    ]
    assert ids == [profile.public_id]
    assert api_client(manufacturer_officer).get(_url(profile)).status_code == 404

"""Appeals of Trade Compliance decisions in pages and API: the links from the Trade Compliance
pages, the filing form's choice of decision, the decision form, JSON errors, and who may do what."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from ctpat.enforcement.models import Appeal
from ctpat.tradecompliance.models import TradeComplianceMembership

from .factories import suspended_member
from .tc_factories import tc_denied_application, tc_suspended_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _file_url(partner, ref=""):
    url = reverse("enforcement:appeal_file", args=[partner.public_id])
    return f"{url}?decision={ref}" if ref else url


def test_the_denied_application_page_links_its_officer_to_the_appeal(login, make_user):
    partner, officer, nam, application = tc_denied_application()
    compliance = make_user("partner_compliance", organization=partner.organization)
    page_url = reverse("tradecompliance:application_detail", args=[application.public_id])
    link = _file_url(partner, f"tc_application:{application.public_id}").encode()

    assert link in login(officer).get(page_url).content
    assert link not in login(compliance).get(page_url).content
    assert link not in login(nam).get(page_url).content


def test_the_suspended_members_dashboard_offers_the_appeal(login):
    partner, officer, membership = tc_suspended_member(days_ago=3)

    page = login(officer).get("/").content.decode()

    assert f"?decision=tc_membership:{membership.public_id}" in page
    assert "Appeal this decision" in page


def test_the_officer_files_a_denial_appeal_from_the_link_and_cbp_reverses_it(login, cbp_admin):
    partner, officer, _, application = tc_denied_application()
    ref = f"tc_application:{application.public_id}"
    client = login(officer)

    form = client.get(_file_url(partner, ref))
    assert form.status_code == 200
    assert f"Denial of the Trade Compliance application {application.public_id}" in (
        form.content.decode()
    )
    response = client.post(
        _file_url(partner, ref), {"decision": ref, "grounds": "The report was attached."}
    )

    appeal = Appeal.objects.get()
    assert response.status_code == 302 and appeal.tc_application == application
    detail = login(cbp_admin).get(reverse("enforcement:appeal_detail", args=[appeal.public_id]))
    assert b"the application is approved" in detail.content
    assert b'name="resulting_status"' not in detail.content

    decided = login(cbp_admin).post(
        reverse("enforcement:appeal_decide", args=[appeal.public_id]),
        {"outcome": "reversed", "reason": "The report was on file."},
    )

    assert decided.status_code == 302
    assert TradeComplianceMembership.objects.filter(partner=partner).exists()
    page = login(officer).get(reverse("enforcement:appeal_detail", args=[appeal.public_id]))
    assert b"status now Approved" in page.content


def test_with_two_decisions_open_the_officer_must_choose(login):
    partner, officer, _ = suspended_member(days_ago=2)
    from ctpat.tradecompliance import services as tc_services
    from ctpat.tradecompliance.tests.factories import ior_values

    membership = tc_services.membership_grant(
        actor=None,
        partner=partner,
        accepted_on=timezone.localdate() - timedelta(days=300),
        origin="recorded",
        ior_numbers=ior_values(partner),
    )
    tc_services.membership_transition(
        actor=None, membership=membership, target="suspended", reason="No letter."
    )
    client = login(officer)

    refused = client.post(_file_url(partner), {"grounds": "Keep this text."})

    assert refused.status_code == 400
    assert b"Choose the decision you appeal." in refused.content
    assert b"Keep this text." in refused.content
    assert not Appeal.objects.exists()
    client.post(
        _file_url(partner),
        {"decision": f"tc_membership:{membership.public_id}", "grounds": "Filed on time."},
    )
    assert Appeal.objects.get().subject == "tc_membership"


def test_a_late_denial_appeal_shows_the_rule_and_no_form(login, monkeypatch):
    from ctpat.enforcement import views

    partner, officer, _, application = tc_denied_application()
    later = timezone.localdate() + timedelta(days=91)
    # The page's clock only (the denial's own date stays today).
    monkeypatch.setattr(views, "timezone", SimpleNamespace(localdate=lambda: later))

    page = login(officer).get(_file_url(partner, f"tc_application:{application.public_id}"))

    assert b"within 90 days" in page.content and b"6 U.S.C. 967(c)(1)" in page.content
    assert b'name="grounds"' not in page.content


def test_a_modified_membership_decision_offers_the_tc_statuses(login, cbp_admin):
    partner, officer, membership = tc_suspended_member(days_ago=120, removed_days_ago=5)
    login(officer).post(
        _file_url(partner), {"decision": f"tc_membership:{membership.public_id}", "grounds": "x"}
    )
    appeal = Appeal.objects.get()
    client = login(cbp_admin)

    detail = client.get(reverse("enforcement:appeal_detail", args=[appeal.public_id]))
    assert b'<option value="suspended">Suspended</option>' in detail.content
    assert b'<option value="active">Active</option>' in detail.content
    refused = client.post(
        reverse("enforcement:appeal_decide", args=[appeal.public_id]),
        {"outcome": "modified", "reason": "Keep my reason."},
    )
    assert refused.status_code == 400
    assert b"A modified decision names the resulting status." in refused.content
    assert b"Keep my reason." in refused.content

    client.post(
        reverse("enforcement:appeal_decide", args=[appeal.public_id]),
        {"outcome": "modified", "reason": "A suspension.", "resulting_status": "suspended"},
    )
    membership.refresh_from_db()
    assert membership.status == "suspended"


def test_the_cbp_home_lists_tc_appeals_with_their_clock(login, cbp_admin):
    partner, officer, _, application = tc_denied_application()
    login(officer).post(
        _file_url(partner), {"decision": f"tc_application:{application.public_id}", "grounds": "x"}
    )

    page = login(cbp_admin).get(reverse("enforcement:home")).content.decode()

    assert f"Denial of the Trade Compliance application {application.public_id}" in page
    assert (timezone.localdate() + timedelta(days=180)).isoformat() in page


# --- API ---------------------------------------------------------------------------------------


def test_the_api_files_and_decides_a_denial_appeal(api_client, cbp_admin):
    partner, officer, nam, application = tc_denied_application()

    filed = api_client(officer).post(
        "/api/appeals/",
        {
            "partner": partner.public_id,
            "subject": "tc_application",
            "reference": application.public_id,
            "grounds": "Please look again.",
        },
        format="json",
    )
    assert filed.status_code == 201, filed.content
    body = filed.json()
    assert body["subject"] == "tc_application" and body["tc_application"] == application.public_id
    assert body["tc_membership"] is None and body["decision_kind"] == "denial"

    decided = api_client(cbp_admin).post(
        f"/api/appeals/{body['public_id']}/decide/",
        {"outcome": "modified", "reason": "Review the report."},
        format="json",
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["resulting_status"] == "under_review"
    assert decided.json()["resulting_label"] == "Under review"


def test_the_api_refuses_a_wrong_reference_and_a_missing_decision_as_json(api_client):
    partner, officer, _, application = tc_denied_application()
    client = api_client(officer)

    wrong = client.post(
        "/api/appeals/",
        {
            "partner": partner.public_id,
            "subject": "tc_application",
            "reference": "TCA-X",
            "grounds": "x",
        },
        format="json",
    )
    none = client.post(
        "/api/appeals/",
        {"partner": partner.public_id, "subject": "tc_membership", "grounds": "x"},
        format="json",
    )

    for response in (wrong, none):
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "not_appealable"
        assert response.json()["error"]["message"].startswith("There is no decision in force")
    assert not Appeal.objects.exists()


def test_the_api_files_a_membership_appeal_and_cbp_reinstates(api_client, cbp_admin):
    partner, officer, membership = tc_suspended_member(days_ago=6)

    filed = api_client(officer).post(
        "/api/appeals/",
        {"partner": partner.public_id, "subject": "tc_membership", "grounds": "Filed."},
        format="json",
    )
    assert filed.status_code == 201, filed.content
    decided = api_client(cbp_admin).post(
        f"/api/appeals/{filed.json()['public_id']}/decide/",
        {"outcome": "reversed", "reason": "Letter found."},
        format="json",
    )
    assert decided.status_code == 200
    membership.refresh_from_db()
    assert membership.status == "active"


@pytest.mark.parametrize("role", ["scss", "nam", "fld_reviewer"])
def test_cbp_roles_other_than_the_program_admin_read_but_do_not_decide(
    role, api_client, make_user, cbp_org
):
    partner, officer, membership = tc_suspended_member(days_ago=6)
    filed = (
        api_client(officer)
        .post(
            "/api/appeals/",
            {"partner": partner.public_id, "subject": "tc_membership", "grounds": "Filed."},
            format="json",
        )
        .json()
    )
    client = api_client(make_user(role, organization=cbp_org))

    assert client.get(f"/api/appeals/{filed['public_id']}/").status_code == 200
    decided = client.post(
        f"/api/appeals/{filed['public_id']}/decide/",
        {"outcome": "reversed", "reason": "x"},
        format="json",
    )
    assert decided.status_code == 403
    membership.refresh_from_db()
    assert membership.status == "suspended"


def test_another_companys_users_neither_see_nor_file(api_client, login, make_user):
    partner, officer, _, application = tc_denied_application()
    appeal_id = (
        api_client(officer)
        .post(
            "/api/appeals/",
            {"partner": partner.public_id, "subject": "tc_application", "grounds": "x"},
            format="json",
        )
        .json()["public_id"]
    )
    _, stranger, _ = tc_suspended_member(days_ago=1)

    assert api_client(stranger).get(f"/api/appeals/{appeal_id}/").status_code == 404
    assert (
        login(stranger).get(reverse("enforcement:appeal_detail", args=[appeal_id])).status_code
        == 404
    )
    assert login(stranger).get(_file_url(partner)).status_code in (403, 404)
    filed = api_client(stranger).post(
        "/api/appeals/",
        {"partner": partner.public_id, "subject": "tc_application", "grounds": "x"},
        format="json",
    )
    assert filed.status_code in (403, 404)

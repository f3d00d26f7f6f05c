"""Status verification by account number: unlisted members can be connected, nobody is probed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ctpat.core.errors import DomainError
from ctpat.core.models import AuditEvent
from ctpat.partners import services
from ctpat.partners.models import SVIConnection
from ctpat.partners.svi_numbers import SVI_NUMBER_REQUESTS_PER_DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def unlisted(make_partner):
    """A certified member that chose not to be listed in the directory."""
    return make_partner(
        name="Quiet Unlisted Carriers",
        entity_type="highway_carrier_us_mexico",
        country="MX",
        status="certified",
        directory_listed=False,
    )


@pytest.fixture
def unlisted_officer(unlisted, make_user):
    return make_user("partner_officer", organization=unlisted.organization)


# --- Search ---------------------------------------------------------------------------------


def test_searching_for_an_unlisted_member_says_it_is_not_listed_not_that_it_is_no_member(
    login, importer_officer, unlisted
):
    response = login(importer_officer).get(reverse("partners:svi"), {"q": "Quiet Unlisted"})
    html = response.content.decode()
    assert "Quiet Unlisted Carriers" not in html
    assert "No company listed in the directory matches" in html
    assert "members may choose not to be listed" in html
    assert "not a certified member" not in html and "No certified member matches" not in html
    assert "Connect by account number" in html


# --- Service --------------------------------------------------------------------------------


def test_given_the_exact_number_when_asking_then_a_pending_request_hides_the_name(
    importer_officer, unlisted
):
    connection = services.svi_request_by_number(
        actor=importer_officer, number=unlisted.public_id.lower(), message="We ship with you."
    )
    assert connection.status == "pending" and connection.requested_by_number
    assert connection.target == unlisted
    assert connection.target_name_hidden
    event = AuditEvent.objects.get(action="svi.request", object_id=connection.public_id)
    assert "Quiet Unlisted" not in event.object_repr
    assert unlisted.public_id in event.object_repr


def test_the_other_side_still_accepts_and_then_the_name_shows(
    importer_officer, unlisted, unlisted_officer
):
    connection = services.svi_request_by_number(actor=importer_officer, number=unlisted.public_id)
    connection = services.svi_accept(actor=unlisted_officer, connection=connection)
    assert connection.status == "accepted" and not connection.target_name_hidden
    assert "Quiet Unlisted Carriers" in str(connection)


def test_a_rejected_request_by_number_keeps_the_name_hidden(
    importer_officer, unlisted, unlisted_officer
):
    connection = services.svi_request_by_number(actor=importer_officer, number=unlisted.public_id)
    services.svi_reject(actor=unlisted_officer, connection=connection, reason="Unknown to us.")
    event = AuditEvent.objects.get(action="svi.reject", object_id=connection.public_id)
    assert "Quiet Unlisted" not in event.object_repr


@pytest.mark.parametrize("case", ["unknown", "not-certified", "withdrawn"])
def test_every_number_that_cannot_be_connected_gets_the_same_answer(
    case, importer_officer, make_partner
):
    if case == "unknown":
        number = "CT-0000000000"
    else:
        status = "applicant" if case == "not-certified" else "withdrawn"
        number = make_partner(entity_type="importer", country="US", status=status).public_id
    assert services.svi_request_by_number(actor=importer_officer, number=number) is None
    assert not SVIConnection.objects.exists()
    event = AuditEvent.objects.get(action="svi.request_by_number_unmatched")
    assert event.organization == importer_officer.organization
    assert event.after == {"number": number}


def test_a_malformed_number_is_a_field_error(importer_officer):
    with pytest.raises(DomainError) as exc:
        services.svi_request_by_number(actor=importer_officer, number="oboImp92011")
    assert exc.value.code == "invalid_number" and "number" in exc.value.fields


def test_own_number_is_refused_plainly(importer_officer, importer):
    with pytest.raises(DomainError) as exc:
        services.svi_request_by_number(actor=importer_officer, number=importer.public_id)
    assert exc.value.code == "svi_self"


def test_a_company_that_is_not_certified_cannot_ask(make_partner, make_user, unlisted):
    applicant = make_partner(entity_type="importer", country="US", status="applicant")
    officer = make_user("partner_officer", organization=applicant.organization)
    with pytest.raises(DomainError) as exc:
        services.svi_request_by_number(actor=officer, number=unlisted.public_id)
    assert exc.value.code == "svi_not_certified"


def test_attempts_are_capped_per_day_matched_or_not(importer_officer, unlisted):
    for n in range(SVI_NUMBER_REQUESTS_PER_DAY - 1):
        services.svi_request_by_number(actor=importer_officer, number=f"CT-00000000{n:02d}")
    services.svi_request_by_number(actor=importer_officer, number=unlisted.public_id)
    with pytest.raises(DomainError) as exc:
        services.svi_request_by_number(actor=importer_officer, number="CT-1111111111")
    assert exc.value.code == "rate_limited"
    assert "Try again tomorrow." in exc.value.message


def test_an_auto_accepting_member_connects_at_once(importer_officer, unlisted, unlisted_officer):
    services.partner_update_svi_settings(
        actor=unlisted_officer, partner=unlisted, auto_accept=True, share_more=False
    )
    connection = services.svi_request_by_number(actor=importer_officer, number=unlisted.public_id)
    assert connection.status == "accepted"


# --- Pages ----------------------------------------------------------------------------------


def test_the_svi_page_shows_the_own_account_number_to_give_partners(
    login, importer_officer, importer
):
    html = login(importer_officer).get(reverse("partners:svi")).content.decode()
    assert importer.public_id in html


def test_asking_by_number_in_the_page_does_not_reveal_the_name_before_acceptance(
    login, importer_officer, importer, unlisted
):
    client = login(importer_officer)
    response = client.post(
        reverse("partners:svi_request_by_number"),
        {"number": unlisted.public_id, "message": "Hello"},
        follow=True,
    )
    html = response.content.decode()
    assert f"Request sent to the company with account number {unlisted.public_id}" in html
    assert "Quiet Unlisted" not in html
    for page in (
        reverse("dashboard"),
        reverse("partners:svi_connections", kwargs={"partner_id": importer.public_id}),
        reverse("partners:history", kwargs={"partner_id": importer.public_id}),
        "/api/svi-connections/",
    ):
        body = client.get(page).content.decode()
        assert "Quiet Unlisted" not in body, page


def test_a_number_that_cannot_be_connected_is_a_neutral_form_error(login, importer_officer):
    response = login(importer_officer).post(
        reverse("partners:svi_request_by_number"), {"number": "CT-0000000000"}
    )
    assert response.status_code == 400
    assert "No connection request could be sent for account number CT-0000000000" in (
        response.content.decode()
    )


def test_the_number_form_reports_a_missing_number_as_a_sentence(login, importer_officer):
    response = login(importer_officer).post(reverse("partners:svi_request_by_number"), {})
    assert response.status_code == 400
    assert response.context["number_form"].errors["number"] == ["The account number is required."]


def test_cbp_users_cannot_use_the_number_form(login, scss, unlisted):
    response = login(scss).post(
        reverse("partners:svi_request_by_number"), {"number": unlisted.public_id}
    )
    assert response.status_code == 403


# --- API ------------------------------------------------------------------------------------


def test_api_asks_by_number_and_hides_the_name_until_accepted(
    api_client, importer_officer, unlisted, unlisted_officer, scss
):
    client = api_client(importer_officer)
    response = client.post(
        "/api/svi-connections/by-number/", {"number": unlisted.public_id}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["target"] == {"public_id": unlisted.public_id, "name": ""}
    assert body["target_name_hidden"] is True and body["requested_by_number"] is True
    # CBP sees the name; the target sees the requester's.
    cbp_view = api_client(scss).get(f"/api/svi-connections/{body['public_id']}/").json()
    assert cbp_view["target"]["name"] == "Quiet Unlisted Carriers"
    services.svi_accept(
        actor=unlisted_officer, connection=SVIConnection.objects.get(public_id=body["public_id"])
    )
    after = client.get(f"/api/svi-connections/{body['public_id']}/").json()
    assert after["target"]["name"] == "Quiet Unlisted Carriers"
    assert after["target_name_hidden"] is False


def test_api_gives_one_neutral_404_for_numbers_that_cannot_be_connected(
    api_client, importer_officer, make_partner
):
    applicant = make_partner(entity_type="importer", country="US", status="applicant")
    client = api_client(importer_officer)
    answers = []
    for number in ("CT-0000000000", applicant.public_id):
        response = client.post("/api/svi-connections/by-number/", {"number": number}, format="json")
        assert response.status_code == 404
        error = response.json()["error"]
        answers.append((error["code"], error["message"].replace(number, "N")))
    assert answers[0] == answers[1]
    assert answers[0][0] == "svi_number_no_match"


def test_api_malformed_number_is_a_400(api_client, importer_officer):
    response = api_client(importer_officer).post(
        "/api/svi-connections/by-number/", {"number": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_number"

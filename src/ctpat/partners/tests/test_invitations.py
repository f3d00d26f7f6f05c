"""Eligibility by country at registration and application, and CBP's invitations."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.models import AuditEvent
from ctpat.partners import services
from ctpat.partners.models import CountryInvitation, Partner

pytestmark = pytest.mark.django_db

MID_CN = [("mid", "CNACME1234SHA")]


def _invite(actor=None, **kw):
    data = {
        "entity_type": "foreign_manufacturer",
        "country": "CN",
        "company_name": "Invited Widgets Ltd.",
        "reason": "Sole supplier of a critical component.",
        **kw,
    }
    return services.invitation_create(actor=actor, **data)


# --- Registration -------------------------------------------------------------------------


def test_given_a_chinese_manufacturer_without_invitation_when_registering_then_refused_citing_cbp(
    cbp_admin,
):
    with pytest.raises(DomainError) as exc:
        services.partner_register(
            actor=cbp_admin,
            name="Uninvited Widgets",
            entity_type="foreign_manufacturer",
            country="CN",
            identifiers=MID_CN,
        )
    assert exc.value.code == "invitation_required"
    assert "Mexico or Canada" in exc.value.message
    assert "U.S. Customs and Border Protection" in exc.value.message
    assert "security-guidelines/foreign-manufacturers" in exc.value.message
    assert "country" in exc.value.fields
    assert not Partner.objects.filter(organization__name="Uninvited Widgets").exists()


@pytest.mark.parametrize(
    ("entity_type", "country", "identifiers"),
    [
        pytest.param("importer", "MX", [("bond", "QB2024731")], id="mexican-importer"),
        pytest.param("customs_broker", "CA", [], id="canadian-broker"),
        pytest.param("mexican_long_haul_carrier", "US", [], id="us-long-haul"),
    ],
)
def test_given_a_country_the_type_cannot_join_from_when_registering_then_refused(
    cbp_admin, entity_type, country, identifiers
):
    with pytest.raises(DomainError) as exc:
        services.partner_register(
            actor=cbp_admin,
            name="Wrong Country Co",
            entity_type=entity_type,
            country=country,
            identifiers=identifiers,
        )
    assert exc.value.code == "country_not_eligible"


def test_given_an_open_invitation_for_the_company_when_registering_then_it_is_used(cbp_admin):
    invitation = _invite(cbp_admin)
    partner = services.partner_register(
        actor=cbp_admin,
        name="  invited   widgets LTD. ",
        entity_type="foreign_manufacturer",
        country="CN",
        identifiers=MID_CN,
    )
    invitation.refresh_from_db()
    assert invitation.partner == partner
    assert AuditEvent.objects.filter(action="invitation.use", object_id=invitation.public_id)
    assert services.partner_country_decision(partner).allowed


def test_given_a_named_invitation_of_another_type_when_registering_then_refused(cbp_admin):
    invitation = _invite(cbp_admin, country="VN")
    with pytest.raises(DomainError) as exc:
        services.partner_register(
            actor=cbp_admin,
            name="Invited Widgets Ltd.",
            entity_type="foreign_manufacturer",
            country="CN",
            identifiers=MID_CN,
            invitation=invitation.public_id,
        )
    assert exc.value.code == "invitation_mismatch"
    assert "Viet Nam" in exc.value.message


def test_given_a_withdrawn_invitation_when_registering_then_refused(cbp_admin):
    invitation = _invite(cbp_admin)
    services.invitation_withdraw(actor=cbp_admin, invitation=invitation, reason="Not needed.")
    with pytest.raises(DomainError) as exc:
        services.partner_register(
            actor=cbp_admin,
            name="Invited Widgets Ltd.",
            entity_type="foreign_manufacturer",
            country="CN",
            identifiers=MID_CN,
            invitation=invitation.public_id,
        )
    assert exc.value.code == "invitation_not_found"


def test_given_an_invitation_already_used_then_a_second_company_cannot_use_it(cbp_admin):
    invitation = _invite(cbp_admin)
    services.partner_register(
        actor=cbp_admin,
        name="Invited Widgets Ltd.",
        entity_type="foreign_manufacturer",
        country="CN",
        identifiers=MID_CN,
    )
    with pytest.raises(DomainError) as exc:
        services.partner_register(
            actor=cbp_admin,
            name="Copycat Widgets",
            entity_type="foreign_manufacturer",
            country="CN",
            identifiers=MID_CN,
            invitation=invitation.public_id,
        )
    assert exc.value.code == "invitation_not_found"


def test_given_a_mexican_manufacturer_then_no_invitation_is_needed(cbp_admin):
    partner = services.partner_register(
        actor=cbp_admin,
        name="Fábrica del Norte",
        entity_type="foreign_manufacturer",
        country="MX",
        identifiers=[("mid", "MXFABDEL12MTY")],
    )
    assert partner.country == "MX"


def test_a_deployment_limit_on_sea_carriers_applies_at_registration(cbp_admin, settings):
    settings.CTPAT_SEA_CARRIER_COUNTRIES = ("US",)
    with pytest.raises(DomainError) as exc:
        services.partner_register(
            actor=cbp_admin, name="Nordic Lines", entity_type="sea_carrier", country="DK"
        )
    assert exc.value.code == "country_not_eligible"
    assert "policy choice" in exc.value.message


# --- Applying (pre-applicant → applicant) -------------------------------------------------


def test_given_the_invitation_is_withdrawn_when_the_company_applies_then_refused(
    make_partner, cbp_admin, scss
):
    partner = make_partner(entity_type="foreign_manufacturer", country="CN", invited=True)
    invitation = partner.country_invitations.get()
    services.invitation_withdraw(actor=cbp_admin, invitation=invitation, reason="Revoked.")
    with pytest.raises(DomainError) as exc:
        services.partner_transition(actor=scss, partner=partner, target="applicant")
    assert exc.value.code == "invitation_required"
    partner.refresh_from_db()
    assert partner.status == "pre_applicant"


def test_given_an_invited_company_when_it_applies_then_allowed(make_partner, scss):
    partner = make_partner(entity_type="foreign_manufacturer", country="CN", invited=True)
    partner = services.partner_transition(actor=scss, partner=partner, target="applicant")
    assert partner.status == "applicant"


# --- Invitations --------------------------------------------------------------------------


def test_an_invitation_is_audited_with_its_reason(cbp_admin):
    invitation = _invite(cbp_admin)
    event = AuditEvent.objects.get(action="invitation.create", object_id=invitation.public_id)
    assert event.reason == "Sole supplier of a critical component."
    assert event.organization == cbp_admin.organization
    assert event.after["country"] == "CN"


def test_every_problem_of_an_invitation_is_reported_at_once(cbp_admin):
    with pytest.raises(DomainError) as exc:
        services.invitation_create(
            actor=cbp_admin, entity_type="importer", country="", company_name="", reason=""
        )
    assert set(exc.value.fields) == {"entity_type", "country", "company_name", "reason"}
    assert not CountryInvitation.objects.exists()


@pytest.mark.parametrize(
    ("entity_type", "country", "fragment"),
    [
        pytest.param("foreign_manufacturer", "MX", "without an invitation", id="mexico-needs-none"),
        pytest.param("foreign_manufacturer", "US", "exporter", id="us-is-not-foreign"),
        pytest.param("foreign_marine_port_terminal_operator", "US", "U.S. marine", id="us-port"),
        pytest.param("consolidator", "HK", "CBP invites only", id="type-not-invited"),
        pytest.param("foreign_manufacturer", "XX", "not an ISO", id="bad-country"),
    ],
)
def test_an_invitation_that_changes_nothing_or_cannot_exist_is_refused(
    cbp_admin, entity_type, country, fragment
):
    with pytest.raises(DomainError) as exc:
        _invite(cbp_admin, entity_type=entity_type, country=country)
    assert fragment in exc.value.message


def test_an_invitation_for_a_registered_company_takes_its_type_and_country(make_partner, cbp_admin):
    partner = make_partner(entity_type="foreign_marine_port_terminal_operator", invited=True)
    assert partner.country == "NL"
    with pytest.raises(DomainError) as exc:
        services.invitation_create(actor=cbp_admin, partner=partner, reason="Again.")
    assert "already holds an open invitation" in exc.value.message


@pytest.mark.parametrize("role", ["scss", "nam", "fld_reviewer"])
def test_only_a_program_admin_invites_or_withdraws(role, make_user, cbp_org, cbp_admin):
    user = make_user(role, organization=cbp_org)
    with pytest.raises(PermissionDeniedError):
        _invite(user)
    invitation = _invite(cbp_admin)
    with pytest.raises(PermissionDeniedError):
        services.invitation_withdraw(actor=user, invitation=invitation, reason="No.")


def test_a_partner_officer_cannot_invite(importer_officer):
    with pytest.raises(PermissionDeniedError):
        _invite(importer_officer)


def test_withdrawing_needs_a_reason_and_happens_once(cbp_admin):
    invitation = _invite(cbp_admin)
    with pytest.raises(DomainError) as exc:
        services.invitation_withdraw(actor=cbp_admin, invitation=invitation, reason=" ")
    assert exc.value.code == "reason_required"
    services.invitation_withdraw(actor=cbp_admin, invitation=invitation, reason="Not needed.")
    with pytest.raises(ConflictError):
        services.invitation_withdraw(actor=cbp_admin, invitation=invitation, reason="Again.")
    assert AuditEvent.objects.filter(action="invitation.withdraw").count() == 1


# --- Pages --------------------------------------------------------------------------------


def test_the_registration_form_shows_the_rule_for_the_chosen_type_with_its_source(login, cbp_admin):
    response = login(cbp_admin).get(
        reverse("partners:create_identifier_fields"), {"entity_type": "foreign_manufacturer"}
    )
    html = response.content.decode()
    assert "Who can join as this type" in html
    assert "incorporated in Mexico or Canada" in html
    assert 'href="https://www.cbp.gov/border-security/ports-entry/cargo-security/ctpat/' in html
    page = login(cbp_admin).get(reverse("partners:create")).content.decode()
    assert "Mexico or Canada" in page  # the country field's help text


def test_the_registration_form_reports_the_country_rule_with_every_other_error(login, cbp_admin):
    response = login(cbp_admin).post(
        reverse("partners:create"),
        {
            "name": "",
            "entity_type": "foreign_manufacturer",
            "country": "CN",
            "identifier_0_kind": "mid",
            "identifier_0_value": "not a mid!",
            "primary_contact_email": "not-an-email",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"name", "country", "identifier_0_value", "primary_contact_email"} <= set(form.errors)
    assert "invitation" in form.errors["country"][0]
    assert not Partner.objects.filter(country="CN").exists()


def test_the_registration_form_registers_an_invited_company(login, cbp_admin):
    invitation = _invite(cbp_admin, company_name="Named Invitee Co")
    response = login(cbp_admin).post(
        reverse("partners:create"),
        {
            "name": "Named Invitee Company Limited",
            "entity_type": "foreign_manufacturer",
            "country": "CN",
            "invitation": invitation.public_id,
            "identifier_0_kind": "mid",
            "identifier_0_value": "CNNAMINV12SHE",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    invitation.refresh_from_db()
    assert invitation.partner.name == "Named Invitee Company Limited"


def test_a_program_admin_records_and_withdraws_an_invitation_in_the_pages(login, cbp_admin):
    client = login(cbp_admin)
    response = client.post(
        reverse("partners:invitations"),
        {
            "company_name": "Page Invitee",
            "entity_type": "foreign_manufacturer",
            "country": "TH",
            "reason": "Key supplier.",
        },
    )
    invitation = CountryInvitation.objects.get(company_name="Page Invitee")
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Key supplier." in detail and "Open" in detail
    response = client.post(
        reverse("partners:invitation_withdraw", kwargs={"invitation_id": invitation.public_id}),
        {"reason": "Supplier changed."},
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None


def test_the_invitation_form_reports_every_error_at_once(login, cbp_admin):
    response = login(cbp_admin).post(reverse("partners:invitations"), {"country": "MX"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"company_name", "entity_type", "reason"} <= set(errors)
    assert errors["reason"] == ["The reason for the invitation is required."]


def test_a_withdrawal_without_reason_is_a_form_error(login, cbp_admin):
    invitation = _invite(cbp_admin)
    response = login(cbp_admin).post(
        reverse("partners:invitation_withdraw", kwargs={"invitation_id": invitation.public_id}),
        {"reason": ""},
    )
    assert response.status_code == 400
    assert "The reason for withdrawing the invitation is required." in response.content.decode()


@pytest.mark.parametrize("role", ["scss", "nam", "fld_reviewer"])
def test_other_cbp_roles_read_invitations_but_cannot_record_them(
    role, login, make_user, cbp_org, cbp_admin
):
    invitation = _invite(cbp_admin)
    client = login(make_user(role, organization=cbp_org))
    page = client.get(reverse("partners:invitations"))
    assert page.status_code == 200 and invitation.company_name in page.content.decode()
    assert "Record the invitation" not in page.content.decode()
    assert client.post(reverse("partners:invitations"), {"reason": "x"}).status_code == 403
    url = reverse("partners:invitation_withdraw", kwargs={"invitation_id": invitation.public_id})
    assert client.post(url, {"reason": "x"}).status_code == 403


def test_a_partner_never_sees_invitations_not_even_its_own(login, make_partner, make_user):
    partner = make_partner(entity_type="foreign_manufacturer", country="CN", invited=True)
    invitation = partner.country_invitations.get()
    client = login(make_user("partner_officer", organization=partner.organization))
    assert client.get(reverse("partners:invitations")).status_code == 403
    url = reverse("partners:invitation_detail", kwargs={"invitation_id": invitation.public_id})
    assert client.get(url).status_code in (403, 404)
    assert (
        invitation.reason
        not in client.get(
            reverse("partners:history", kwargs={"partner_id": partner.public_id})
        ).content.decode()
    )


# --- API ----------------------------------------------------------------------------------


def test_api_records_lists_and_withdraws_invitations(api_client, cbp_admin, scss):
    client = api_client(cbp_admin)
    response = client.post(
        "/api/country-invitations/",
        {
            "company_name": "Api Invitee",
            "entity_type": "foreign_marine_port_terminal_operator",
            "country": "NL",
            "reason": "Feeder port.",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    public_id = response.json()["public_id"]
    assert response.json()["state"] == "open"
    listed = api_client(scss).get("/api/country-invitations/").json()["results"]
    assert [i["public_id"] for i in listed] == [public_id]
    response = client.post(
        f"/api/country-invitations/{public_id}/withdraw/", {"reason": "Done."}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == "withdrawn"


def test_api_invitation_errors_are_json_with_every_field(api_client, cbp_admin):
    response = api_client(cbp_admin).post(
        "/api/country-invitations/",
        {"entity_type": "importer", "country": "US", "reason": ""},
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert {"entity_type", "company_name", "reason"} <= set(error["fields"])


def test_api_empty_invitation_body_lists_every_missing_field(api_client, cbp_admin):
    response = api_client(cbp_admin).post("/api/country-invitations/", {}, format="json")
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert {"entity_type", "country", "company_name", "reason"} <= set(fields)


def test_api_partners_cannot_read_or_write_invitations(api_client, importer_officer, cbp_admin):
    invitation = _invite(cbp_admin)
    client = api_client(importer_officer)
    assert client.get("/api/country-invitations/").status_code == 403
    assert client.get(f"/api/country-invitations/{invitation.public_id}/").status_code == 403
    response = client.post(
        "/api/country-invitations/", {"company_name": "X", "reason": "Y"}, format="json"
    )
    assert response.status_code == 403


def test_api_registration_refusal_names_the_rule(api_client, cbp_admin):
    response = api_client(cbp_admin).post(
        "/api/partners/",
        {"name": "Api Uninvited", "entity_type": "foreign_manufacturer", "country": "VN"},
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invitation_required"
    assert "Mexico or Canada" in error["message"]
    assert "country" in error["fields"]


def test_an_empty_registration_reports_each_missing_field_as_a_sentence(login, cbp_admin):
    response = login(cbp_admin).post(reverse("partners:create"), {})
    errors = response.context["form"].errors
    assert errors["name"] == ["The company's legal name is required."]
    assert errors["entity_type"] == ["The business entity type is required."]
    assert errors["country"] == ["The country is required."]

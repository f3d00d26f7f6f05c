"""The partner registry REST API: partners, transitions, identifiers, SVI, audit events, me.

Real database, real hashed tokens (``api_client``), data made through the services.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ctpat.accounts.models import Organization
from ctpat.core.models import AuditEvent
from ctpat.partners import services
from ctpat.partners.models import Partner, PartnerIdentifier, StatusChange, SVIConnection

CBP_ROLES = ["cbp_admin", "scss", "nam", "fld_reviewer"]
SVI_LIMITED_KEYS = {"public_id", "name", "entity_type", "country", "status"}
SHARED_MORE_KEYS = {
    "tier",
    "primary_contact_name",
    "primary_contact_email",
    "primary_contact_phone",
}


def error_code(response) -> str:
    return response.json()["error"]["code"]


def counts() -> tuple[int, ...]:
    return (
        Partner.objects.count(),
        Organization.objects.count(),
        PartnerIdentifier.objects.count(),
        StatusChange.objects.count(),
        SVIConnection.objects.count(),
        AuditEvent.objects.count(),
    )


def ids(response) -> list[str]:
    return [item["public_id"] for item in response.json()["results"]]


@pytest.fixture
def connected(importer, manufacturer, importer_officer, manufacturer_officer):
    """Acme (importer) and Shanghai Widget (manufacturer) have an accepted SVI connection."""
    connection = services.svi_request(actor=importer_officer, target=manufacturer)
    return services.svi_accept(actor=manufacturer_officer, connection=connection)


@pytest.fixture
def stranger(make_partner):
    """A certified partner with no connection to anyone."""
    return make_partner(
        name="Stranger Logistics",
        entity_type="third_party_logistics",
        country="US",
        status="certified",
    )


@pytest.fixture
def cbp_user(cbp_org, make_user):
    return lambda role: make_user(role, organization=cbp_org)


# --- Partners: reads ---------------------------------------------------------------------------


def test_given_a_cbp_admin_when_listing_partners_then_every_partner_in_full(
    api_client, cbp_admin, importer, manufacturer, stranger
):
    response = api_client(cbp_admin).get("/api/partners/")
    assert response.status_code == 200
    assert set(ids(response)) == {importer.public_id, manufacturer.public_id, stranger.public_id}
    assert all("svi_auto_accept" in item for item in response.json()["results"])


def test_given_a_partner_officer_when_listing_then_own_in_full_and_svi_connections_limited(
    api_client, importer_officer, importer, manufacturer, stranger, connected
):
    response = api_client(importer_officer).get("/api/partners/")
    assert response.status_code == 200
    by_id = {item["public_id"]: item for item in response.json()["results"]}
    assert set(by_id) == {importer.public_id, manufacturer.public_id}
    assert by_id[importer.public_id]["city"] == importer.city
    assert set(by_id[manufacturer.public_id]) == SVI_LIMITED_KEYS


def test_given_an_svi_connection_when_getting_its_partner_then_only_the_status_view(
    api_client, importer_officer, manufacturer, connected
):
    response = api_client(importer_officer).get(f"/api/partners/{manufacturer.public_id}/")
    assert response.status_code == 200
    assert set(response.json()) == SVI_LIMITED_KEYS
    assert response.json()["status"] == "certified"


def test_given_a_partner_sharing_more_when_an_svi_connection_gets_it_then_tier_and_contact(
    api_client, importer_officer, manufacturer, manufacturer_officer, connected
):
    services.partner_update_profile(
        actor=manufacturer_officer, partner=manufacturer, primary_contact_name="Li Wei"
    )
    services.partner_update_svi_settings(
        actor=manufacturer_officer, partner=manufacturer, auto_accept=False, share_more=True
    )
    response = api_client(importer_officer).get(f"/api/partners/{manufacturer.public_id}/")
    assert set(response.json()) == SVI_LIMITED_KEYS | SHARED_MORE_KEYS
    assert response.json()["tier"] == 1
    assert response.json()["primary_contact_name"] == "Li Wei"


def test_given_an_unconnected_partner_when_a_partner_user_gets_it_then_404(
    api_client, importer_officer, stranger
):
    response = api_client(importer_officer).get(f"/api/partners/{stranger.public_id}/")
    assert response.status_code == 404
    assert error_code(response) == "not_found"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=certified", {"importer", "manufacturer"}),
        ("status=pre_applicant", {"newcomer"}),
        ("entity_type=importer", {"importer", "newcomer"}),
        ("country=CN", {"manufacturer"}),
        ("tier=1", {"importer", "manufacturer"}),
        ("q=widget", {"manufacturer"}),
        ("q=qb2024731", {"newcomer"}),
    ],
    ids=["status", "status-pre", "entity-type", "country", "tier", "q-name", "q-identifier"],
)
def test_given_filters_when_cbp_lists_partners_then_only_matches(
    query, expected, api_client, cbp_admin, importer, manufacturer
):
    newcomer = services.partner_register(
        actor=cbp_admin,
        name="Newcomer Co",
        entity_type="importer",
        country="US",
        identifiers=[("bond", "QB2024731")],
    )
    names = {"importer": importer, "manufacturer": manufacturer, "newcomer": newcomer}
    response = api_client(cbp_admin).get(f"/api/partners/?{query}")
    assert response.status_code == 200
    assert set(ids(response)) == {names[n].public_id for n in expected}


def test_given_ordering_when_listing_then_sorted_by_name_descending(
    api_client, cbp_admin, importer, manufacturer
):
    response = api_client(cbp_admin).get("/api/partners/?ordering=-name")
    assert [i["name"] for i in response.json()["results"]] == [
        "Shanghai Widget Factory",
        "Acme Imports Inc.",
    ]


@pytest.mark.parametrize("query", ["status=bogus", "tier=9", "country=ZZ", "ordering=secret"])
def test_given_an_invalid_filter_value_when_listing_then_400(query, api_client, cbp_admin):
    response = api_client(cbp_admin).get(f"/api/partners/?{query}")
    assert response.status_code == 400
    assert error_code(response) == "invalid"


@pytest.mark.parametrize(
    ("role", "own_status", "foreign_status"),
    [
        ("cbp_admin", 200, 200),
        ("scss", 200, 200),
        ("nam", 200, 200),
        ("fld_reviewer", 200, 200),
        ("partner_officer", 200, 404),
        ("partner_compliance", 200, 404),
        ("auditor", 404, 404),
        ("mra_reviewer", 404, 404),
    ],
)
def test_given_each_role_when_getting_partners_then_cbp_sees_all_partners_their_own_others_none(
    role, own_status, foreign_status, api_client, make_user, cbp_org, importer, stranger
):
    organization = (
        cbp_org
        if role in CBP_ROLES
        else (importer.organization if role.startswith("partner") else None)
    )
    client = api_client(make_user(role, organization=organization))
    assert client.get(f"/api/partners/{importer.public_id}/").status_code == own_status
    assert client.get(f"/api/partners/{stranger.public_id}/").status_code == foreign_status


# --- Partners: writes --------------------------------------------------------------------------


def test_given_a_cbp_admin_when_registering_a_partner_then_201_and_audited(api_client, cbp_admin):
    before = AuditEvent.objects.count()
    response = api_client(cbp_admin).post(
        "/api/partners/",
        {
            "name": "Blue Ocean Imports",
            "entity_type": "importer",
            "country": "US",
            "identifiers": [
                {"kind": "ior", "value": "12-3456789 00"},
                {"kind": "bond", "value": "QB2024731"},
            ],
            "city": "Miami",
            "website": "https://blue-ocean.example",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["public_id"].startswith("CT-") and body["status"] == "pre_applicant"
    assert body["city"] == "Miami"
    partner = Partner.objects.get(public_id=body["public_id"])
    assert partner.identifiers.count() == 2
    assert AuditEvent.objects.filter(
        action="partner.register", source="api", actor=cbp_admin
    ).exists()
    assert AuditEvent.objects.count() > before


@pytest.mark.parametrize("role", ["scss", "nam", "partner_officer", "auditor", "mra_reviewer"])
def test_given_a_role_other_than_cbp_admin_when_registering_a_partner_then_403_nothing_written(
    role, api_client, make_user, cbp_org
):
    user = make_user(role, organization=cbp_org if role in CBP_ROLES else None)
    client = api_client(user)
    before = counts()
    response = client.post(
        "/api/partners/",
        {"name": "Nope Co", "entity_type": "importer", "country": "US"},
        format="json",
    )
    assert response.status_code == 403
    assert error_code(response) == "permission_denied"
    assert counts() == before


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        (
            {"name": "X Co", "entity_type": "importer", "country": "US", "colour": "red"},
            "unknown_fields",
            "colour",
        ),
        ({"name": 123, "entity_type": "importer", "country": "US"}, "invalid", "name"),
        ({"name": "X Co", "entity_type": "spaceport", "country": "US"}, "invalid", "entity_type"),
        ({"name": "X Co", "entity_type": "importer", "country": "XX"}, "invalid", "country"),
        (
            {"name": "X Co", "entity_type": "importer", "country": "US", "website": "not a url"},
            "invalid",
            "website",
        ),
        ({"name": "X" * 201, "entity_type": "importer", "country": "US"}, "invalid", "name"),
        (
            {
                "name": "X Co",
                "entity_type": "importer",
                "country": "US",
                "identifiers": {"kind": "ior"},
            },
            "invalid",
            "identifiers",
        ),
        (
            {
                "name": "X Co",
                "entity_type": "importer",
                "country": "US",
                "identifiers": [{"kind": "ior", "value": "12-34"}],
            },
            "invalid_format",
            "value",
        ),
        ({"entity_type": "importer", "country": "US"}, "invalid", "name"),
    ],
    ids=[
        "unknown-field",
        "wrong-type",
        "bad-choice",
        "bad-country",
        "bad-url",
        "too-long",
        "not-a-list",
        "bad-identifier",
        "missing-name",
    ],
)
def test_given_bad_input_when_registering_a_partner_then_400_with_code_and_nothing_written(
    body, code, field, api_client, cbp_admin
):
    client = api_client(cbp_admin)
    before = counts()
    response = client.post("/api/partners/", body, format="json")
    assert response.status_code == 400, response.json()
    assert error_code(response) == code
    assert field in str(response.json()["error"]["fields"])
    assert counts() == before


def test_given_an_existing_name_when_registering_again_then_409_duplicate(
    api_client, cbp_admin, importer
):
    client = api_client(cbp_admin)
    before = counts()
    response = client.post(
        "/api/partners/",
        {"name": importer.name, "entity_type": "importer", "country": "US"},
        format="json",
    )
    assert response.status_code == 409
    assert error_code(response) == "duplicate_organization"
    assert counts() == before


@pytest.mark.parametrize("role", ["partner_officer", "partner_compliance"])
def test_given_an_own_partner_user_when_patching_the_profile_then_saved_and_audited(
    role, api_client, make_user, importer
):
    client = api_client(make_user(role, organization=importer.organization))
    response = client.patch(
        f"/api/partners/{importer.public_id}/", {"city": "Laredo", "reason": "Moved"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["city"] == "Laredo"
    event = AuditEvent.objects.filter(action="partner.update", object_id=importer.public_id).first()
    assert event.reason == "Moved" and event.after["city"] == "Laredo"


def test_given_an_scss_when_patching_any_partner_then_saved(api_client, scss, importer):
    response = api_client(scss).patch(
        f"/api/partners/{importer.public_id}/",
        {"primary_contact_email": "ops@acme.example"},
        format="json",
    )
    assert response.status_code == 200
    importer.refresh_from_db()
    assert importer.primary_contact_email == "ops@acme.example"


@pytest.mark.parametrize(
    ("who", "expected"),
    [("svi_connection", 403), ("nam", 403), ("stranger_officer", 404), ("auditor", 404)],
)
def test_given_someone_without_change_rights_when_patching_then_403_if_visible_else_404(
    who,
    expected,
    api_client,
    make_user,
    cbp_org,
    manufacturer,
    stranger,
    importer_officer,
    connected,
):
    user = {
        "svi_connection": lambda: importer_officer,
        "nam": lambda: make_user("nam", organization=cbp_org),
        "stranger_officer": lambda: make_user(
            "partner_officer", organization=stranger.organization
        ),
        "auditor": lambda: make_user("auditor"),
    }[who]()
    client = api_client(user)
    before = counts()
    response = client.patch(
        f"/api/partners/{manufacturer.public_id}/", {"city": "X"}, format="json"
    )
    assert response.status_code == expected
    assert counts() == before


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "no_changes"),
        ({"status": "tier_iii"}, "unknown_fields"),
        ({"city": None}, "invalid"),
        ({"primary_contact_email": "nope"}, "invalid"),
    ],
    ids=["empty", "not-editable", "null", "bad-email"],
)
def test_given_a_bad_patch_when_updating_then_400_and_nothing_written(
    body, code, api_client, importer_officer, importer
):
    client = api_client(importer_officer)
    before = counts()
    response = client.patch(f"/api/partners/{importer.public_id}/", body, format="json")
    assert response.status_code == 400
    assert error_code(response) == code
    assert counts() == before


def test_given_a_put_when_replacing_a_partner_then_405(api_client, cbp_admin, importer):
    response = api_client(cbp_admin).put(f"/api/partners/{importer.public_id}/", {}, format="json")
    assert response.status_code == 405
    assert error_code(response) == "method_not_allowed"


# --- Transitions -------------------------------------------------------------------------------


def test_given_cbp_when_getting_transitions_then_history_and_every_legal_target(
    api_client, scss, importer
):
    response = api_client(scss).get(f"/api/partners/{importer.public_id}/transitions/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "certified"
    assert body["allowed_targets"] == ["validated", "suspended", "withdrawn"]
    assert [h["to_status"] for h in body["history"]] == ["certified", "applicant", "pre_applicant"]


def test_given_the_partner_officer_when_getting_transitions_then_only_self_service_targets(
    api_client, importer_officer, importer
):
    response = api_client(importer_officer).get(f"/api/partners/{importer.public_id}/transitions/")
    assert response.json()["allowed_targets"] == ["withdrawn"]


def test_given_a_compliance_user_when_getting_transitions_then_no_targets(
    api_client, make_user, importer
):
    user = make_user("partner_compliance", organization=importer.organization)
    response = api_client(user).get(f"/api/partners/{importer.public_id}/transitions/")
    assert response.status_code == 200
    assert response.json()["allowed_targets"] == []


def test_given_an_svi_connection_when_getting_transitions_then_403(
    api_client, importer_officer, manufacturer, connected
):
    response = api_client(importer_officer).get(
        f"/api/partners/{manufacturer.public_id}/transitions/"
    )
    assert response.status_code == 403


def test_given_an_scss_when_validating_a_certified_partner_then_201_and_tier_two(
    api_client, scss, importer
):
    response = api_client(scss).post(
        f"/api/partners/{importer.public_id}/transitions/",
        {"target": "validated", "reason": "Validation visit"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["partner"]["status"] == "validated" and body["partner"]["tier"] == 2
    assert body["change"]["from_status"] == "certified"
    assert body["change"]["actor"] == scss.username
    assert AuditEvent.objects.filter(
        action="partner.transition", object_id=importer.public_id, actor=scss
    ).exists()


def test_given_an_officer_when_withdrawing_own_partner_with_a_reason_then_201(
    api_client, importer_officer, importer
):
    response = api_client(importer_officer).post(
        f"/api/partners/{importer.public_id}/transitions/",
        {"target": "withdrawn", "reason": "Leaving the program"},
        format="json",
    )
    assert response.status_code == 201
    importer.refresh_from_db()
    assert importer.status == "withdrawn"


@pytest.mark.parametrize(
    ("body", "status_code", "code"),
    [
        ({"target": "applicant"}, 400, "illegal_transition"),
        ({"target": "certified"}, 400, "no_change"),
        ({"target": "suspended"}, 400, "reason_required"),
        ({"target": "suspended", "reason": "   "}, 400, "reason_required"),
        ({"target": "galactic"}, 400, "invalid"),
        ({"target": "validated", "color": "red"}, 400, "unknown_fields"),
        ({"target": "validated", "effective_date": "2999-01-01"}, 400, "future_date"),
        ({"target": "validated", "effective_date": "1990-01-01"}, 400, "date_out_of_range"),
        ({"target": "validated", "effective_date": "yesterday"}, 400, "invalid"),
        ({"reason": "no target"}, 400, "invalid"),
    ],
    ids=[
        "illegal",
        "same",
        "no-reason",
        "blank-reason",
        "unknown-status",
        "unknown-field",
        "future",
        "too-old",
        "bad-date",
        "missing-target",
    ],
)
def test_given_a_refused_transition_when_posting_then_4xx_with_rule_code_and_nothing_written(
    body, status_code, code, api_client, scss, importer
):
    client = api_client(scss)
    before = counts()
    response = client.post(f"/api/partners/{importer.public_id}/transitions/", body, format="json")
    assert response.status_code == status_code, response.json()
    assert error_code(response) == code
    assert counts() == before


def test_given_cbp_when_backdating_a_transition_then_the_effective_date_is_recorded(
    api_client, scss, make_partner
):
    from ctpat.testing import move_partner_to

    day = timezone.localdate() - timedelta(days=10)
    importer = make_partner(entity_type="importer", country="US")
    move_partner_to(importer, "certified", effective_date=day - timedelta(days=5))
    response = api_client(scss).post(
        f"/api/partners/{importer.public_id}/transitions/",
        {"target": "validated", "effective_date": day.isoformat()},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["change"]["effective_date"] == day.isoformat()


def test_given_an_officer_when_backdating_own_withdrawal_then_403_and_nothing_written(
    api_client, importer_officer, importer
):
    # A backdated withdrawal would dodge the one-year wait before reapplying.
    client = api_client(importer_officer)
    before = counts()
    response = client.post(
        f"/api/partners/{importer.public_id}/transitions/",
        {
            "target": "withdrawn",
            "reason": "x",
            "effective_date": (timezone.localdate() - timedelta(days=400)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 403
    assert counts() == before


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("officer_cbp_only_move", 403),
        ("compliance", 403),
        ("svi_connection", 403),
        ("stranger_officer", 404),
        ("nam", 403),
        ("mra_reviewer", 404),
    ],
)
def test_given_someone_who_may_not_make_the_move_when_posting_a_transition_then_403_or_404(
    who,
    expected,
    api_client,
    make_user,
    cbp_org,
    importer,
    manufacturer,
    stranger,
    importer_officer,
    manufacturer_officer,
    connected,
):
    user, partner = {
        "officer_cbp_only_move": lambda: (manufacturer_officer, manufacturer),
        "compliance": lambda: (
            make_user("partner_compliance", organization=manufacturer.organization),
            manufacturer,
        ),
        "svi_connection": lambda: (importer_officer, manufacturer),
        "stranger_officer": lambda: (
            make_user("partner_officer", organization=stranger.organization),
            importer,
        ),
        "nam": lambda: (make_user("nam", organization=cbp_org), importer),
        "mra_reviewer": lambda: (make_user("mra_reviewer"), importer),
    }[who]()
    client = api_client(user)
    before = counts()
    response = client.post(
        f"/api/partners/{partner.public_id}/transitions/", {"target": "validated"}, format="json"
    )
    assert response.status_code == expected
    assert counts() == before


# --- Identifiers -------------------------------------------------------------------------------


def test_given_a_partner_officer_when_listing_identifiers_then_only_own(
    api_client, importer_officer, importer, manufacturer, connected
):
    response = api_client(importer_officer).get("/api/identifiers/")
    assert response.status_code == 200
    partners = {item["partner"] for item in response.json()["results"]}
    assert partners == {importer.public_id}


def test_given_filters_when_cbp_lists_identifiers_then_only_matches(
    api_client, scss, importer, manufacturer
):
    client = api_client(scss)
    by_partner = client.get(f"/api/identifiers/?partner={manufacturer.public_id}").json()
    assert {i["kind"] for i in by_partner["results"]} == {"mid"}
    by_kind = client.get("/api/identifiers/?kind=bond").json()
    assert {i["partner"] for i in by_kind["results"]} == {importer.public_id}
    assert client.get("/api/identifiers/?active=false").json()["count"] == 0
    assert client.get("/api/identifiers/?kind=nonsense").status_code == 400


def test_given_an_officer_when_adding_an_identifier_then_201_normalised_and_audited(
    api_client, importer_officer, importer
):
    response = api_client(importer_officer).post(
        "/api/identifiers/",
        {"partner": importer.public_id, "kind": "duns", "value": "01-234-5678", "note": "HQ"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["value"] == "012345678"
    assert response.json()["public_id"].startswith("BEI-")
    assert AuditEvent.objects.filter(
        action="identifier.add", object_id=response.json()["public_id"]
    ).exists()


@pytest.mark.parametrize(
    ("body", "status_code", "code"),
    [
        ({"kind": "duns", "value": "12"}, 400, "invalid_format"),
        ({"kind": "warp", "value": "12"}, 400, "invalid"),
        ({"kind": "duns", "value": 12345678}, 400, "invalid"),
        ({"kind": "duns", "value": "012345678", "extra": 1}, 400, "unknown_fields"),
        ({"kind": "duns", "value": "012345678", "partner": "CT-NOSUCHTHING"}, 400, "invalid"),
    ],
    ids=["bad-format", "bad-kind", "wrong-type", "unknown-field", "unknown-partner"],
)
def test_given_bad_input_when_adding_an_identifier_then_400_and_nothing_written(
    body, status_code, code, api_client, importer_officer, importer
):
    client = api_client(importer_officer)
    before = counts()
    response = client.post(
        "/api/identifiers/", {"partner": importer.public_id, **body}, format="json"
    )
    assert response.status_code == status_code, response.json()
    assert error_code(response) == code
    assert counts() == before


def test_given_an_identifier_the_partner_already_has_when_adding_it_again_then_409(
    api_client, scss, importer
):
    existing = importer.identifiers.get(kind="bond")
    response = api_client(scss).post(
        "/api/identifiers/",
        {"partner": importer.public_id, "kind": "bond", "value": existing.value},
        format="json",
    )
    assert response.status_code == 409
    assert error_code(response) == "duplicate_identifier"


def test_given_an_svi_connection_when_adding_an_identifier_to_it_then_403(
    api_client, importer_officer, manufacturer, connected
):
    client = api_client(importer_officer)
    before = counts()
    response = client.post(
        "/api/identifiers/",
        {"partner": manufacturer.public_id, "kind": "duns", "value": "012345678"},
        format="json",
    )
    assert response.status_code == 403
    assert counts() == before


def test_given_a_foreign_identifier_when_getting_or_deactivating_it_then_404(
    api_client, importer_officer, manufacturer, connected
):
    identifier = manufacturer.identifiers.first()
    client = api_client(importer_officer)
    before = counts()
    assert client.get(f"/api/identifiers/{identifier.public_id}/").status_code == 404
    response = client.post(
        f"/api/identifiers/{identifier.public_id}/deactivate/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 404
    assert counts() == before


def test_given_an_identifier_when_deactivated_then_inactive_then_409_when_repeated(
    api_client, importer_officer, importer
):
    identifier = importer.identifiers.get(kind="bond")
    client = api_client(importer_officer)
    url = f"/api/identifiers/{identifier.public_id}/deactivate/"
    detail = client.get(f"/api/identifiers/{identifier.public_id}/")
    assert detail.status_code == 200 and detail.json()["is_active"] is True
    response = client.post(url, {"reason": "Bond replaced"}, format="json")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    again = client.post(url, {"reason": "Again"}, format="json")
    assert again.status_code == 409
    assert error_code(again) == "already_inactive"


def test_given_no_reason_when_deactivating_then_400_reason_required(
    api_client, importer_officer, importer
):
    identifier = importer.identifiers.get(kind="bond")
    response = api_client(importer_officer).post(
        f"/api/identifiers/{identifier.public_id}/deactivate/", {}, format="json"
    )
    assert response.status_code == 400
    assert error_code(response) == "reason_required"


def test_given_a_nam_when_deactivating_an_identifier_then_403(api_client, cbp_user, importer):
    identifier = importer.identifiers.get(kind="bond")
    response = api_client(cbp_user("nam")).post(
        f"/api/identifiers/{identifier.public_id}/deactivate/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 403


def test_given_an_ssn_based_ior_when_shown_then_masked(api_client, scss, importer):
    services.identifier_add(actor=scss, partner=importer, kind="ior", value="123-45-6789")
    response = api_client(scss).get(f"/api/identifiers/?partner={importer.public_id}&kind=ior")
    values = {item["value"] for item in response.json()["results"]}
    assert "***-**-6789" in values
    assert "123-45-6789" not in response.content.decode()


# --- SVI connections ---------------------------------------------------------------------------


def test_given_two_certified_partners_when_requesting_and_accepting_then_connected(
    api_client, importer_officer, manufacturer_officer, importer, manufacturer
):
    requester, target = api_client(importer_officer), api_client(manufacturer_officer)
    created = requester.post(
        "/api/svi-connections/",
        {"target": manufacturer.public_id, "message": "Please connect"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    connection = created.json()
    assert connection["status"] == "pending"
    assert connection["requester"] == {"public_id": importer.public_id, "name": importer.name}
    received = target.get("/api/svi-connections/?status=pending").json()
    assert [c["public_id"] for c in received["results"]] == [connection["public_id"]]
    accepted = target.post(f"/api/svi-connections/{connection['public_id']}/accept/")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    detail = requester.get(f"/api/svi-connections/{connection['public_id']}/")
    assert detail.json()["status"] == "accepted"


def test_given_a_target_that_accepts_automatically_when_requesting_then_accepted_at_once(
    api_client, importer_officer, manufacturer_officer, manufacturer
):
    services.partner_update_svi_settings(
        actor=manufacturer_officer, partner=manufacturer, auto_accept=True, share_more=False
    )
    response = api_client(importer_officer).post(
        "/api/svi-connections/", {"target": manufacturer.public_id}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["status"] == "accepted"


@pytest.mark.parametrize(
    ("action", "actor", "body", "status"),
    [
        ("reject", "target", {"reason": "We do not know you"}, "rejected"),
        ("cancel", "requester", {}, "cancelled"),
    ],
)
def test_given_a_pending_request_when_rejected_or_cancelled_then_closed(
    action,
    actor,
    body,
    status,
    api_client,
    importer_officer,
    manufacturer_officer,
    manufacturer,
):
    connection = services.svi_request(actor=importer_officer, target=manufacturer)
    user = manufacturer_officer if actor == "target" else importer_officer
    response = api_client(user).post(
        f"/api/svi-connections/{connection.public_id}/{action}/", body, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == status


def test_given_an_accepted_connection_when_either_side_disconnects_then_disconnected(
    api_client, importer_officer, connected
):
    response = api_client(importer_officer).post(
        f"/api/svi-connections/{connected.public_id}/disconnect/",
        {"reason": "Contract ended"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "disconnected"
    assert response.json()["decision_reason"] == "Contract ended"


@pytest.mark.parametrize(
    ("who", "action", "expected"),
    [
        ("requester", "accept", 403),
        ("target_compliance", "accept", 403),
        ("target", "cancel", 403),
        ("cbp_admin", "reject", 403),
        ("stranger", "accept", 404),
        ("auditor", "cancel", 404),
    ],
)
def test_given_someone_not_entitled_when_acting_on_an_svi_request_then_403_or_404(
    who,
    action,
    expected,
    api_client,
    make_user,
    cbp_admin,
    importer_officer,
    manufacturer_officer,
    manufacturer,
    stranger,
):
    connection = services.svi_request(actor=importer_officer, target=manufacturer)
    user = {
        "requester": lambda: importer_officer,
        "target": lambda: manufacturer_officer,
        "target_compliance": lambda: make_user(
            "partner_compliance", organization=manufacturer.organization
        ),
        "cbp_admin": lambda: cbp_admin,
        "stranger": lambda: make_user("partner_officer", organization=stranger.organization),
        "auditor": lambda: make_user("auditor"),
    }[who]()
    client = api_client(user)
    before = counts()
    response = client.post(
        f"/api/svi-connections/{connection.public_id}/{action}/", {}, format="json"
    )
    assert response.status_code == expected
    assert counts() == before


def test_given_an_accepted_connection_when_accepted_again_then_409(
    api_client, manufacturer_officer, connected
):
    response = api_client(manufacturer_officer).post(
        f"/api/svi-connections/{connected.public_id}/accept/"
    )
    assert response.status_code == 409
    assert error_code(response) == "svi_not_pending"


def test_given_an_existing_connection_when_requesting_again_then_409(
    api_client, importer_officer, manufacturer, connected
):
    response = api_client(importer_officer).post(
        "/api/svi-connections/", {"target": manufacturer.public_id}, format="json"
    )
    assert response.status_code == 409
    assert error_code(response) == "svi_duplicate"


def test_given_a_company_not_in_the_directory_when_requesting_then_400_and_nothing_written(
    api_client, importer_officer, make_partner, importer
):
    applicant = make_partner(name="Not Yet Certified", status="applicant")
    client = api_client(importer_officer)
    before = counts()
    for target in (applicant.public_id, importer.public_id, "CT-0000000000"):
        response = client.post("/api/svi-connections/", {"target": target}, format="json")
        assert response.status_code == 400
        assert response.json()["error"]["fields"] == {
            "target": ["No such company in the SVI directory."]
        }
    assert counts() == before


def test_given_a_cbp_user_when_requesting_an_svi_connection_then_403(
    api_client, cbp_admin, importer
):
    response = api_client(cbp_admin).post(
        "/api/svi-connections/", {"target": importer.public_id}, format="json"
    )
    assert response.status_code == 403


def test_given_cbp_when_listing_svi_connections_then_all_of_them(
    api_client, scss, connected, importer_officer, stranger
):
    services.svi_request(actor=importer_officer, target=stranger)
    response = api_client(scss).get("/api/svi-connections/")
    assert response.json()["count"] == 2


def test_given_a_search_when_using_the_svi_directory_then_only_name_type_country_and_id(
    api_client, importer_officer, manufacturer, stranger
):
    response = api_client(importer_officer).get("/api/svi-directory/?q=widget")
    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "public_id": manufacturer.public_id,
            "name": manufacturer.name,
            "entity_type": "foreign_manufacturer",
            "country": "CN",
        }
    ]


def test_given_no_search_when_using_the_svi_directory_then_nothing_is_listed(
    api_client, importer_officer, manufacturer
):
    response = api_client(importer_officer).get("/api/svi-directory/")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_given_own_company_when_searching_the_svi_directory_then_it_is_not_listed(
    api_client, importer_officer, importer
):
    response = api_client(importer_officer).get("/api/svi-directory/?q=Acme")
    assert response.json()["count"] == 0


@pytest.mark.parametrize("role", ["cbp_admin", "auditor", "mra_reviewer"])
def test_given_a_non_partner_role_when_using_the_svi_directory_then_403(
    role, api_client, make_user, cbp_org, manufacturer
):
    user = make_user(role, organization=cbp_org if role in CBP_ROLES else None)
    assert api_client(user).get("/api/svi-directory/?q=widget").status_code == 403


# --- Audit events ------------------------------------------------------------------------------


def test_given_a_partner_officer_when_listing_audit_events_then_only_own_organization_s(
    api_client, importer_officer, importer, manufacturer, stranger
):
    response = api_client(importer_officer).get("/api/audit-events/?page_size=500")
    assert response.status_code == 200
    organizations = {
        e["organization"]["public_id"] for e in response.json()["results"] if e["organization"]
    }
    assert organizations == {importer.organization.public_id}
    assert all(e["ip_address"] is None for e in response.json()["results"])


def test_given_a_cbp_admin_when_listing_audit_events_then_all_and_filterable(
    api_client, cbp_admin, importer, manufacturer, importer_officer
):
    services.partner_update_profile(actor=importer_officer, partner=importer, city="Reno")
    client = api_client(cbp_admin)
    everything = client.get("/api/audit-events/").json()
    assert everything["count"] == AuditEvent.objects.count()
    filtered = client.get(
        f"/api/audit-events/?object_id={importer.public_id}"
        f"&action=partner.update&actor={importer_officer.username}"
    ).json()
    assert filtered["count"] == 1
    event = filtered["results"][0]
    assert event["after"]["city"] == "Reno" and event["actor"] == importer_officer.username
    later = (timezone.now() + timedelta(minutes=1)).isoformat()
    assert client.get("/api/audit-events/", {"occurred_after": later}).json()["count"] == 0
    assert (
        client.get("/api/audit-events/", {"occurred_before": later}).json()["count"]
        == (everything["count"])
    )
    detail = client.get(f"/api/audit-events/{event['public_id']}/")
    assert detail.status_code == 200 and detail.json()["action"] == "partner.update"


def test_given_an_scss_when_listing_audit_events_then_only_the_cbp_office_s(
    api_client, scss, importer, cbp_org
):
    response = api_client(scss).get("/api/audit-events/?page_size=500")
    organizations = {
        e["organization"]["public_id"] for e in response.json()["results"] if e["organization"]
    }
    assert organizations == {cbp_org.public_id}


def test_given_an_offset_postgresql_cannot_store_when_filtering_audit_events_then_it_works(
    api_client, cbp_admin
):
    # Python accepts UTC offsets up to ±23:59, PostgreSQL only up to ±15:59.
    response = api_client(cbp_admin).get(
        "/api/audit-events/", {"occurred_before": "2999-08-03T18:48:55+20:34"}
    )
    assert response.status_code == 200
    assert response.json()["count"] == AuditEvent.objects.count()


def test_given_another_organization_s_event_when_getting_it_then_404(
    api_client, importer_officer, manufacturer
):
    event = AuditEvent.objects.filter(organization=manufacturer.organization).first()
    response = api_client(importer_officer).get(f"/api/audit-events/{event.public_id}/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "value", ["yesterday", "0001-01-01T00:00:00+05:00", "", "9999-12-31T23:59:59-05:00"]
)
def test_given_a_bad_date_filter_when_listing_audit_events_then_400(value, api_client, cbp_admin):
    response = api_client(cbp_admin).get("/api/audit-events/", {"occurred_after": value})
    assert response.status_code == 400
    assert error_code(response) == "invalid"


# --- Me --------------------------------------------------------------------------------------


def test_given_a_partner_officer_when_asking_who_am_i_then_role_organization_permissions(
    api_client, importer_officer, importer
):
    response = api_client(importer_officer).get("/api/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == importer_officer.username
    assert body["role"] == "partner_officer"
    assert body["organization"]["public_id"] == importer.organization.public_id
    assert body["partner"] == importer.public_id
    assert "svi.decide" in body["permissions"] and "partner.create" not in body["permissions"]
    assert "id" not in body


def test_given_a_cbp_admin_when_asking_who_am_i_then_admin_permissions_and_no_partner(
    api_client, cbp_admin
):
    body = api_client(cbp_admin).get("/api/me/").json()
    assert body["partner"] is None
    assert {"partner.create", "audit.view_all"} <= set(body["permissions"])
    assert body["needs_two_factor"] is True


def test_given_cbp_when_recording_a_revalidation_then_the_cycle_restarts(
    api_client, scss, make_partner
):
    from ctpat.partners import rules
    from ctpat.testing import move_partner_to

    day = timezone.localdate() - timedelta(days=30)
    partner = make_partner(entity_type="importer", country="US")
    move_partner_to(partner, "validated", effective_date=day - timedelta(days=60))
    response = api_client(scss).post(
        f"/api/partners/{partner.public_id}/validations/",
        {"validated_on": day.isoformat(), "reason": "Revalidated"},
        format="json",
    )
    assert response.status_code == 201, response.content
    partner.refresh_from_db()
    assert partner.last_validation_date == day
    assert rules.revalidation_due(partner.last_validation_date) == rules.add_years(day, 4)


def test_given_a_partner_officer_when_recording_a_validation_then_403(
    api_client, importer_officer, importer
):
    response = api_client(importer_officer).post(
        f"/api/partners/{importer.public_id}/validations/",
        {"validated_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert response.status_code == 403

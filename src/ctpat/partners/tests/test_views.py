"""Partner pages: list, register, detail tabs, status changes and status verification (SVI)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from ctpat.core.models import AuditEvent
from ctpat.partners.models import Partner, PartnerIdentifier, SVIConnection
from ctpat.partners.services import partner_update_svi_settings, svi_accept, svi_request
from ctpat.testing import move_partner_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def connected(importer_officer, manufacturer_officer, importer, manufacturer):
    """The importer and the manufacturer verify each other by SVI."""
    connection = svi_request(actor=importer_officer, target=manufacturer)
    return svi_accept(actor=manufacturer_officer, connection=connection)


# --- List ----------------------------------------------------------------------------------


def test_given_cbp_user_when_listing_partners_then_every_partner(
    login, scss, importer, manufacturer
):
    response = login(scss).get(reverse("partners:list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert importer.name in html and manufacturer.name in html
    assert html.count("<h1") == 1
    assert "Register partner" not in html


def test_given_cbp_admin_when_listing_then_register_button(login, cbp_admin):
    html = login(cbp_admin).get(reverse("partners:list")).content.decode()

    assert reverse("partners:create") in html


def test_given_partner_user_when_listing_then_only_own_company(
    login, importer_officer, importer, manufacturer
):
    html = login(importer_officer).get(reverse("partners:list")).content.decode()

    assert importer.name in html
    assert manufacturer.name not in html


def test_given_svi_connection_when_listing_then_connected_company_shown_without_private_fields(
    login, importer_officer, manufacturer, connected
):
    response = login(importer_officer).get(reverse("partners:list"))

    rows = {row["partner"].pk: row for row in response.context["rows"]}
    assert rows[manufacturer.pk]["full"] is False
    assert rows[manufacturer.pk]["certification_date"] is None
    assert rows[manufacturer.pk]["tier"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        pytest.param({"q": "acme"}, {"Acme Imports Inc."}, id="search-name"),
        pytest.param({"status": "applicant"}, {"Pending Applicant Co."}, id="status"),
        pytest.param(
            {"entity_type": "foreign_manufacturer"}, {"Shanghai Widget Factory"}, id="entity-type"
        ),
        pytest.param({"country": "CN"}, {"Shanghai Widget Factory"}, id="country"),
        pytest.param({"tier": "1"}, {"Acme Imports Inc.", "Shanghai Widget Factory"}, id="tier"),
    ],
)
def test_given_filter_when_listing_then_only_matching_partners(
    login, scss, importer, manufacturer, make_partner, params, expected
):
    make_partner(
        name="Pending Applicant Co.", entity_type="importer", country="US", status="applicant"
    )

    response = login(scss).get(reverse("partners:list"), params)

    assert {row["partner"].name for row in response.context["rows"]} == expected


def test_given_ordering_when_listing_then_sorted_and_header_says_so(
    login, scss, importer, manufacturer
):
    response = login(scss).get(reverse("partners:list"), {"ordering": "-name"})

    names = [row["partner"].name for row in response.context["rows"]]
    assert names == sorted(names, reverse=True)
    assert 'aria-sort="descending"' in response.content.decode()


def test_given_htmx_filter_request_then_results_partial_only(login, scss, importer):
    response = login(scss).get(reverse("partners:list"), {"q": "acme"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "<html" not in html
    assert 'id="partner-results"' in html
    assert importer.name in html


def test_given_boosted_htmx_request_then_full_page(login, scss):
    response = login(scss).get(
        reverse("partners:list"), HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true"
    )

    assert "<html" in response.content.decode()


def test_given_filter_when_exporting_csv_then_filtered_rows(login, scss, importer, manufacturer):
    response = login(scss).get(reverse("partners:list"), {"country": "US", "format": "csv"})

    body = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines[0].startswith("account_number,name")
    assert len(lines) == 2
    assert importer.public_id in lines[1]


def test_given_partner_user_when_exporting_csv_then_same_restriction(
    login, importer_officer, importer, manufacturer
):
    response = login(importer_officer).get(reverse("partners:list"), {"format": "csv"})

    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert importer.public_id in body
    assert manufacturer.public_id not in body


def test_given_many_partners_when_listing_then_25_per_page(login, scss, make_partner):
    for _ in range(26):
        make_partner()

    response = login(scss).get(reverse("partners:list"))

    assert len(response.context["rows"]) == 25
    assert "usa-pagination" in response.content.decode()


# --- Register ------------------------------------------------------------------------------


@pytest.mark.parametrize("role_fixture", ["scss", "importer_officer"])
def test_given_user_without_create_permission_when_opening_register_then_403(
    request, login, role_fixture
):
    response = login(request.getfixturevalue(role_fixture)).get(reverse("partners:create"))

    assert response.status_code == 403


def test_given_cbp_admin_when_choosing_entity_type_then_required_identifier_fields(
    login, cbp_admin
):
    response = login(cbp_admin).get(
        reverse("partners:create_identifier_fields"),
        {"entity_type": "importer"},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert 'id="identifier-fields"' in html
    assert "An importer needs an Importer of Record number (IOR)." in html
    assert 'name="identifier_0_value"' in html and 'name="identifier_1_value"' in html


def test_given_valid_form_when_registering_then_partner_created_and_shown(login, cbp_admin):
    response = login(cbp_admin).post(
        reverse("partners:create"),
        {
            "name": "Gulf Coast Imports LLC",
            "entity_type": "importer",
            "country": "US",
            "identifier_0_kind": "ior",
            "identifier_0_value": "12-345678900",
            "identifier_1_kind": "bond",
            "identifier_1_value": "BD1234567",
            "primary_contact_email": "security@gulfcoast.example",
        },
    )

    partner = Partner.objects.get(organization__name="Gulf Coast Imports LLC")
    assert response.status_code == 302
    assert response.url == reverse("partners:detail", args=[partner.public_id])
    assert set(partner.identifiers.values_list("kind", flat=True)) == {"ior", "bond"}
    assert partner.status == "pre_applicant"


def test_given_malformed_identifier_when_registering_then_message_and_nothing_written(
    login, cbp_admin
):
    client = login(cbp_admin)
    partners_before, events_before = Partner.objects.count(), AuditEvent.objects.count()

    response = client.post(
        reverse("partners:create"),
        {
            "name": "Broken Id Imports",
            "entity_type": "importer",
            "country": "US",
            "identifier_0_kind": "ior",
            "identifier_0_value": "12-34",
            "identifier_1_kind": "bond",
            "identifier_1_value": "BD1234567",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "An IOR number is" in html
    assert "usa-form-group--error" in html
    assert Partner.objects.count() == partners_before
    assert AuditEvent.objects.count() == events_before


def test_given_another_partners_identifier_when_registering_then_cbp_sees_the_shared_claim(
    login, cbp_admin, importer
):
    taken = importer.identifiers.get(kind="bond").value
    count = Partner.objects.count()
    client = login(cbp_admin)

    response = client.post(
        reverse("partners:create"),
        {
            "name": "Copycat Imports",
            "entity_type": "importer",
            "country": "US",
            "identifier_0_kind": "ior",
            "identifier_0_value": "12-345678900",
            "identifier_1_kind": "bond",
            "identifier_1_value": taken,
        },
    )

    # Identifiers are unique per partner: the claim is recorded and flagged to CBP.
    assert response.status_code == 302
    assert Partner.objects.count() == count + 1
    tab = client.get(reverse("partners:identifiers", args=[importer.public_id]))
    assert "Another partner also claims" in tab.content.decode()
    assert "Copycat Imports" in tab.content.decode()


# --- Detail tabs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tab", ["detail", "identifiers", "status_history", "svi_connections", "history"]
)
def test_given_own_company_when_opening_each_tab_then_it_renders(
    login, importer_officer, importer, tab
):
    response = login(importer_officer).get(reverse(f"partners:{tab}", args=[importer.public_id]))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'aria-current="page"' in html
    assert "style=" not in html


@pytest.mark.parametrize("tab", ["detail", "identifiers", "history"])
def test_given_htmx_tab_request_then_partial_layout(login, scss, importer, tab):
    response = login(scss).get(
        reverse(f"partners:{tab}", args=[importer.public_id]), HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="partner-detail">')


def test_given_unrelated_partner_when_opening_detail_then_404(
    login, importer_officer, manufacturer
):
    response = login(importer_officer).get(
        reverse("partners:detail", args=[manufacturer.public_id])
    )

    assert response.status_code == 404


def test_given_svi_connection_when_opening_detail_then_only_summary_and_no_tabs(
    login, importer_officer, manufacturer, connected
):
    response = login(importer_officer).get(
        reverse("partners:detail", args=[manufacturer.public_id])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert manufacturer.name in html and "Certified" in html
    assert "usa-sidenav" not in html
    assert "Tier 1" not in html
    mid = manufacturer.identifiers.first().value
    assert mid not in html


def test_given_svi_connection_sharing_more_when_opening_detail_then_tier_and_contact(
    login, importer_officer, manufacturer_officer, manufacturer, connected
):
    partner_update_svi_settings(
        actor=manufacturer_officer, partner=manufacturer, auto_accept=False, share_more=True
    )

    html = (
        login(importer_officer)
        .get(reverse("partners:detail", args=[manufacturer.public_id]))
        .content.decode()
    )

    assert "Tier 1" in html
    assert "Primary contact" in html


@pytest.mark.parametrize("tab", ["identifiers", "status_history", "svi_connections", "history"])
def test_given_svi_connection_when_opening_a_tab_then_403(
    login, importer_officer, manufacturer, connected, tab
):
    response = login(importer_officer).get(
        reverse(f"partners:{tab}", args=[manufacturer.public_id])
    )

    assert response.status_code == 403


def test_given_auditor_when_opening_partner_then_404(login, make_user, importer):
    auditor = make_user("auditor")

    response = login(auditor).get(reverse("partners:detail", args=[importer.public_id]))

    assert response.status_code == 404


def test_given_history_tab_then_events_of_partner_and_identifiers(login, scss, importer):
    response = login(scss).get(reverse("partners:history", args=[importer.public_id]))

    actions = {e.action for e in response.context["page_obj"]}
    assert {"partner.register", "identifier.add", "partner.transition"} <= actions


# --- Identifiers ---------------------------------------------------------------------------


def test_given_officer_when_adding_identifier_then_it_is_listed(login, importer_officer, importer):
    response = login(importer_officer).post(
        reverse("partners:identifiers", args=[importer.public_id]),
        {"kind": "ein", "value": "12-3456789", "note": "parent"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert "Added" in response.content.decode()
    assert importer.identifiers.filter(kind="ein", note="parent").exists()


def test_given_bad_identifier_when_adding_then_error_and_nothing_added(
    login, importer_officer, importer
):
    count = importer.identifiers.count()

    response = login(importer_officer).post(
        reverse("partners:identifiers", args=[importer.public_id]),
        {"kind": "scac", "value": "12"},
    )

    assert response.status_code == 400
    assert "A SCAC is" in response.content.decode()
    assert importer.identifiers.count() == count


def test_given_reason_when_deactivating_identifier_then_inactive(login, scss, importer):
    identifier = importer.identifiers.get(kind="bond")

    response = login(scss).post(
        reverse("partners:identifier_deactivate", args=[importer.public_id, identifier.public_id]),
        {"reason": "Bond replaced"},
    )

    assert response.status_code == 302
    identifier.refresh_from_db()
    assert not identifier.is_active


def test_given_no_reason_when_deactivating_identifier_then_error_and_still_active(
    login, scss, importer
):
    identifier = importer.identifiers.get(kind="bond")

    response = login(scss).post(
        reverse("partners:identifier_deactivate", args=[importer.public_id, identifier.public_id]),
        {"reason": ""},
    )

    assert response.status_code == 400
    assert PartnerIdentifier.objects.get(pk=identifier.pk).is_active


def test_given_nam_when_adding_identifier_then_403(login, make_user, cbp_org, importer):
    nam = make_user("nam", organization=cbp_org)

    response = login(nam).post(
        reverse("partners:identifiers", args=[importer.public_id]),
        {"kind": "ein", "value": "12-3456789"},
    )

    assert response.status_code == 403


# --- Status --------------------------------------------------------------------------------


def test_given_certified_partner_when_cbp_views_status_then_allowed_targets_offered(
    login, scss, importer
):
    response = login(scss).get(reverse("partners:status_history", args=[importer.public_id]))

    form = response.context["form"]
    offered = [value for value, _ in form.fields["target"].widget.choices if value]
    assert offered == ["validated", "suspended", "withdrawn"]


def test_given_illegal_transition_when_posted_then_rule_reason_and_nothing_changes(
    login, scss, importer
):
    client = login(scss)
    events = AuditEvent.objects.count()

    response = client.post(
        reverse("partners:status_history", args=[importer.public_id]),
        {"target": "tier_iii", "reason": "skip ahead"},
    )

    assert response.status_code == 400
    assert "cannot move from certified (Tier I) to Tier III" in response.content.decode()
    importer.refresh_from_db()
    assert importer.status == "certified"
    assert AuditEvent.objects.count() == events


def test_given_suspension_without_reason_when_posted_then_reason_required_message(
    login, scss, importer
):
    response = login(scss).post(
        reverse("partners:status_history", args=[importer.public_id]),
        {"target": "suspended", "reason": ""},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200  # htmx swaps only 2xx responses by default
    assert "A reason is required for suspending the membership." in response.content.decode()
    importer.refresh_from_db()
    assert importer.status == "certified"


def test_given_legal_transition_when_posted_then_status_changes_and_is_listed(
    login, scss, importer
):
    client = login(scss)

    response = client.post(
        reverse("partners:status_history", args=[importer.public_id]),
        {"target": "suspended", "reason": "Seal breach"},
    )

    assert response.status_code == 302
    importer.refresh_from_db()
    assert importer.status == "suspended"
    html = client.get(response.url).content.decode()
    assert "Seal breach" in html


def test_given_partner_officer_when_viewing_status_then_only_self_moves(
    login, importer_officer, importer
):
    response = login(importer_officer).get(
        reverse("partners:status_history", args=[importer.public_id])
    )

    offered = [v for v, _ in response.context["form"].fields["target"].widget.choices if v]
    assert offered == ["withdrawn"]


def test_given_partner_officer_when_posting_cbp_only_move_then_403(
    login, importer_officer, importer
):
    response = login(importer_officer).post(
        reverse("partners:status_history", args=[importer.public_id]),
        {"target": "validated", "reason": ""},
    )

    assert response.status_code == 403
    importer.refresh_from_db()
    assert importer.status == "certified"


# --- Edit ----------------------------------------------------------------------------------


def test_given_officer_when_editing_profile_then_saved(login, importer_officer, importer):
    response = login(importer_officer).post(
        reverse("partners:edit", args=[importer.public_id]),
        {
            "city": "Newark",
            "primary_contact_email": "csm@acme.example",
            "reason": "moved",
        },
    )

    assert response.status_code == 302
    importer.refresh_from_db()
    assert importer.city == "Newark"


def test_given_fld_reviewer_when_editing_profile_then_403(login, make_user, cbp_org, importer):
    reviewer = make_user("fld_reviewer", organization=cbp_org)

    response = login(reviewer).get(reverse("partners:edit", args=[importer.public_id]))

    assert response.status_code == 403


# --- Status verification (SVI) -------------------------------------------------------------


def test_given_cbp_user_when_opening_svi_page_then_403(login, scss):
    assert login(scss).get(reverse("partners:svi")).status_code == 403


def test_given_svi_request_when_target_accepts_then_both_see_connection(
    login, importer_officer, manufacturer_officer, importer, manufacturer
):
    requester = login(importer_officer)
    search = requester.get(
        reverse("partners:svi_search"), {"q": "shanghai"}, HTTP_HX_REQUEST="true"
    )
    assert manufacturer.public_id in search.content.decode()

    sent = requester.post(reverse("partners:svi_request"), {"target": manufacturer.public_id})
    assert sent.status_code == 302
    connection = SVIConnection.objects.get(requester=importer, target=manufacturer)
    assert connection.status == "pending"

    target = login(manufacturer_officer)
    dashboard = target.get(reverse("dashboard")).content.decode()
    assert reverse("partners:svi_accept", args=[connection.public_id]) in dashboard

    accepted = target.post(
        reverse("partners:svi_accept", args=[connection.public_id]),
        {"panel": "dashboard"},
        HTTP_HX_REQUEST="true",
    )
    html = accepted.content.decode()
    assert accepted.status_code == 200
    assert "<html" not in html and 'id="svi-incoming"' in html
    assert f"connected with {importer.name}" in html
    connection.refresh_from_db()
    assert connection.status == "accepted"

    svi_page = requester.get(reverse("partners:svi")).content.decode()
    assert manufacturer.name in svi_page
    detail = requester.get(reverse("partners:detail", args=[manufacturer.public_id]))
    assert detail.status_code == 200


def test_given_pending_request_when_rejected_on_svi_page_then_lists_partial(
    login, importer_officer, manufacturer_officer, manufacturer
):
    connection = svi_request(actor=importer_officer, target=manufacturer)

    response = login(manufacturer_officer).post(
        reverse("partners:svi_reject", args=[connection.public_id]),
        {"panel": "svi"},
        HTTP_HX_REQUEST="true",
    )

    assert 'id="svi-lists"' in response.content.decode()
    connection.refresh_from_db()
    assert connection.status == "rejected"


def test_given_compliance_user_when_accepting_then_403(
    login, make_user, importer_officer, manufacturer
):
    connection = svi_request(actor=importer_officer, target=manufacturer)
    compliance = make_user("partner_compliance", organization=manufacturer.organization)

    response = login(compliance).post(reverse("partners:svi_accept", args=[connection.public_id]))

    assert response.status_code == 403
    connection.refresh_from_db()
    assert connection.status == "pending"


def test_given_outgoing_request_when_cancelled_then_cancelled(
    login, importer_officer, manufacturer
):
    connection = svi_request(actor=importer_officer, target=manufacturer)

    response = login(importer_officer).post(
        reverse("partners:svi_cancel", args=[connection.public_id])
    )

    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.status == "cancelled"


def test_given_duplicate_request_when_sent_then_error_message(
    login, importer_officer, manufacturer
):
    svi_request(actor=importer_officer, target=manufacturer)
    client = login(importer_officer)

    response = client.post(
        reverse("partners:svi_request"), {"target": manufacturer.public_id}, follow=True
    )

    assert "already exists or is pending" in response.content.decode()
    assert SVIConnection.objects.count() == 1


def test_given_officer_when_saving_svi_settings_then_saved(login, importer_officer, importer):
    response = login(importer_officer).post(reverse("partners:svi_settings"), {"share_more": "on"})

    assert response.status_code == 302
    importer.refresh_from_db()
    assert importer.svi_share_more and not importer.svi_auto_accept


def test_given_compliance_user_when_saving_svi_settings_then_403(login, make_user, importer):
    compliance = make_user("partner_compliance", organization=importer.organization)

    response = login(compliance).post(reverse("partners:svi_settings"), {"share_more": "on"})

    assert response.status_code == 403


def test_given_invitation_when_sent_then_email_and_listed(
    login, importer_officer, django_capture_on_commit_callbacks
):
    client = login(importer_officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("partners:certification_request"),
            {
                "company_name": "Ningbo Parts Ltd",
                "email": "export@ningbo.example",
            },
        )

    assert response.status_code == 302
    from ctpat.notifications.models import OutboundEmail
    from ctpat.notifications.tasks import send_outbound_email

    # Queued with the request; the background worker sends it.
    email = OutboundEmail.objects.get(to="export@ningbo.example")
    assert send_outbound_email.call(email.public_id) == "sent"
    assert mail.outbox[0].to == ["export@ningbo.example"]
    assert "Ningbo Parts Ltd" in client.get(reverse("partners:svi")).content.decode()


def test_given_bad_email_when_inviting_then_error_and_nothing_sent(login, importer_officer):
    response = login(importer_officer).post(
        reverse("partners:certification_request"),
        {
            "company_name": "Ningbo Parts Ltd",
            "email": "not-an-email",
        },
    )

    assert response.status_code == 400
    assert "usa-error-message" in response.content.decode()
    assert mail.outbox == []


def test_given_pre_applicant_when_opening_svi_page_then_cannot_search(
    login, make_partner, make_user
):
    partner = make_partner(name="New Co", entity_type="importer", country="US")
    officer = make_user("partner_officer", organization=partner.organization)

    html = login(officer).get(reverse("partners:svi")).content.decode()

    assert "Only certified members can connect" in html
    assert 'id="svi-q"' not in html


def test_given_suspended_status_when_viewed_by_cbp_then_reinstatement_offered(
    login, scss, make_partner
):
    partner = move_partner_to(make_partner(), "suspended")

    response = login(scss).get(reverse("partners:status_history", args=[partner.public_id]))

    offered = [v for v, _ in response.context["form"].fields["target"].widget.choices if v]
    assert "certified" in offered
    # Removal waits for the 90-day response window (rules.SUSPENSION_RESPONSE_DAYS).
    assert "removed" not in offered
    assert "validated" not in offered

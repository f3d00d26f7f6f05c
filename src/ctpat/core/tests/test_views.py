"""The audit log pages, the shared audit selector, the error pages and the read-only admin."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from ctpat.core import selectors
from ctpat.core.lists import csv_safe
from ctpat.core.models import AuditEvent
from ctpat.core.views import error_500
from ctpat.partners.services import partner_update_profile, svi_accept, svi_request

pytestmark = pytest.mark.django_db


# --- Audit log -----------------------------------------------------------------------------


def test_given_cbp_admin_when_opening_audit_log_then_events_are_listed(login, cbp_admin, importer):
    response = login(cbp_admin).get(reverse("core:audit_log"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "partner.register" in html
    assert "<details>" in html
    assert html.count("<h1") == 1


@pytest.mark.parametrize("role_fixture", ["scss", "importer_officer"])
def test_given_user_without_audit_permission_when_opening_audit_log_then_403(
    request, login, role_fixture
):
    user = request.getfixturevalue(role_fixture)

    response = login(user).get(reverse("core:audit_log"))

    assert response.status_code == 403
    assert "do not have access" in response.content.decode()


def test_given_anonymous_when_opening_audit_log_then_redirected_to_login():
    response = Client().get(reverse("core:audit_log"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_given_action_filter_when_listing_then_only_that_action(login, cbp_admin, importer):
    partner_update_profile(actor=None, partner=importer, city="Newark")

    response = login(cbp_admin).get(reverse("core:audit_log"), {"action": "partner.update"})

    page = response.context["page_obj"]
    assert len(page) == 1
    assert {e.action for e in page} == {"partner.update"}


def test_given_object_id_and_dates_when_filtering_then_matching_events(login, cbp_admin, importer):
    client = login(cbp_admin)

    response = client.get(
        reverse("core:audit_log"),
        {"object_id": importer.public_id, "date_from": "2000-01-01", "date_to": "2999-12-31"},
    )
    empty = client.get(reverse("core:audit_log"), {"date_to": "2000-01-01"})

    assert {e.object_id for e in response.context["page_obj"]} == {importer.public_id}
    assert len(empty.context["page_obj"]) == 0


def test_given_htmx_request_when_filtering_then_only_results_partial(login, cbp_admin, importer):
    response = login(cbp_admin).get(
        reverse("core:audit_log"), {"action": "partner.register"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="audit-results"' in html
    assert "HX-Request" in response["Vary"]


def test_given_filter_when_exporting_csv_then_same_events_as_csv(login, cbp_admin, importer):
    partner_update_profile(actor=None, partner=importer, city="=HYPERLINK(1)")

    response = login(cbp_admin).get(
        reverse("core:audit_log"), {"action": "partner.update", "format": "csv"}
    )

    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0].startswith("occurred_at,event_id,actor")
    assert len(lines) == 2
    assert "partner.update" in lines[1]


def test_given_csv_cell_starting_with_formula_then_it_is_neutralised():
    assert csv_safe("=1+1") == "'=1+1"
    assert csv_safe("-5") == "'-5"
    assert csv_safe("Acme") == "Acme"
    assert csv_safe(None) == ""


def test_given_event_when_admin_opens_detail_then_diff_is_shown(login, cbp_admin, importer):
    partner_update_profile(actor=None, partner=importer, city="Newark")
    event = AuditEvent.objects.get(action="partner.update")

    response = login(cbp_admin).get(reverse("core:event_detail", args=[event.public_id]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Newark" in html
    assert ">After</th>" in html


def test_given_unknown_event_when_opening_detail_then_404(login, cbp_admin):
    response = login(cbp_admin).get(reverse("core:event_detail", args=["EVT-NOPE"]))

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_given_partner_user_when_opening_event_detail_then_403(login, importer_officer, importer):
    event = AuditEvent.objects.filter(object_id=importer.public_id).first()

    response = login(importer_officer).get(reverse("core:event_detail", args=[event.public_id]))

    assert response.status_code == 403


# --- audit_events_for ----------------------------------------------------------------------


def test_given_own_partner_when_selecting_history_then_its_events(importer_officer, importer):
    events = selectors.audit_events_for(viewer=importer_officer, objects=[importer])

    assert events.exists()
    assert {e.object_id for e in events} == {importer.public_id}


def test_given_unrelated_partner_when_selecting_history_then_nothing(
    importer_officer, manufacturer
):
    events = selectors.audit_events_for(viewer=importer_officer, objects=[manufacturer])

    assert not events.exists()


def test_given_svi_connected_partner_when_selecting_history_then_nothing(
    importer_officer, manufacturer_officer, importer, manufacturer
):
    connection = svi_request(actor=importer_officer, target=manufacturer)
    svi_accept(actor=manufacturer_officer, connection=connection)

    own_events = selectors.audit_events_for(viewer=importer_officer, objects=[manufacturer])

    assert not own_events.exists()


def test_given_scss_when_selecting_partner_history_then_events_are_visible(scss, importer):
    assert selectors.audit_events_for(viewer=scss, objects=[importer]).exists()


# --- Error pages ---------------------------------------------------------------------------


def test_given_unknown_url_when_signed_in_then_styled_404(login, importer_officer):
    response = login(importer_officer).get("/no/such/page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "usa-button" in html and "Page not found" in html


def test_given_server_error_then_500_page_renders_without_request_context():
    response = error_500(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


# --- Admin ---------------------------------------------------------------------------------


def test_given_cbp_admin_when_using_admin_then_records_are_read_only(login, cbp_admin, importer):
    client = login(cbp_admin)

    changelist = client.get("/admin/partners/partner/")
    change = client.get(f"/admin/partners/partner/{importer.pk}/change/")
    add = client.get("/admin/partners/partner/add/")
    token_page = client.get("/admin/accounts/apitoken/")

    assert changelist.status_code == 200
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert add.status_code == 403
    assert token_page.status_code == 200
    assert "key_digest" not in token_page.content.decode()


def test_given_update_event_then_diff_lists_only_changed_fields(importer):
    from ctpat.core.templatetags.ctpat_ui import audit_diff

    partner_update_profile(actor=None, partner=importer, city="Newark")
    event = AuditEvent.objects.get(action="partner.update")

    diff = audit_diff(event)

    assert diff["mode"] == "changes"
    assert diff["rows"] == [{"field": "city", "before": "", "after": "Newark"}]
    assert diff["unchanged"] > 0


def test_given_creation_event_then_diff_lists_recorded_values(importer):
    from ctpat.core.templatetags.ctpat_ui import audit_diff

    event = AuditEvent.objects.get(action="partner.register", object_id=importer.public_id)

    diff = audit_diff(event)

    assert diff["mode"] == "values"
    assert {"field": "entity_type", "value": "importer"} in diff["rows"]

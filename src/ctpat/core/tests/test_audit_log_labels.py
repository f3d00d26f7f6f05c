"""The audit log reads in words: action and record-type labels next to the codes, names next
to ids, in the pages, the CSV export and the API, with no per-row lookups."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from ctpat.core import audit_labels
from ctpat.core.models import AuditEvent
from ctpat.partners.services import partner_update_profile

pytestmark = pytest.mark.django_db


def test_labels_come_from_the_registry_then_the_model_then_the_code():
    assert audit_labels.action_label("partner.transition") == "Membership status changed"
    assert audit_labels.object_type_label("partners.partner") == "Partner"
    assert audit_labels.object_type_label("partners.sviconnection") == (
        "Status verification connection"
    )
    assert audit_labels.object_type_label("no.such_model") == "no.such_model"
    assert audit_labels.action_label("brand.new_thing") == "Brand new thing"


def test_a_code_labelled_twice_differently_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="labelled twice"):
        audit_labels.register(actions={"partner.transition": "Something else"})
    audit_labels.register(actions={"partner.transition": "Membership status changed"})  # same


def test_the_log_page_shows_labels_next_to_codes_and_the_actors_name(
    login, cbp_admin, importer, importer_officer
):
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(pk=importer_officer.pk).update(
        first_name="Ada", last_name="Lovelace"
    )
    importer_officer.refresh_from_db()
    partner_update_profile(actor=importer_officer, partner=importer, city="Reno")
    body = login(cbp_admin).get(reverse("core:audit_log")).content.decode()
    assert "Company profile updated" in body and "partner.update" in body
    assert "Partner: Acme Imports Inc." in body and importer.public_id in body
    assert f"Ada Lovelace ({importer_officer.username})" in body
    # The filter menus offer labels too.
    assert "Company profile updated (partner.update)" in body
    assert "Partner (partners.partner)" in body


def test_the_actor_filter_still_matches_the_user_name(login, cbp_admin, importer, importer_officer):
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(pk=importer_officer.pk).update(first_name="Ada")
    importer_officer.refresh_from_db()
    partner_update_profile(actor=importer_officer, partner=importer, city="Reno")
    response = login(cbp_admin).get(
        reverse("core:audit_log"), {"actor": importer_officer.username, "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][2] == f"Ada ({importer_officer.username})"


def test_the_event_page_shows_the_labels(login, cbp_admin, importer):
    event = AuditEvent.objects.filter(action="partner.register").first()
    body = login(cbp_admin).get(reverse("core:event_detail", args=[event.public_id])).content
    body = body.decode()
    assert "Partner registered" in body and "Partner: Acme Imports Inc." in body


def test_the_csv_keeps_its_columns_first_and_adds_labels_and_names(login, cbp_admin, importer):
    response = login(cbp_admin).get(
        reverse("core:audit_log"), {"action": "partner.register", "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header, row = rows[0], rows[1]
    assert header[:14] == [
        "occurred_at",
        "event_id",
        "actor",
        "actor_organization",
        "action",
        "object_type",
        "object_id",
        "object",
        "reason",
        "before",
        "after",
        "source",
        "ip_address",
        "request_id",
    ]
    extra = dict(zip(header[14:], row[14:], strict=True))
    assert extra == {
        "action_label": "Partner registered",
        "object_type_label": "Partner",
        "organization": importer.organization.name,
        "counterparty": "",
    }


def test_the_api_gives_the_labels(api_client, cbp_admin, importer):
    response = api_client(cbp_admin).get("/api/audit-events/", {"action": "partner.register"})
    event = response.json()["results"][0]
    assert event["action_label"] == "Partner registered"
    assert event["object_type_label"] == "Partner"


def test_labels_and_names_cost_no_query_per_row(login, cbp_admin, make_partner):
    client = login(cbp_admin)
    make_partner(name="One Co", entity_type="importer", country="US", status="certified")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("core:audit_log"))
    for i in range(8):
        make_partner(name=f"Many Co {i}", entity_type="importer", country="US", status="certified")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("core:audit_log"))
    assert AuditEvent.objects.count() > 20
    assert len(many.captured_queries) == len(few.captured_queries)

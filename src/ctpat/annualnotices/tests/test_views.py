"""ANL pages: CBP overview (filter, pagination, CSV), history, partner page and form, review,
pilot migration pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ctpat.annualnotices import services
from ctpat.annualnotices.models import AnnualNotificationLetter, PilotImport
from ctpat.tradecompliance.models import TradeComplianceMembership

from .factories import accepted_for_due_in, content, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def members():
    today = timezone.localdate()
    due_soon, due_soon_officer = make_member(
        accepted_on=accepted_for_due_in(20, today), name="Soon Imports"
    )
    overdue, _ = make_member(accepted_on=accepted_for_due_in(-10, today), name="Late Imports")
    filed, filed_officer = make_member(
        accepted_on=accepted_for_due_in(15, today), name="Prompt Imports"
    )
    services.anl_letter_file(
        actor=filed_officer, membership=filed, period=0, content=content(), signed_name="P."
    )
    return {"due_soon": (due_soon, due_soon_officer), "overdue": overdue, "filed": filed}


def test_cbp_sees_who_is_due_overdue_and_filed_and_can_filter(members, login, cbp_org, make_user):
    client = login(make_user("nam", organization=cbp_org))
    url = reverse("annualnotices:overview")
    page = client.get(url).content.decode()
    for name in ("Soon Imports", "Late Imports", "Prompt Imports"):
        assert name in page
    overdue = client.get(url, {"status": "overdue"}).content.decode()
    assert "Late Imports" in overdue and "Soon Imports" not in overdue
    on_time = client.get(url, {"status": "filed_on_time"}).content.decode()
    assert "Prompt Imports" in on_time and "Late Imports" not in on_time
    # HTMX filter gets only the table.
    partial = client.get(url, {"status": "due_soon"}, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="anl-overview">') and "Soon Imports" in partial


def test_cbp_overview_exports_csv(members, login, cbp_org, make_user):
    client = login(make_user("scss", organization=cbp_org))
    response = client.get(reverse("annualnotices:overview"), {"export": "csv", "status": "overdue"})
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0].startswith("account_number,company")
    assert len(lines) == 2 and "Late Imports" in lines[1] and "overdue" in lines[1]


def test_cbp_overview_is_paginated(login, cbp_org, make_user):
    today = timezone.localdate()
    for n in range(27):
        make_member(
            accepted_on=accepted_for_due_in(100 + n, today), name=f"Bulk {n:02d} Co", officer=False
        )
    client = login(make_user("nam", organization=cbp_org))
    first = client.get(reverse("annualnotices:overview")).content.decode()
    second = client.get(reverse("annualnotices:overview"), {"page": 2}).content.decode()
    assert first.count("Bulk ") == 25 and second.count("Bulk ") == 2


def test_membership_history_page(members, login, cbp_org, make_user):
    client = login(make_user("nam", organization=cbp_org))
    filed = members["filed"]
    page = client.get(reverse("annualnotices:membership", args=[filed.public_id])).content.decode()
    assert filed.account_number in page and "Filed on time" in page


def test_partner_sees_next_due_date_reminders_and_files_through_the_form(members, login):
    membership, officer = members["due_soon"]
    services.anl_reminders_send(today=timezone.localdate())
    client = login(officer)
    page = client.get(reverse("annualnotices:mine")).content.decode()
    assert "Next letter due" in page and "Annual Notification Letter due" in page
    form = client.get(reverse("annualnotices:file"))
    assert form.status_code == 200
    data = {
        "certifies_compliance": "on",
        "compliance_contact_name": "Casey",
        "compliance_contact_email": "casey@example.test",
        "officer_name": "Olive",
        "officer_email": "olive@example.test",
        "changes-TOTAL_FORMS": "1",
        "changes-INITIAL_FORMS": "0",
        "changes-0-change_type": "address",
        "changes-0-description": "Moved to 1 New Street",
        "changes-0-effective_on": "2026-01-02",
        "signed_name": "Olive Officer",
        "action": "file",
    }
    response = client.post(reverse("annualnotices:file"), data)
    assert response.status_code == 302
    letter = AnnualNotificationLetter.objects.get(membership=membership)
    assert letter.status == "filed" and letter.changes.get().change_type == "address"
    detail = client.get(response["Location"]).content.decode()
    assert "Moved to 1 New Street" in detail and "Filed on time" in detail


def test_the_form_shows_what_is_missing(members, login):
    membership, officer = members["due_soon"]
    response = login(officer).post(
        reverse("annualnotices:file"),
        {"changes-TOTAL_FORMS": "0", "changes-INITIAL_FORMS": "0", "action": "file"},
    )
    assert response.status_code == 400
    assert "must certify" in response.content.decode()
    assert not AnnualNotificationLetter.objects.filter(membership=membership).exists()


def test_a_nam_returns_and_acknowledges_through_the_letter_page(members, login, cbp_org, make_user):
    letter = AnnualNotificationLetter.objects.get(membership=members["filed"])
    client = login(make_user("nam", organization=cbp_org))
    page = client.get(reverse("annualnotices:letter", args=[letter.public_id])).content.decode()
    assert "Acknowledge" in page
    client.post(
        reverse("annualnotices:letter_acknowledge", args=[letter.public_id]), {"note": "OK"}
    )
    letter.refresh_from_db()
    assert letter.status == "acknowledged"


def test_a_partner_cannot_review(members, login):
    membership, officer = members["due_soon"]
    letter = AnnualNotificationLetter.objects.get(membership=members["filed"])
    response = login(officer).post(
        reverse("annualnotices:letter_acknowledge", args=[letter.public_id]), {}
    )
    assert response.status_code in (403, 404)


def test_pilot_upload_preview_confirm(login, cbp_admin, make_partner):
    partner = make_partner(
        name="Legacy Isa Co.", entity_type="importer", country="US", status="validated"
    )
    ior = partner.identifiers.get(kind="ior").value
    client = login(cbp_admin)
    upload = SimpleUploadedFile(
        "legacy.csv",
        f"company_name,ior_numbers,accepted_on\nLegacy ISA Co,{ior},2012-05-01\n".encode(),
    )
    response = client.post(reverse("annualnotices:pilot_imports"), {"file": upload})
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "What will happen" in preview and "Legacy Isa Co." in preview
    assert not TradeComplianceMembership.objects.exists()
    client.post(response["Location"])
    assert TradeComplianceMembership.objects.get(partner=partner).origin == "pilot_migration"
    listing = client.get(reverse("annualnotices:pilot_imports")).content.decode()
    assert "legacy.csv" in listing and "Imported" in listing


def test_pilot_error_report_is_shown_and_downloadable(login, cbp_admin):
    client = login(cbp_admin)
    upload = SimpleUploadedFile(
        "bad.csv", b"company_name,ior_numbers,accepted_on\nNobody Inc.,12-388888800,2012-05-01\n"
    )
    response = client.post(reverse("annualnotices:pilot_imports"), {"file": upload})
    record = PilotImport.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "nothing was imported" in page and "Unknown company" in page
    csv = client.get(reverse("annualnotices:pilot_import_errors", args=[record.public_id]))
    body = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0] == "row,column,message" and body.splitlines()[1].startswith("2,")


def test_an_unusable_upload_shows_the_error_and_records_nothing(login, cbp_admin):
    response = login(cbp_admin).post(
        reverse("annualnotices:pilot_imports"),
        {"file": SimpleUploadedFile("x.csv", b"name,other\nA,B\n")},
    )
    assert response.status_code == 400 and "lacks the column" in response.content.decode()
    assert not PilotImport.objects.exists()


def test_pilot_pages_are_for_program_admins(login, cbp_org, make_user):
    client = login(make_user("nam", organization=cbp_org))
    assert client.get(reverse("annualnotices:pilot_imports")).status_code == 403


def test_dashboard_panel_and_navigation_for_a_member_and_for_cbp(
    members, login, cbp_org, make_user
):
    _, officer = members["due_soon"]
    page = login(officer).get(reverse("dashboard")).content.decode()
    assert "Next letter due" in page
    assert f'href="{reverse("annualnotices:mine")}"' in page
    cbp_page = (
        login(make_user("nam", organization=cbp_org)).get(reverse("dashboard")).content.decode()
    )
    assert "overdue</a>" in cbp_page and "Annual notifications" in cbp_page


def test_a_partner_that_is_not_a_member_sees_no_letter_pages(login, importer_officer):
    client = login(importer_officer)
    page = client.get(reverse("annualnotices:mine")).content.decode()
    assert "is not a CTPAT Trade Compliance member" in page
    assert client.get(reverse("annualnotices:file")).status_code == 302
    assert "Annual notification" not in client.get(reverse("dashboard")).content.decode()


def test_the_overview_states_the_configured_schedule(login, cbp_org, make_user, settings):
    settings.CTPAT_ANL_FIRST_DUE_MONTHS = 12
    settings.CTPAT_ANL_GRACE_DAYS = 45
    page = login(make_user("nam", organization=cbp_org)).get(reverse("annualnotices:overview"))
    text = page.content.decode()
    assert "first is due 12 months after acceptance" in text and "after 45 days overdue" in text


def test_a_returned_letter_is_corrected_and_filed_again_through_the_form(
    members, login, cbp_org, make_user
):
    membership = members["filed"]
    letter = AnnualNotificationLetter.objects.get(membership=membership)
    services.anl_letter_return(
        actor=make_user("nam", organization=cbp_org), letter=letter, reasons="Name the new CFO."
    )
    officer = make_user("partner_officer", organization=membership.partner.organization)
    client = login(officer)
    mine = client.get(reverse("annualnotices:mine")).content.decode()
    assert "CBP returned the letter due" in mine and "Name the new CFO." in mine
    form = client.get(reverse("annualnotices:file")).content.decode()
    assert f"Annual Notification Letter due {letter.due_on.isoformat()}" in form
    assert "Name the new CFO." in form
    response = client.post(
        reverse("annualnotices:file"),
        {
            "certifies_compliance": "on",
            "compliance_contact_name": "Casey",
            "compliance_contact_email": "casey@example.test",
            "officer_name": "Olive",
            "officer_email": "olive@example.test",
            "changes-TOTAL_FORMS": "1",
            "changes-INITIAL_FORMS": "0",
            "changes-0-change_type": "key_personnel",
            "changes-0-description": "New CFO: Pat Lee",
            "changes-0-effective_on": "2026-01-02",
            "signed_name": "Olive Officer",
            "action": "file",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    letter.refresh_from_db()
    assert letter.status == "filed" and letter.filed_count == 2
    assert letter.changes.get().description == "New CFO: Pat Lee"


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/annual-notifications/", id="overview page"),
        pytest.param("/annual-notifications/?export=csv", id="overview csv"),
        pytest.param("/api/anl-schedules/", id="api schedules"),
        pytest.param("/api/anl-letters/", id="api letters"),
    ],
)
def test_the_cbp_overview_costs_the_same_queries_for_1_or_20_members(
    url, login, cbp_org, make_user
):
    today = timezone.localdate()
    client = login(make_user("nam", organization=cbp_org))

    def member_with_a_letter():
        membership, officer = make_member(accepted_on=accepted_for_due_in(10, today))
        services.anl_letter_file(
            actor=officer, membership=membership, period=0, content=content(), signed_name="O."
        )

    member_with_a_letter()
    one = _queries(client, url)
    for _ in range(19):
        member_with_a_letter()
    assert _queries(client, url) == one


def test_the_csv_export_defuses_formula_cells(login, cbp_org, make_user):
    make_member(accepted_on=accepted_for_due_in(20, timezone.localdate()), name="=1+2 Imports")
    client = login(make_user("nam", organization=cbp_org))
    response = client.get(reverse("annualnotices:overview"), {"export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=1+2 Imports" in body and ",=1+2" not in body

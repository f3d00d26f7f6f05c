"""Forced-labor obligation of existing Trade Compliance members (issue 7, DOMAIN.md §7.4):
members accepted before the cut-off owe the requirements by the deadline, shown as met, open or
overdue; the officer submits, a NAM or program admin decides."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.models import AuditEvent
from ctpat.notifications.models import Notification
from ctpat.tradecompliance import rules, selectors, services
from ctpat.tradecompliance.models import ForcedLaborObligation

CUTOFF = dt.date(2022, 8, 1)
DEADLINE = dt.date(2023, 8, 1)
PDF = b"%PDF-1.4\nforced labor code\n%%EOF\n"


def _pdf(name="code.pdf"):
    return SimpleUploadedFile(name, PDF)


def _files():
    return {"FL-CODE": [_pdf("code.pdf")], "FL-EVIDENCE": [_pdf("training.pdf")]}


# --- Rule ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accepted_on", "applies"),
    [
        pytest.param(dt.date(2022, 7, 31), True, id="day-before-cutoff-owes"),
        pytest.param(dt.date(2022, 8, 1), False, id="cutoff-day-met-at-application"),
    ],
)
def test_obligation_applies_only_before_the_cutoff(accepted_on, applies):
    assert rules.forced_labor_obligation_applies(accepted_on, cutoff=CUTOFF) is applies


@pytest.mark.parametrize(
    ("today", "met", "expected"),
    [
        pytest.param(dt.date(2023, 8, 1), False, "open", id="deadline-day-still-open"),
        pytest.param(dt.date(2023, 8, 2), False, "overdue", id="day-after-overdue"),
        pytest.param(dt.date(2030, 1, 1), True, "met", id="met-never-overdue"),
    ],
)
def test_status_is_overdue_only_after_the_deadline(today, met, expected):
    status = rules.forced_labor_status(
        accepted_on=dt.date(2019, 5, 1), met=met, today=today, cutoff=CUTOFF, deadline=DEADLINE
    )
    assert status == expected


def test_member_accepted_on_the_cutoff_met_it_at_application():
    status = rules.forced_labor_status(
        accepted_on=CUTOFF, met=False, today=dt.date(2026, 1, 1), cutoff=CUTOFF, deadline=DEADLINE
    )
    assert status == rules.ForcedLaborStatus.MET_AT_APPLICATION


# --- Fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def old_member(db, make_user):
    """A member migrated from the pilot, accepted in 2019, with its officer and compliance user."""
    from ctpat.annualnotices.tests.factories import make_member

    membership, officer = make_member(accepted_on=dt.date(2019, 3, 4), name="Old Pilot Imports")
    compliance = make_user("partner_compliance", organization=membership.partner.organization)
    return membership, officer, compliance


@pytest.fixture
def obligation(old_member):
    return ForcedLaborObligation.objects.get(membership=old_member[0])


@pytest.fixture
def nam(cbp_org, make_user):
    return make_user("nam", organization=cbp_org)


# --- Grant ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accepted_on", "origin", "owed"),
    [
        pytest.param(dt.date(2022, 7, 31), "pilot_migration", True, id="pilot-before-cutoff"),
        pytest.param(dt.date(2022, 7, 31), "application", True, id="application-before-cutoff"),
        pytest.param(dt.date(2022, 8, 1), "application", False, id="application-on-cutoff"),
    ],
)
def test_grant_opens_the_obligation_for_members_accepted_before_the_cutoff(
    make_partner, accepted_on, origin, owed
):
    partner = make_partner(entity_type="importer", country="US", status="validated")
    membership = services.membership_grant(
        actor=None,
        partner=partner,
        accepted_on=accepted_on,
        origin=origin,
        ior_numbers=[partner.identifiers.get(kind="ior").value],
    )
    obligation = ForcedLaborObligation.objects.filter(membership=membership).first()
    assert (obligation is not None) is owed
    event = AuditEvent.objects.get(
        action="tradecompliance.membership_grant", object_id=membership.public_id
    )
    assert event.after["forced_labor_obligation"] == (obligation.public_id if owed else "")
    view = selectors.forced_labor_for(membership, today=dt.date(2026, 12, 6))
    assert view.status == ("overdue" if owed else "met_at_application")


def test_cutoff_and_deadline_are_settings(settings, old_member):
    membership = old_member[0]
    settings.CTPAT_TC_FORCED_LABOR_DEADLINE = dt.date(2027, 1, 1)
    assert selectors.forced_labor_for(membership, today=dt.date(2026, 12, 6)).status == "open"
    settings.CTPAT_TC_FORCED_LABOR_CUTOFF = dt.date(2019, 3, 4)
    assert (
        selectors.forced_labor_for(membership, today=dt.date(2026, 12, 6)).status
        == "met_at_application"
    )


def test_pilot_import_opens_obligations(db, cbp_admin, media):
    from ctpat.annualnotices import pilot
    from ctpat.testing import make_partner

    partner = make_partner(
        name="Legacy ISA Importer", entity_type="importer", country="US", status="validated"
    )
    ior = partner.identifiers.get(kind="ior").value
    record = pilot.pilot_import_check(
        actor=cbp_admin,
        uploaded_file=SimpleUploadedFile(
            "pilot.csv",
            (
                f"company_name,ior_numbers,accepted_on\nLegacy ISA Importer,{ior},2012-05-01\n"
            ).encode(),
        ),
    )
    pilot.pilot_import_commit(actor=cbp_admin, pilot_import=record)
    obligation = ForcedLaborObligation.objects.get(membership__partner=partner)
    assert obligation.state == "open"
    assert obligation.membership.origin == "pilot_migration"


# --- Services -------------------------------------------------------------------------------------


def test_officer_submits_and_the_program_admin_is_notified(
    obligation, old_member, cbp_admin, media
):
    _, officer, _ = old_member
    services.forced_labor_submit(
        actor=officer,
        obligation=obligation,
        statement="We mapped our supply chain and train suppliers.",
        code_of_conduct_url="https://example.com/code",
        files=_files(),
    )
    obligation.refresh_from_db()
    assert obligation.state == "submitted"
    assert sorted(obligation.documents.values_list("code", flat=True)) == ["FL-CODE", "FL-EVIDENCE"]
    event = AuditEvent.objects.get(action="tradecompliance.forced_labor_submit")
    assert event.object_id == obligation.public_id
    assert len(event.after["documents"]) == 2
    assert Notification.objects.filter(
        recipient=cbp_admin, kind="tc_forced_labor_submitted"
    ).exists()
    # Still open (not met) for the status: overdue today, submitted and waiting for CBP.
    view = selectors.forced_labor_for(obligation.membership, today=dt.date(2026, 12, 6))
    assert view.status == "overdue" and view.awaiting_cbp


def test_submission_reports_every_problem_at_once_and_writes_nothing(obligation, old_member, media):
    _, officer, _ = old_member
    with pytest.raises(DomainError) as caught:
        services.forced_labor_submit(
            actor=officer, obligation=obligation, statement="", code_of_conduct_url="http://x"
        )
    assert set(caught.value.fields) == {
        "statement",
        "code_of_conduct_url",
        "FL-CODE",
        "FL-EVIDENCE",
    }
    obligation.refresh_from_db()
    assert obligation.state == "open" and not obligation.documents.exists()
    assert not AuditEvent.objects.filter(action="tradecompliance.forced_labor_submit").exists()


def test_a_refused_file_stores_nothing(obligation, old_member, media):
    _, officer, _ = old_member
    with pytest.raises(DomainError) as caught:
        services.forced_labor_submit(
            actor=officer,
            obligation=obligation,
            statement="Statement.",
            files={"FL-CODE": [_pdf()], "FL-EVIDENCE": [SimpleUploadedFile("x.pdf", b"MZ....")]},
        )
    assert caught.value.code.startswith("upload_")
    assert not obligation.documents.exists()


def test_over_long_statement_is_refused_not_cut(obligation, old_member, media):
    _, officer, _ = old_member
    text = "x" * (services.FORCED_LABOR_STATEMENT_MAX_LENGTH + 1)
    with pytest.raises(DomainError) as caught:
        services.forced_labor_submit(
            actor=officer, obligation=obligation, statement=text, files=_files()
        )
    assert "too long" in caught.value.fields["statement"][0]


@pytest.mark.parametrize("role", ["partner_compliance", "nam", "cbp_admin"])
def test_only_the_company_officer_submits(obligation, make_user, cbp_org, role, media):
    org = obligation.membership.partner.organization if role.startswith("partner") else cbp_org
    with pytest.raises(PermissionDeniedError):
        services.forced_labor_submit(
            actor=make_user(role, organization=org),
            obligation=obligation,
            statement="Statement.",
            files=_files(),
        )


def _submitted(obligation, officer):
    services.forced_labor_submit(
        actor=officer, obligation=obligation, statement="Statement.", files=_files()
    )
    obligation.refresh_from_db()
    return obligation


def test_nam_marks_met_and_the_officers_are_notified(obligation, old_member, nam, media):
    _, officer, _ = old_member
    _submitted(obligation, officer)
    services.forced_labor_decide(
        actor=nam, obligation=obligation, met=True, today=dt.date(2026, 12, 6)
    )
    obligation.refresh_from_db()
    assert obligation.state == "met" and obligation.met_on == dt.date(2026, 12, 6)
    assert AuditEvent.objects.filter(action="tradecompliance.forced_labor_met").count() == 1
    assert Notification.objects.filter(recipient=officer, kind="tc_forced_labor_met").exists()
    assert selectors.forced_labor_for(obligation.membership).status == "met"
    with pytest.raises(ConflictError):
        services.forced_labor_decide(actor=nam, obligation=obligation, met=True)


def test_return_needs_a_reason_and_reopens(obligation, old_member, nam, media):
    _, officer, _ = old_member
    _submitted(obligation, officer)
    with pytest.raises(DomainError) as caught:
        services.forced_labor_decide(actor=nam, obligation=obligation, met=False, note=" ")
    assert caught.value.fields["note"] == ["The reason for returning the submission is required."]
    services.forced_labor_decide(
        actor=nam, obligation=obligation, met=False, note="The evidence is from 2019."
    )
    obligation.refresh_from_db()
    assert obligation.state == "open" and obligation.returned_count == 1
    assert Notification.objects.filter(recipient=officer, kind="tc_forced_labor_returned").exists()
    # Earlier documents count: the officer resubmits with a new statement only.
    services.forced_labor_submit(actor=officer, obligation=obligation, statement="Updated.")
    obligation.refresh_from_db()
    assert obligation.state == "submitted"


def test_marking_met_without_a_submission_needs_a_note(obligation, cbp_admin):
    with pytest.raises(DomainError):
        services.forced_labor_decide(actor=cbp_admin, obligation=obligation, met=True)
    services.forced_labor_decide(
        actor=cbp_admin, obligation=obligation, met=True, note="Checked at the 2023 validation."
    )
    obligation.refresh_from_db()
    assert obligation.state == "met"


def test_an_open_obligation_cannot_be_returned(obligation, nam):
    with pytest.raises(ConflictError):
        services.forced_labor_decide(actor=nam, obligation=obligation, met=False, note="No.")


@pytest.mark.parametrize("role", ["scss", "fld_reviewer", "partner_officer"])
def test_only_nam_or_program_admin_decides(obligation, old_member, make_user, cbp_org, role):
    org = old_member[0].partner.organization if role == "partner_officer" else cbp_org
    with pytest.raises(PermissionDeniedError):
        services.forced_labor_decide(
            actor=make_user(role, organization=org), obligation=obligation, met=True, note="n"
        )


def test_data_migration_opens_obligations_for_existing_members(db, settings):
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from ctpat.annualnotices.tests.factories import make_member

    apps = (
        MigrationLoader(connection)
        .project_state(("tradecompliance", "0008_forced_labor_obligation"))
        .apps
    )

    # Memberships made before this feature existed: no obligation yet.
    settings.CTPAT_TC_FORCED_LABOR_CUTOFF = dt.date(2000, 1, 1)
    before, _ = make_member(accepted_on=dt.date(2019, 3, 4))
    after, _ = make_member(accepted_on=dt.date(2022, 8, 1))
    assert not ForcedLaborObligation.objects.exists()
    settings.CTPAT_TC_FORCED_LABOR_CUTOFF = CUTOFF
    migration = importlib.import_module(
        "ctpat.tradecompliance.migrations.0008_forced_labor_obligation"
    )
    migration.open_obligations(apps, None)
    migration.open_obligations(apps, None)  # idempotent
    assert list(ForcedLaborObligation.objects.values_list("membership", "state")) == [
        (before.pk, "open")
    ]
    assert AuditEvent.objects.filter(action="tradecompliance.forced_labor_open").count() == 1


# --- Views ----------------------------------------------------------------------------------------


def test_member_page_shows_status_and_submit_form_to_the_officer_only(
    obligation, old_member, login
):
    _, officer, compliance = old_member
    url = reverse("tradecompliance:forced_labor", kwargs={"obligation_id": obligation.public_id})
    page = login(officer).get(url).content.decode()
    assert 'data-forced-labor-status="overdue"' in page
    assert "Send to CBP" in page
    assert "CTPAT Trade Compliance forced labor requirements" in page
    compliance_page = login(compliance).get(url).content.decode()
    assert 'data-forced-labor-status="overdue"' in compliance_page
    assert "Send to CBP" not in compliance_page
    post = login(compliance).post(
        reverse(
            "tradecompliance:forced_labor_submit", kwargs={"obligation_id": obligation.public_id}
        ),
        {"statement": "x"},
    )
    assert post.status_code == 403


def test_submit_page_keeps_the_typed_statement_on_error(obligation, old_member, login, media):
    _, officer, _ = old_member
    url = reverse(
        "tradecompliance:forced_labor_submit", kwargs={"obligation_id": obligation.public_id}
    )
    response = login(officer).post(url, {"statement": "My typed statement", "FL-CODE": _pdf()})
    assert response.status_code == 400
    body = response.content.decode()
    assert "My typed statement" in body
    assert "Upload the evidence that the code of conduct" in body


def test_submit_then_decide_through_the_pages(obligation, old_member, nam, login, media):
    _, officer, _ = old_member
    submit = reverse(
        "tradecompliance:forced_labor_submit", kwargs={"obligation_id": obligation.public_id}
    )
    response = login(officer).post(
        submit,
        {"statement": "Our program.", "FL-CODE": _pdf("code.pdf"), "FL-EVIDENCE": _pdf("ev.pdf")},
    )
    assert response.status_code == 302
    document = obligation.documents.first()
    download = reverse(
        "tradecompliance:forced_labor_document",
        kwargs={"obligation_id": obligation.public_id, "fl_document_id": document.public_id},
    )
    assert login(nam).get(download).status_code == 200
    decide = reverse(
        "tradecompliance:forced_labor_decide", kwargs={"obligation_id": obligation.public_id}
    )
    assert login(nam).post(decide, {"decision": "met", "note": ""}).status_code == 302
    obligation.refresh_from_db()
    assert obligation.state == "met"


def test_cbp_overview_filters_and_exports_the_forced_labor_status(old_member, login, scss):
    from ctpat.annualnotices.tests.factories import make_member

    make_member(accepted_on=dt.date(2023, 2, 1), name="New Applicant Imports")
    client = login(scss)
    url = reverse("annualnotices:overview")
    overdue = client.get(url, {"forced_labor": "overdue"}).content.decode()
    assert "Old Pilot Imports" in overdue and "New Applicant Imports" not in overdue
    met = client.get(url, {"forced_labor": "met"}).content.decode()
    assert "New Applicant Imports" in met and "Old Pilot Imports" not in met
    export = client.get(url, {"export": "csv"})
    csv = b"".join(export.streaming_content).decode()
    header, *lines = csv.strip().splitlines()
    assert header.endswith(",forced_labor_obligation")
    assert any("Old Pilot Imports" in line and line.endswith(",overdue") for line in lines)
    assert any(
        "New Applicant Imports" in line and line.endswith(",met_at_application") for line in lines
    )


def test_membership_pages_and_dashboard_show_the_obligation(obligation, old_member, login, scss):
    membership, officer, _ = old_member
    page = login(scss).get(
        reverse("annualnotices:membership", kwargs={"membership_id": membership.public_id})
    )
    assert 'data-forced-labor-status="overdue"' in page.content.decode()
    assert (
        obligation.public_id in login(officer).get(reverse("annualnotices:mine")).content.decode()
    )
    assert obligation.public_id in login(officer).get(reverse("dashboard")).content.decode()


# --- API ------------------------------------------------------------------------------------------


def test_api_submit_decide_and_schedule(obligation, old_member, nam, api_client, media):
    _, officer, _ = old_member
    base = f"/api/tc-forced-labor-obligations/{obligation.public_id}/"
    missing = api_client(officer).post(base + "submit/", {"statement": ""}, format="multipart")
    assert missing.status_code == 400
    assert set(missing.json()["error"]["fields"]) >= {"statement", "fl_code", "fl_evidence"}
    ok = api_client(officer).post(
        base + "submit/",
        {"statement": "Our program.", "fl_code": [_pdf("a.pdf")], "fl_evidence": [_pdf("b.pdf")]},
        format="multipart",
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["state"] == "submitted" and len(ok.json()["documents"]) == 2
    assert (
        api_client(officer).post(base + "decide/", {"decision": "met"}, format="json").status_code
        == 403
    )
    decided = api_client(nam).post(base + "decide/", {"decision": "met"}, format="json")
    assert decided.status_code == 200 and decided.json()["status"] == "met"
    listed = api_client(nam).get("/api/tc-forced-labor-obligations/", {"status": "met"}).json()
    assert [o["public_id"] for o in listed["results"]] == [obligation.public_id]
    schedule = api_client(officer).get(f"/api/anl-schedules/{obligation.membership.public_id}/")
    assert schedule.json()["forced_labor_obligation"]["status"] == "met"
    assert (
        api_client(nam).get("/api/tc-forced-labor-obligations/", {"status": "x"}).status_code == 400
    )


@pytest.mark.parametrize(
    ("role", "decides"),
    [
        pytest.param("scss", False, id="scss-reads"),
        pytest.param("fld_reviewer", False, id="forced-labor-division-reads"),
        pytest.param("nam", True, id="nam-decides"),
        pytest.param("cbp_admin", True, id="program-admin-decides"),
    ],
)
def test_cbp_roles_read_the_obligation_and_only_nam_or_admin_see_the_decision(
    obligation, make_user, cbp_org, login, role, decides
):
    url = reverse("tradecompliance:forced_labor", kwargs={"obligation_id": obligation.public_id})
    response = login(make_user(role, organization=cbp_org)).get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert ("Record the decision" in body) is decides
    assert "Send to CBP" not in body

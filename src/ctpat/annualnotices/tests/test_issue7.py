"""Issue 7 for Annual Notification Letters and the pilot import: every error at once, the
signature's included; no silent cut of long text; ISA-era timing labelled for CBP; pilot rows of
denied, suspended or removed companies refused with the reason."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ctpat.annualnotices import pilot, services
from ctpat.annualnotices.models import NOTE_MAX_LENGTH, AnnualNotificationLetter
from ctpat.core.errors import DomainError
from ctpat.core.services import service

from .factories import accepted_for_due_in, content, make_member

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def test_filing_reports_every_problem_at_once_with_the_signature():
    membership, officer = make_member(accepted_on=accepted_for_due_in(20, _today()))
    with pytest.raises(DomainError) as exc:
        services.anl_letter_file(
            actor=officer,
            membership=membership,
            period=0,
            content=content(certifies_compliance=False, officer_name=""),
            signed_name="",
        )
    fields = exc.value.fields
    assert {"certifies_compliance", "officer_name", "signed_name"} <= set(fields)
    assert fields["officer_name"] == ["The company officer's name is required."]


def test_the_filing_page_shows_the_signature_error_with_the_form_errors(login):
    membership, officer = make_member(accepted_on=accepted_for_due_in(20, _today()))
    response = login(officer).post(
        reverse("annualnotices:file"),
        {
            "changes-TOTAL_FORMS": "0",
            "changes-INITIAL_FORMS": "0",
            "compliance_contact_email": "not-an-address",  # a form-level error
            "action": "file",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Your typed full name is required to sign the letter." in page
    assert "must certify" in page
    assert "The company officer&#x27;s name is required." in page
    assert not AnnualNotificationLetter.objects.filter(membership=membership).exists()


def test_a_too_long_change_description_is_refused_not_cut(login):
    membership, officer = make_member(accepted_on=accepted_for_due_in(20, _today()))
    text = "c" * 2001
    response = login(officer).post(
        reverse("annualnotices:file"),
        {
            "changes-TOTAL_FORMS": "1",
            "changes-INITIAL_FORMS": "0",
            "changes-0-change_type": "address",
            "changes-0-description": text,
            "changes-0-effective_on": "2026-01-02",
            "action": "save",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert text in page and "What changed is too long" in page
    assert 'class="usa-character-count" data-maxlength="2000"' in page


def test_a_review_note_over_the_limit_is_refused_not_cut(cbp_org, make_user):
    membership, officer = make_member(accepted_on=accepted_for_due_in(20, _today()))
    letter = services.anl_letter_file(
        actor=officer, membership=membership, period=0, content=content(), signed_name="O. O."
    )
    nam = make_user("nam", organization=cbp_org)
    with pytest.raises(DomainError) as exc:
        services.anl_letter_acknowledge(actor=nam, letter=letter, note="n" * (NOTE_MAX_LENGTH + 1))
    assert exc.value.code == "too_long"
    letter.refresh_from_db()
    assert letter.status == "filed" and letter.review_note == ""


def test_cbp_sees_the_anl_timing_labelled_as_an_unconfirmed_isa_era_rule(login, cbp_org, make_user):
    membership, officer = make_member(accepted_on=accepted_for_due_in(20, _today()))
    cbp = login(make_user("nam", organization=cbp_org))
    overview = cbp.get(reverse("annualnotices:overview")).content.decode()
    assert "ISA-era rule, unconfirmed for Trade Compliance" in overview
    url = reverse("annualnotices:membership", kwargs={"membership_id": membership.public_id})
    assert "ISA-era rule, unconfirmed for Trade Compliance" in cbp.get(url).content.decode()
    assert "ISA-era rule" not in login(officer).get(url).content.decode()


# --- 3. Pilot rows of companies CBP denied, suspended or removed -------------------------------


HEADER = "company_name,ior_numbers,accepted_on\n"


def _csv(text):
    return SimpleUploadedFile("p.csv", text.encode(), content_type="text/csv")


def _row(partner):
    return f"{partner.name},{partner.identifiers.get(kind='ior').value},2016-04-12\n"


@service
def _set_status(*, actor, partner, status):
    from ctpat.core.services import audit_record

    partner.status = status
    partner.save()
    audit_record(actor=actor, action="test.status", obj=partner)


@pytest.mark.parametrize("status", ["suspended", "removed"])
def test_a_suspended_or_removed_security_member_is_refused_with_the_reason(
    status, cbp_admin, make_partner
):
    partner = make_partner(name="Lapsed Imports Inc.", entity_type="importer", status="validated")
    _set_status(actor=cbp_admin, partner=partner, status=status)
    record = pilot.pilot_import_check(actor=cbp_admin, uploaded_file=_csv(HEADER + _row(partner)))
    messages = [e["message"] for e in record.errors]
    assert any(f"CTPAT Security membership is {status}" in m for m in messages), messages
    assert record.rows == []


def test_a_company_whose_application_was_denied_is_refused_with_the_reason(
    cbp_admin, make_partner, make_user
):
    from ctpat.tradecompliance.models import Application
    from ctpat.tradecompliance.selectors import questionnaire_current

    partner = make_partner(name="Denied Imports Inc.", entity_type="importer", status="validated")

    @service
    def deny(*, actor):
        from ctpat.core.services import audit_record

        application = Application(
            partner=partner,
            version=questionnaire_current(),
            status="denied",
            decided_at=timezone.now(),
            decision_reason="Internal controls missing.",
        )
        application.save()
        audit_record(actor=actor, action="test.deny", obj=application)
        return application

    application = deny(actor=cbp_admin)
    record = pilot.pilot_import_check(actor=cbp_admin, uploaded_file=_csv(HEADER + _row(partner)))
    messages = [e["message"] for e in record.errors]
    assert any(f"application {application.public_id} was denied" in m for m in messages), messages
    assert record.rows == []

"""Trade Compliance application pages: the company's steps and CBP's review, as HTTP."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from ctpat.core.models import AuditEvent
from ctpat.tradecompliance.models import Application, ApplicationDocument

from .factories import CODE_OF_CONDUCT_URL, fill_application, pdf

pytestmark = pytest.mark.django_db

LIST = reverse("tradecompliance:applications")
START = reverse("tradecompliance:application_start")


def step_url(application, step):
    return reverse(
        "tradecompliance:application_step",
        kwargs={"application_id": application.public_id, "step": step},
    )


def detail_url(application):
    return reverse(
        "tradecompliance:application_detail", kwargs={"application_id": application.public_id}
    )


def action_url(application, name):
    return reverse(f"tradecompliance:{name}", kwargs={"application_id": application.public_id})


def test_a_company_not_ready_sees_the_reasons_and_no_launch_button(
    login, validated_importer, validated_officer
):
    html = login(validated_officer).get(LIST).content.decode()

    assert "Not ready to apply yet" in html
    assert 'data-reason="import_history_not_declared"' in html
    assert "Launch Trade Compliance" not in html


def test_the_officer_launches_and_lands_on_the_first_step(login, ready_importer, validated_officer):
    client = login(validated_officer)
    assert "Launch Trade Compliance" in client.get(LIST).content.decode()

    response = client.post(START)

    application = Application.objects.get(partner=ready_importer)
    assert response.status_code == 302
    assert response["Location"] == step_url(application, "eligibility")
    page = client.get(response["Location"]).content.decode()
    assert "usa-step-indicator" in page and "Step</span> <span" in page


def test_a_compliance_user_cannot_launch(login, ready_importer, validated_compliance):
    assert login(validated_compliance).post(START).status_code == 403
    assert not Application.objects.exists()


def test_a_step_saves_a_draft_by_htmx_and_shows_the_partial(login, draft, validated_officer):
    client = login(validated_officer)

    response = client.post(
        step_url(draft, "internal_controls"),
        {"q_IC-ORG": "A compliance manager reports to the CFO."},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="tc-application-step">') and "Saved." in html
    assert "<html" not in html


def test_save_and_continue_goes_to_the_next_step(login, draft, validated_officer):
    response = login(validated_officer).post(
        step_url(draft, "eligibility"), {"q_ELIG-01": "yes", "next": "1"}
    )
    assert response.status_code == 302 and response["Location"] == step_url(draft, "iors")


def test_a_bad_public_url_is_shown_on_the_field_and_nothing_is_saved(
    login, draft, validated_officer
):
    events = AuditEvent.objects.count()

    response = login(validated_officer).post(
        step_url(draft, "forced_labor"),
        {"url_FL-CODE": "http://example.com/code", "q_FL-DILIGENCE": "Training."},
    )

    assert response.status_code == 400
    assert "starting with https://" in response.content.decode()
    assert AuditEvent.objects.count() == events


def test_uploading_a_wrong_file_type_for_the_code_of_conduct_is_refused(
    login, draft, validated_officer
):
    response = login(validated_officer).post(
        action_url(draft, "application_document_upload"),
        {"code": "FL-CODE", "file": pdf("code.exe", b"MZ\x90\x00")},
    )
    assert response.status_code == 400
    assert "this type of file is not accepted" in response.content.decode()
    assert not ApplicationDocument.objects.exists()


def test_an_uploaded_document_downloads_only_for_permitted_users(
    login, draft, validated_officer, make_partner, make_user, cbp_admin
):
    client = login(validated_officer)
    response = client.post(
        action_url(draft, "application_document_upload"),
        {"code": "FL-CODE", "file": pdf("Code of conduct.pdf")},
    )
    assert response.status_code == 302
    document = ApplicationDocument.objects.get()
    url = reverse(
        "tradecompliance:application_document",
        kwargs={"application_id": draft.public_id, "document_id": document.public_id},
    )

    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert 'filename="Code of conduct.pdf"' in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert login(cbp_admin).get(url).status_code == 200
    other = make_partner(entity_type="importer", country="US")
    stranger = make_user("partner_officer", organization=other.organization)
    assert login(stranger).get(url).status_code == 404


def test_upload_urls_get_the_larger_request_size_limit(draft):
    from django.test import RequestFactory

    from ctpat.core.middleware import request_body_limit

    request = RequestFactory().post(
        action_url(draft, "application_document_upload"),
        data={"code": "FL-CODE", "file": pdf()},
    )
    assert request_body_limit(request) > 1024 * 1024
    # A step's form carries its files with the answers (issue 7: no input lost on upload).
    request = RequestFactory().post(step_url(draft, "forced_labor"), data={"file_FL-CODE": pdf()})
    assert request_body_limit(request) > 1024 * 1024
    request = RequestFactory().post(action_url(draft, "application_submit"), data={"x": "1"})
    assert request_body_limit(request) == 1024 * 1024


def test_submitting_with_missing_answers_lists_them_per_step(login, draft, validated_officer):
    response = login(validated_officer).post(action_url(draft, "application_submit"))

    assert response.status_code == 400
    html = response.content.decode()
    assert "The application was not submitted" in html
    for label in ("Importer of Record numbers", "Internal controls", "Forced labor"):
        assert label in html
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_double_submission_gets_a_clear_409(login, draft, validated_officer):
    fill_application(draft, validated_officer)
    client = login(validated_officer)

    first = client.post(action_url(draft, "application_submit"))
    second = client.post(action_url(draft, "application_submit"))

    assert first.status_code == 302
    assert second.status_code == 409
    assert "already submitted" in second.content.decode()


def test_the_mou_step_is_signed_by_the_officer_only(
    login, draft, validated_officer, validated_compliance
):
    data = {"acknowledged": ["MOU-AGREE", "MOU-ANL"], "signer_name": "Pat Officer"}
    assert login(validated_compliance).post(step_url(draft, "mou"), data).status_code == 403
    missing = login(validated_officer).post(
        step_url(draft, "mou"), {"acknowledged": ["MOU-AGREE"], "signer_name": "Pat"}
    )
    assert missing.status_code == 400 and "MOU-ANL" in missing.content.decode()

    assert login(validated_officer).post(step_url(draft, "mou"), data).status_code == 302
    draft.refresh_from_db()
    assert draft.mou_signer_name == "Pat Officer"


def test_the_queue_filters_paginates_and_exports_csv(login, cbp_admin, submitted, nam):
    client = login(cbp_admin)

    page = client.get(LIST, {"status": "submitted"})
    assert page.status_code == 200 and submitted.public_id in page.content.decode()
    assert submitted.public_id not in client.get(LIST, {"status": "approved"}).content.decode()
    assert submitted.public_id in client.get(LIST, {"nam": "unassigned"}).content.decode()
    assert submitted.public_id not in client.get(LIST, {"older_than": "30"}).content.decode()
    assert client.get(LIST, {"older_than": "13"}).status_code == 200  # not a choice: no rows

    export = client.get(LIST, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "application" and rows[1][0] == submitted.public_id


def test_drafts_are_not_in_cbps_queue(login, cbp_admin, draft):
    assert draft.public_id not in login(cbp_admin).get(LIST).content.decode()


def test_nam_self_assigns_requests_information_and_approves(
    login, submitted, nam, validated_officer
):
    client = login(nam)
    assert client.post(action_url(submitted, "application_assign")).status_code == 302
    assert (
        client.post(
            action_url(submitted, "application_request_information"),
            {"questions": "Send the self-test."},
        ).status_code
        == 302
    )
    partner = login(validated_officer)
    page = partner.get(detail_url(submitted)).content.decode()
    assert "Send the self-test." in page and "Send the response to CBP" in page
    assert (
        partner.post(
            action_url(submitted, "application_respond"),
            {"response": "Attached.", "documents": [pdf("self-test.pdf")]},
        ).status_code
        == 302
    )
    assert client.post(action_url(submitted, "application_approve")).status_code == 302

    submitted.refresh_from_db()
    page = partner.get(detail_url(submitted)).content.decode()
    assert submitted.membership.account_number in page
    assert 'data-step="approved"' in page and 'data-step="response_submitted"' in page


def test_a_denial_without_reasons_is_a_form_error(login, under_review, nam):
    response = login(nam).post(action_url(under_review, "application_deny"), {"reason": ""})
    assert response.status_code == 400 and "required" in response.content.decode()
    under_review.refresh_from_db()
    assert under_review.status == "under_review"


@pytest.mark.parametrize(
    "name",
    ["application_approve", "application_deny", "application_request_information"],
)
def test_a_partner_cannot_take_cbps_actions(login, under_review, validated_officer, name):
    response = login(validated_officer).post(
        action_url(under_review, name), {"reason": "x", "questions": "x"}
    )
    assert response.status_code == 403
    under_review.refresh_from_db()
    assert under_review.status == "under_review"


def test_an_unassigned_nam_cannot_decide(login, under_review, cbp_org, make_user):
    stranger = make_user("nam", organization=cbp_org)
    assert login(stranger).post(action_url(under_review, "application_approve")).status_code == 403


def test_another_tenant_gets_404_on_the_application_and_its_steps(
    login, draft, make_partner, make_user
):
    other = make_partner(entity_type="importer", country="US")
    client = login(make_user("partner_officer", organization=other.organization))
    assert client.get(detail_url(draft)).status_code == 404
    assert client.post(step_url(draft, "internal_controls"), {"q_IC-ORG": "x"}).status_code == 404
    assert client.post(action_url(draft, "application_submit")).status_code == 404


def test_the_public_url_round_trips_through_the_step(login, draft, validated_officer):
    client = login(validated_officer)
    client.post(step_url(draft, "forced_labor"), {"url_FL-CODE": CODE_OF_CONDUCT_URL})
    assert CODE_OF_CONDUCT_URL in client.get(step_url(draft, "forced_labor")).content.decode()


def test_the_reuse_report_counts_reused_answers(login, draft, validated_officer, cbp_admin):
    url = reverse("tradecompliance:reuse_report", kwargs={"partner_id": draft.partner.public_id})
    for user in (validated_officer, cbp_admin):
        html = login(user).get(url).content.decode()
        assert "0 of 35 questions answered by reuse." in html


def test_cbp_moves_an_application_to_new_questions_from_its_page(
    login, under_review, nam, cbp_admin
):
    from .test_application_services import _publish_v2

    _publish_v2(cbp_admin)
    client = login(nam)
    assert (
        "Move to questionnaire version 2" in client.get(detail_url(under_review)).content.decode()
    )
    response = client.post(action_url(under_review, "application_upgrade"), {"reason": "New FL"})
    assert response.status_code == 302
    under_review.refresh_from_db()
    assert under_review.version.number == 2 and under_review.status == "information_requested"


def test_the_dashboard_shows_the_application_and_the_nams_waiting_list(
    login, nam, submitted, validated_officer
):
    partner_html = login(validated_officer).get(reverse("dashboard")).content.decode()
    assert "Trade Compliance" in partner_html and submitted.public_id in partner_html
    nam_html = login(nam).get(reverse("dashboard")).content.decode()
    assert "1 submitted and not assigned" in nam_html

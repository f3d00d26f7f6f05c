"""Suspension and appeal pages: who sees and does what, forms that keep input and say why."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ctpat.enforcement import selectors

from .factories import suspended_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_cbp_suspends_from_the_form_with_required_actions(login, scss, importer, importer_officer):
    url = reverse("enforcement:suspend", kwargs={"partner_id": importer.public_id})
    client = login(scss)
    page = client.get(url)
    assert page.status_code == 200
    assert b'data-confirm="Suspend Acme Imports Inc.?' in page.content

    response = client.post(
        url,
        {"letter": "Seals unverified.", "required_actions": ["unannounced_visits"]},
    )

    case = selectors.open_case_for(importer)
    assert response.status_code == 302
    assert response["Location"] == reverse("enforcement:case_detail", args=[case.public_id])


def test_a_refused_suspension_keeps_the_letter_and_names_the_problem(login, scss, importer):
    url = reverse("enforcement:suspend", kwargs={"partner_id": importer.public_id})
    response = login(scss).post(url, {"letter": "Keep this text."})
    assert response.status_code == 400
    assert b"Keep this text." in response.content
    assert b"Pick at least one required action" in response.content


def test_only_program_admins_see_the_immediate_removal_page(login, scss, cbp_admin, importer):
    url = reverse("enforcement:remove", kwargs={"partner_id": importer.public_id})
    assert login(scss).get(url).status_code == 403
    page = login(cbp_admin).get(url)
    assert page.status_code == 200 and b"data-confirm=" in page.content
    response = login(cbp_admin).post(url, {"reason": "Aggravated: narcotics."})
    assert response.status_code == 302
    importer.refresh_from_db()
    assert importer.status == "removed"


def test_the_member_answers_with_evidence_and_cbp_sees_it(login, make_user, cbp_org):
    partner, officer, case = suspended_member(days_ago=2)
    answer_url = reverse("enforcement:case_answer", args=[case.public_id])
    client = login(officer)
    detail = client.get(reverse("enforcement:case_detail", args=[case.public_id]))
    assert b"Seal controls failed" in detail.content
    assert b"policy choice" in detail.content
    assert b"88 days left" in detail.content

    response = client.post(
        answer_url,
        {
            "answer_corrective_action_plan": "Plan attached.",
            "answer_unannounced_visits": "We consent.",
            "documents": [SimpleUploadedFile("plan.txt", b"The plan")],
        },
    )

    assert response.status_code == 302
    scss = make_user("scss", organization=cbp_org)
    page = login(scss).get(reverse("enforcement:case_detail", args=[case.public_id]))
    assert b"We consent." in page.content and b"plan.txt" in page.content
    document = case.answers.get().documents.get()
    download = login(scss).get(reverse("enforcement:document_download", args=[document.public_id]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"The plan"


def test_an_incomplete_answer_keeps_what_was_typed(login):
    _, officer, case = suspended_member()
    response = login(officer).post(
        reverse("enforcement:case_answer", args=[case.public_id]),
        {"answer_corrective_action_plan": "Typed carefully."},
    )
    assert response.status_code == 400
    assert b"Typed carefully." in response.content
    assert "is required." in response.content.decode()


def test_a_compliance_user_reads_the_case_but_cannot_answer(login, make_user):
    partner, _, case = suspended_member()
    compliance = make_user("partner_compliance", organization=partner.organization)
    client = login(compliance)
    assert client.get(reverse("enforcement:case_detail", args=[case.public_id])).status_code == 200
    assert client.get(reverse("enforcement:case_answer", args=[case.public_id])).status_code == 403


def test_a_late_appeal_shows_the_rule(login):
    partner, officer, _ = suspended_member(days_ago=95)
    page = login(officer).get(reverse("enforcement:appeal_file", args=[partner.public_id]))
    assert b"it is now too late (6 U.S.C. 967(c)(1)" in page.content
    response = login(officer).post(
        reverse("enforcement:appeal_file", args=[partner.public_id]), {"grounds": "Late."}
    )
    assert response.status_code == 400 and b"too late" in response.content


def test_the_officer_files_and_the_program_admin_reverses(login, cbp_admin):
    partner, officer, _ = suspended_member(status="validated")
    response = login(officer).post(
        reverse("enforcement:appeal_file", args=[partner.public_id]),
        {"grounds": "The seals were fine.", "documents": [SimpleUploadedFile("a.txt", b"x")]},
    )
    appeal = partner.appeals.get()
    assert response.status_code == 302
    page = login(cbp_admin).get(reverse("enforcement:appeal_detail", args=[appeal.public_id]))
    assert b"180 days" in page.content or b"days left" in page.content
    assert b"data-confirm=" in page.content

    response = login(cbp_admin).post(
        reverse("enforcement:appeal_decide", args=[appeal.public_id]),
        {"outcome": "reversed", "reason": "Evidence accepted."},
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.status == "validated"


def test_a_modified_decision_without_a_status_is_refused_on_the_form(login, cbp_admin):
    partner, officer, _ = suspended_member()
    login(officer).post(
        reverse("enforcement:appeal_file", args=[partner.public_id]), {"grounds": "x"}
    )
    appeal = partner.appeals.get()
    response = login(cbp_admin).post(
        reverse("enforcement:appeal_decide", args=[appeal.public_id]),
        {"outcome": "modified", "reason": "Lower tier."},
    )
    assert response.status_code == 400
    assert b"A modified decision names the resulting status." in response.content


def test_the_home_page_shows_each_side_its_clock(login, cbp_admin):
    partner, officer, _ = suspended_member(days_ago=20)
    member_page = login(officer).get(reverse("enforcement:home"))
    assert b"70 days left" in member_page.content
    login(officer).post(
        reverse("enforcement:appeal_file", args=[partner.public_id]), {"grounds": "x"}
    )
    cbp_page = login(cbp_admin).get(reverse("enforcement:home"))
    assert b"180" in cbp_page.content
    assert partner.name.encode() in cbp_page.content


def test_dashboards_show_the_suspension_and_the_appeal_clocks(login, cbp_admin):
    partner, officer, _ = suspended_member(days_ago=10)
    page = login(officer).get("/")
    assert b"Answer by" in page.content and b"days left to file" in page.content
    login(officer).post(
        reverse("enforcement:appeal_file", args=[partner.public_id]), {"grounds": "x"}
    )
    due = (timezone.localdate() + timedelta(days=180)).isoformat().encode()
    assert due in login(officer).get("/").content
    assert due in login(cbp_admin).get("/").content


def test_the_status_page_offers_enforcement_actions_and_asks_for_confirmation(
    login, cbp_admin, importer
):
    page = login(cbp_admin).get(reverse("partners:status_history", args=[importer.public_id]))
    assert b"Suspend with a letter and required actions" in page.content
    assert b"Remove immediately" in page.content
    assert b"data-confirm=" in page.content

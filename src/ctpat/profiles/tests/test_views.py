"""Security-profile pages: overview with gaps, HTMX answers, evidence upload/download and the
request-size limit, submit (with gaps, twice), SCSS queue and decision, annual review, history,
dashboard panels and the demo."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from ctpat.profiles import rules, services
from ctpat.profiles.models import EvidenceFile, ProfileSubmission


def _url(name, profile, **kw):
    return reverse(f"profiles:{name}", kwargs={"profile_id": profile.public_id, **kw})


def test_a_partner_starts_its_profile_from_the_home_page(login, importer, importer_officer):
    client = login(importer_officer)
    page = client.get(reverse("profiles:home"))
    assert page.status_code == 200 and b"Start the security profile" in page.content
    response = client.post(reverse("profiles:start"))
    profile = importer.security_profile
    assert response.status_code == 302 and response["Location"] == _url("detail", profile)
    assert client.get(reverse("profiles:home"))["Location"] == _url("detail", profile)


def test_overview_shows_completeness_and_gaps_at_a_glance(
    login, profile, importer_officer, answer_all
):
    answer_all(profile, importer_officer, {"3.9": "no", "1.1": "no", "1.3": None})
    page = login(importer_officer).get(_url("detail", profile)).content.decode()
    applicable = profile.answers.count() + 1
    assert f"{applicable - 1} of {applicable}" in page
    must = re.search(r'data-testid="must-gaps">(.*?)</ul>', page, re.S).group(1)
    today = timezone.localdate().isoformat()
    assert f"1.3 (Must on {today}) is not answered." in must
    assert f"3.9 (Must on {today}) is answered No." in must
    should = re.search(r'data-testid="should-gaps">(.*?)</ul>', page, re.S).group(1)
    assert "1.1 (Should on" in should


def test_answers_save_per_criterion_with_htmx(login, profile, importer_officer):
    client = login(importer_officer)
    page = client.get(_url("category", profile, category=3))
    assert page.status_code == 200 and b'hx-post="' in page.content
    response = client.post(
        _url("answer_save", profile),
        {"msc_id": "3.9", "c3-9-answer": "yes_best_practice", "c3-9-narrative": "Audits."},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'id="c3-9"' in body and "Saved: 3.9." in body
    assert "<html" not in body
    answer = profile.answers.get(msc_id="3.9")
    assert (answer.answer, answer.narrative) == ("yes_best_practice", "Audits.")
    # An N/A without a reason comes back on the criterion's form, nothing saved.
    response = client.post(
        _url("answer_save", profile),
        {"msc_id": "3.9", "c3-9-answer": "not_applicable"},
        HTTP_HX_REQUEST="true",
    )
    assert b"Say why this criterion does not apply" in response.content
    assert profile.answers.get(msc_id="3.9").answer == "yes_best_practice"


def test_submit_page_refuses_must_gaps_then_a_second_submit_is_a_conflict(
    login, profile, importer_officer, answer_all
):
    client = login(importer_officer)
    answer_all(profile, importer_officer, {"3.9": "no"})
    response = client.post(_url("submit", profile), {"expected_version": profile.lock_version})
    assert response.status_code == 400
    assert b"cannot be submitted" in response.content and b"3.9 (Must on" in response.content
    services.answer_save(actor=importer_officer, profile=profile, msc_id="3.9", answer="yes")
    profile.refresh_from_db()
    version = profile.lock_version
    assert client.post(_url("submit", profile), {"expected_version": version}).status_code == 302
    again = client.post(_url("submit", profile), {"expected_version": version})
    assert again.status_code == 409 and b"already been submitted" in again.content
    assert ProfileSubmission.objects.count() == 1


def test_scss_queue_and_decision(login, profile, importer_officer, answer_all, scss):
    answer_all(profile, importer_officer)
    services.profile_submit(actor=importer_officer, profile=profile)
    client = login(scss)
    queue = client.get(reverse("profiles:queue"))
    assert queue.status_code == 200 and profile.partner.name.encode() in queue.content
    missing = client.post(_url("decide", profile), {"decision": "return", "reason": ""})
    assert (
        missing.status_code == 400
        and b"The reasons for returning the profile are required" in missing.content
    )
    done = client.post(
        _url("decide", profile), {"decision": "return", "reason": "Add 3.9 evidence."}
    )
    assert done.status_code == 302
    page = login(importer_officer).get(_url("detail", profile))
    assert b"Returned for changes" in page.content and b"Add 3.9 evidence." in page.content
    assert login(importer_officer).get(reverse("profiles:queue")).status_code == 403


def test_evidence_upload_list_and_permission_checked_download(
    login, profile, importer_officer, media_root, manufacturer_officer, scss
):
    client = login(importer_officer)
    page = client.get(_url("evidence", profile))
    assert b"not scanned" in page.content and b'enctype="multipart/form-data"' in page.content
    response = client.post(
        _url("evidence", profile),
        {"file": SimpleUploadedFile("register.csv", b"a,b\n1,2\n"), "msc_id": "3.9"},
    )
    assert response.status_code == 302
    item = EvidenceFile.objects.get()
    listing = client.get(_url("evidence", profile)).content.decode()
    assert "register.csv" in listing and "Not scanned" in listing
    download = client.get(_url("evidence_download", profile, evidence_id=item.public_id))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"a,b\n1,2\n"
    assert 'filename="register.csv"' in download["Content-Disposition"]
    assert download["Content-Type"] == "text/csv"
    assert (
        login(scss).get(_url("evidence_download", profile, evidence_id=item.public_id)).status_code
        == 200
    )
    foreign = login(manufacturer_officer).get(
        _url("evidence_download", profile, evidence_id=item.public_id)
    )
    assert foreign.status_code == 404
    # The file is not reachable as public media.
    assert client.get("/media/" + item.file.name).status_code == 404


def test_wrong_type_and_oversized_uploads_are_refused_clearly(
    login, profile, importer_officer, media_root, settings
):
    settings.CTPAT_EVIDENCE_MAX_BYTES = 1024
    client = login(importer_officer)
    renamed = client.post(
        _url("evidence", profile), {"file": SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00" * 50)}
    )
    assert renamed.status_code == 400
    assert b"named as a PDF file but its content is not one" in renamed.content
    big = client.post(_url("evidence", profile), {"file": SimpleUploadedFile("a.txt", b"a" * 2000)})
    assert big.status_code == 400 and b"the limit is 1 KiB (1,024 bytes)" in big.content
    assert not EvidenceFile.objects.exists()
    assert [p for p in media_root.rglob("*") if p.is_file()] == []


@override_settings(CTPAT_MAX_REQUEST_BYTES=64 * 1024, CTPAT_UPLOAD_MAX_REQUEST_BYTES=512 * 1024)
def test_the_upload_url_takes_bodies_over_the_general_request_limit_but_nowhere_else(
    login, profile, importer_officer, media_root
):
    client = login(importer_officer)
    content = b"line of evidence\n" * 10_000  # 170 KB: over the general limit, under the upload one
    response = client.post(
        _url("evidence", profile), {"file": SimpleUploadedFile("big.txt", content)}
    )
    assert response.status_code == 302
    assert EvidenceFile.objects.get().size == len(content)
    # The same body to another URL is still refused with 413 ...
    elsewhere = client.post(
        _url("submit", profile), {"file": SimpleUploadedFile("big.txt", content)}
    )
    assert elsewhere.status_code == 413
    # ... and so is a body over the upload limit, before anything is read.
    huge = client.post(
        _url("evidence", profile), {"file": SimpleUploadedFile("huge.txt", content * 4)}
    )
    assert huge.status_code == 413 and b"accepts at most 512 KiB" in huge.content
    assert EvidenceFile.objects.count() == 1


@override_settings(CTPAT_MAX_REQUEST_BYTES=64 * 1024, CTPAT_UPLOAD_MAX_REQUEST_BYTES=512 * 1024)
@pytest.mark.parametrize(
    "case, path, content_type, limit",
    [
        ("evidence upload", "/security-profile/SP-ABC/evidence/", "multipart/form-data; b=x", 512),
        ("not multipart", "/security-profile/SP-ABC/evidence/", "application/json", 64),
        ("other page", "/security-profile/SP-ABC/submit/", "multipart/form-data; b=x", 64),
        ("newline after", "/security-profile/SP-ABC/evidence/%0A", "multipart/form-data", 64),
        ("longer path", "/security-profile/SP-ABC/evidence/x/", "multipart/form-data", 64),
    ],
)
def test_only_upload_urls_get_the_larger_body_limit(rf, case, path, content_type, limit):
    from ctpat.core.middleware import request_body_limit

    request = rf.post(path, data=b"--x--", content_type=content_type)
    assert request_body_limit(request) == limit * 1024, case


def _approved_with_window_open(certified_days_ago, make_user, answer_all, scss):
    """An approved profile of a member whose anniversary is 30 days away, and its officer."""
    partner = certified_days_ago(335)
    officer = make_user("partner_officer", organization=partner.organization)
    profile = services.profile_start(actor=officer, partner=partner)
    answer_all(profile, officer)
    services.profile_submit(actor=officer, profile=profile)
    services.profile_decide(actor=scss, profile=profile, decision="approve")
    return profile, officer


def test_annual_review_flow_pages(login, certified_days_ago, make_user, answer_all, scss):
    profile, officer = _approved_with_window_open(certified_days_ago, make_user, answer_all, scss)
    client = login(officer)
    page = client.get(_url("annual_review", profile))
    assert b"Annual risk assessment" in page.content and b"open now" in page.content
    # The window's length on the page is the rule's constant, not a number in the template.
    assert page.context["window_days"] == rules.ANNUAL_REVIEW_WINDOW_DAYS
    assert f"opens {rules.ANNUAL_REVIEW_WINDOW_DAYS} days before" in page.content.decode()
    response = client.post(
        _url("annual_review", profile),
        {
            "risks_reviewed": "Reviewed.",
            "supply_chain_changes": "",
            "assessed_on": timezone.localdate().isoformat(),
            "assessed_by_name": "Pat Lee",
        },
    )
    assert response.status_code == 302
    page = client.get(_url("annual_review", profile)).content.decode()
    assert "0 of" in page and "Recorded" in page
    confirm = client.post(_url("category_confirm", profile, category=1))
    assert confirm.status_code == 302
    page = client.get(_url("annual_review", profile)).content.decode()
    assert re.search(r"1\. Security Vision &amp; Responsibility</a>: (\d+) of \1 confirmed", page)


def test_a_review_submitted_after_its_anniversary_shows_as_missed(
    login, certified_days_ago, make_user, answer_all, scss
):
    profile, officer = _approved_with_window_open(certified_days_ago, make_user, answer_all, scss)
    review = services.annual_review_start(
        actor=officer,
        profile=profile,
        risks_reviewed="Reviewed.",
        assessed_on=timezone.localdate(),
        assessed_by_name="Pat Lee",
    )
    page = login(officer).get(_url("annual_review", profile)).content.decode()
    assert "Missed: not submitted by the anniversary" not in page
    late = review.anniversary_date + dt.timedelta(days=1)
    services.profile_submit(actor=officer, profile=profile, today=late)
    page = login(officer).get(_url("annual_review", profile)).content.decode()
    assert "Missed: not submitted by the anniversary" in page


def test_history_lists_the_profiles_audit_events(login, profile, importer_officer, scss):
    services.answer_save(actor=importer_officer, profile=profile, msc_id="3.9", answer="yes")
    for user in (importer_officer, scss):
        page = login(user).get(_url("history", profile)).content.decode()
        assert "profiles.profile_start" in page and "profiles.answer_save" in page


@pytest.mark.parametrize("role", ["auditor", "mra_reviewer"])
def test_other_organizations_get_no_profile_pages(role, login, make_user, profile):
    client = login(make_user(role))
    assert client.get(reverse("profiles:home")).status_code == 403
    assert client.get(_url("detail", profile)).status_code == 404


def test_cbp_staff_read_but_do_not_answer(login, profile, cbp_org, make_user):
    client = login(make_user("nam", organization=cbp_org))
    assert client.get(reverse("profiles:home")).status_code == 200
    assert client.get(_url("detail", profile)).status_code == 200
    response = client.post(_url("answer_save", profile), {"msc_id": "3.9", "c3-9-answer": "no"})
    assert response.status_code == 404
    assert not profile.answers.exists()


def test_dashboard_panels(login, profile, importer_officer, answer_all, scss):
    answer_all(profile, importer_officer, {"3.9": "no"})
    page = login(importer_officer).get(reverse("dashboard")).content.decode()
    assert "Security profile" in page and "Must-gaps: <strong>1</strong>" in page
    services.answer_save(actor=importer_officer, profile=profile, msc_id="3.9", answer="yes")
    services.profile_submit(actor=importer_officer, profile=profile)
    page = login(scss).get(reverse("dashboard")).content.decode()
    assert "1 profile waiting for a decision" in page and profile.partner.name in page


def test_demo_profiles_at_different_states(db, media_root):
    from ctpat.demo.seed import load_demo
    from ctpat.profiles import selectors
    from ctpat.profiles.models import SecurityProfile

    assert load_demo()
    by_partner = {p.partner.name: p for p in SecurityProfile.objects.select_related("partner")}
    harbor = by_partner["Harbor Lane Home Goods Inc."]
    assert harbor.status == "approved" and harbor.evidence.count() == 2
    bluewater = by_partner["Bluewater Trading Co."]
    overview = selectors.profile_overview(
        partner=bluewater.partner, profile=bluewater, today=timezone.localdate()
    )
    assert bluewater.status == "draft" and "3.9" in [
        g.msc_id for g in overview.assessment.must_gaps
    ]
    maple = by_partner["Maple Leaf Outfitters Ltd."]
    assert maple.current_review is not None and maple.current_review.status == "in_progress"
    assert all(e.scan_status == "not_scanned" for e in harbor.evidence.all())

"""Issue 7: a profile with nothing to assess cannot be submitted; a partial table can; the
Submit page shows the real state of the annual review; every unchanged answer is confirmed at
once; the SCSS decides on the answers and evidence it sees."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ctpat.core.errors import ConflictError, DomainError
from ctpat.core.models import AuditEvent
from ctpat.criteria import selectors as criteria_selectors
from ctpat.criteria import services as criteria_services
from ctpat.profiles import selectors, services
from ctpat.profiles.models import ProfileAnswer

PROFILE_API = "/api/security-profiles/"


def _publish_without(entity_type: str, cbp_admin):
    """A new version in which no criterion lists ``entity_type`` (7.37 and 11.5 lose it)."""
    draft = criteria_services.criteria_version_create_draft(actor=cbp_admin, label="No exporters")
    for criterion in draft.criteria.all():
        if entity_type in criterion.entity_types:
            criteria_services.criterion_update(
                actor=cbp_admin,
                draft=draft,
                criterion=criterion,
                entity_types=[t for t in criterion.entity_types if t != entity_type],
            )
    return criteria_services.criteria_version_publish(
        actor=cbp_admin, draft=draft, notes="Exporter rows withdrawn for a test."
    )


@pytest.fixture
def exporter(make_partner, make_user):
    partner = make_partner(
        name="Export Co", entity_type="exporter", country="US", status="certified"
    )
    officer = make_user("partner_officer", organization=partner.organization)
    return partner, officer


# --- Nothing to assess ---------------------------------------------------------------------------


def test_given_no_criteria_for_the_type_then_submit_is_refused_with_the_reason(exporter, cbp_admin):
    partner, officer = exporter
    _publish_without("exporter", cbp_admin)
    profile = services.profile_start(actor=officer, partner=partner)

    with pytest.raises(DomainError) as caught:
        services.profile_submit(actor=officer, profile=profile)

    assert caught.value.code == "nothing_to_assess"
    assert "nothing to assess" in caught.value.message
    assert "Exporter" in caught.value.message
    profile.refresh_from_db()
    assert profile.status == "draft" and not profile.submissions.exists()


def test_given_no_criteria_then_the_page_and_the_api_say_why(
    exporter, cbp_admin, login, api_client
):
    partner, officer = exporter
    _publish_without("exporter", cbp_admin)
    profile = services.profile_start(actor=officer, partner=partner)
    client = login(officer)

    page = client.get(f"/security-profile/{profile.public_id}/submit/")
    refused = client.post(
        f"/security-profile/{profile.public_id}/submit/",
        {"expected_version": profile.lock_version},
    )
    api = api_client(officer)
    detail = api.get(f"{PROFILE_API}{profile.public_id}/").json()
    submit = api.post(
        f"{PROFILE_API}{profile.public_id}/submit/",
        {"expected_version": profile.lock_version},
        format="json",
    )

    html = page.content.decode()
    assert 'data-testid="nothing-to-assess"' in html and "Still to do" in html
    assert "0 of 0" in html and "(0%)" in html  # never "100% complete" with nothing to assess
    assert refused.status_code == 400 and b"nothing to assess" in refused.content
    assert detail["criteria_table"] == "none" and detail["can_submit"] is False
    assert "nothing to assess" in detail["submit_blockers"][0]
    assert submit.status_code == 400
    assert submit.json()["error"]["code"] == "nothing_to_assess"


def test_a_partial_table_is_submittable_and_says_it_is_partial(
    exporter, login, api_client, answer_all
):
    partner, officer = exporter
    profile = services.profile_start(actor=officer, partner=partner)
    answer_all(profile, officer)

    page = login(officer).get(f"/security-profile/{profile.public_id}/submit/")
    detail = api_client(officer).get(f"{PROFILE_API}{profile.public_id}/").json()
    submission = services.profile_submit(actor=officer, profile=profile)

    assert 'data-testid="partial-table"' in page.content.decode()
    assert "only these rows are loaded" in page.content.decode()
    assert detail["criteria_table"] == "partial" and detail["can_submit"] is True
    assert submission.completeness == {"answered": 2, "applicable": 2}  # 7.37 and 11.5


# --- The annual review's real state and confirm-all ----------------------------------------------


def _risk():
    return {
        "risks_reviewed": "Country and supplier risk reviewed.",
        "supply_chain_changes": "",
        "assessed_on": timezone.localdate(),
        "assessed_by_name": "Pat Lee, Security Manager",
    }


@pytest.fixture
def review_in_progress(certified_days_ago, make_user, answer_all, scss):
    partner = certified_days_ago(335)  # anniversary in 30 days: the window is open
    officer = make_user("partner_officer", organization=partner.organization)
    profile = services.profile_start(actor=officer, partner=partner)
    answer_all(profile, officer, {"1.1": None})  # 1.1 (should) left unanswered
    services.profile_submit(actor=officer, profile=profile)
    services.profile_decide(actor=scss, profile=profile, decision="approve")
    profile.refresh_from_db()
    services.annual_review_start(actor=officer, profile=profile, **_risk())
    profile.refresh_from_db()
    return profile, officer


def _progress(profile):
    overview = selectors.profile_overview(
        partner=profile.partner, profile=profile, today=timezone.localdate()
    )
    return selectors.review_progress(overview, profile.current_review)


def test_the_submit_page_counts_what_is_left_as_the_submit_check_does(review_in_progress, login):
    profile, officer = review_in_progress
    progress = _progress(profile)

    page = login(officer).get(f"/security-profile/{profile.public_id}/submit/")
    with pytest.raises(DomainError) as caught:
        services.profile_submit(actor=officer, profile=profile)

    html = page.content.decode()
    assert len(caught.value.fields["unconfirmed"]) == len(progress.remaining)
    assert f"<strong>{len(progress.remaining)}</strong> still to do" in html
    assert [r.msc_id for r in progress.unanswered] == ["1.1"]
    assert "Still to do before you can submit" in html
    assert f"confirm {len(progress.to_confirm)} unchanged answers at once" in html


def test_confirming_every_unchanged_answer_at_once_is_one_audited_action(review_in_progress):
    profile, officer = review_in_progress
    rows = _progress(profile).to_confirm
    ids = [r.msc_id for r in rows]

    confirmed = services.annual_review_confirm_unchanged(
        actor=officer, profile=profile, msc_ids=ids, expected_version=profile.lock_version
    )

    assert confirmed == ids and len(ids) == 96
    event = AuditEvent.objects.get(action="profiles.annual_review_confirm_unchanged")
    assert event.after["confirmed"] == ids and event.object_id == profile.current_review.public_id
    profile.refresh_from_db()
    progress = _progress(profile)
    assert progress.to_confirm == [] and progress.remaining_ids == ["1.1"]
    answer = ProfileAnswer.objects.get(profile=profile, msc_id="3.9")
    assert answer.answered_at >= profile.current_review.started_at
    # Then only the unanswered one is left: answering it makes the review submittable.
    services.answer_save(actor=officer, profile=profile, msc_id="1.1", answer="yes")
    submission = services.profile_submit(actor=officer, profile=profile)
    assert submission.kind == "annual_review"


def test_a_changed_list_or_profile_confirms_nothing(review_in_progress):
    profile, officer = review_in_progress
    ids = [r.msc_id for r in _progress(profile).to_confirm]
    services.answer_save(actor=officer, profile=profile, msc_id="3.9", answer="yes")
    profile.refresh_from_db()

    with pytest.raises(ConflictError) as caught:
        services.annual_review_confirm_unchanged(actor=officer, profile=profile, msc_ids=ids)
    with pytest.raises(ConflictError) as stale:
        services.annual_review_confirm_unchanged(
            actor=officer, profile=profile, msc_ids=ids[1:], expected_version=1
        )

    assert caught.value.code == "confirm_list_changed"
    assert stale.value.code == "stale_profile"
    assert not AuditEvent.objects.filter(action="profiles.annual_review_confirm_unchanged").exists()


def test_other_users_cannot_confirm(review_in_progress, make_user, scss, importer_officer):
    profile, _ = review_in_progress
    ids = [r.msc_id for r in _progress(profile).to_confirm]
    for user in (scss, importer_officer):
        with pytest.raises(DomainError):
            services.annual_review_confirm_unchanged(actor=user, profile=profile, msc_ids=ids)


def test_the_confirm_page_lists_the_answers_and_confirms_them(review_in_progress, login):
    profile, officer = review_in_progress
    client = login(officer)
    url = f"/security-profile/{profile.public_id}/annual-review/confirm/"

    page = client.get(url)
    html = page.content.decode()
    ids = page.context["fresh_form"].initial["msc_ids"]
    posted = client.post(url, {"expected_version": profile.lock_version, "msc_ids": ids})
    bad = client.post(url, {"expected_version": "", "msc_ids": ""})

    assert page.status_code == 200 and 'data-testid="answers-to-confirm"' in html
    assert "Confirm these 96 answers" in html and 'data-confirm="Confirm that all 96' in html
    assert posted.status_code == 302 and posted["Location"].endswith("/submit/")
    assert bad.status_code == 400
    assert b"The page is missing the profile version" in bad.content
    assert b"The page is missing the list of answers to confirm" in bad.content


def test_a_compliance_user_of_the_company_confirms_but_only_the_officer_submits(
    review_in_progress, make_user
):
    profile, _ = review_in_progress
    helper = make_user("partner_compliance", organization=profile.partner.organization)
    ids = [r.msc_id for r in _progress(profile).to_confirm]

    assert services.annual_review_confirm_unchanged(actor=helper, profile=profile, msc_ids=ids)
    services.answer_save(actor=helper, profile=profile, msc_id="1.1", answer="yes")
    with pytest.raises(DomainError):
        services.profile_submit(actor=helper, profile=profile)


@pytest.mark.parametrize("role", ["scss", "cbp_admin", "partner_officer_elsewhere"])
def test_the_confirm_page_is_the_companys_own(review_in_progress, role, make_user, cbp_org, login):
    profile, _ = review_in_progress
    if role == "partner_officer_elsewhere":
        from ctpat.testing import make_partner

        other = make_partner(entity_type="importer", country="US", status="certified")
        user = make_user("partner_officer", organization=other.organization)
    else:
        user = make_user(role, organization=cbp_org)
    url = f"/security-profile/{profile.public_id}/annual-review/confirm/"

    assert login(user).get(url).status_code == 404
    assert login(user).post(url, {"expected_version": 1, "msc_ids": "1.2"}).status_code == 404


# --- The SCSS decision page ------------------------------------------------------------------


def test_the_decision_page_shows_answers_and_evidence_links_and_asks_to_confirm(
    profile, importer_officer, answer_all, scss, login
):
    answer_all(profile, importer_officer)
    item = services.evidence_upload(
        actor=importer_officer,
        profile=profile,
        uploaded_file=SimpleUploadedFile("code-of-conduct.txt", b"Our code of conduct.\n"),
        msc_id="11.5",
    )
    whole = services.evidence_upload(
        actor=importer_officer,
        profile=profile,
        uploaded_file=SimpleUploadedFile("security-manual.txt", b"Manual.\n"),
    )
    services.profile_submit(actor=importer_officer, profile=profile)

    html = login(scss).get(f"/security-profile/{profile.public_id}/decide/").content.decode()

    assert 'data-testid="decide-answers"' in html
    assert f"/security-profile/{profile.public_id}/evidence/{item.public_id}/" in html
    assert f"/security-profile/{profile.public_id}/evidence/{whole.public_id}/" in html
    assert "data-confirm=" in html and "Record this decision" in html


def test_criteria_version_stays_comparable(profile):
    # The overview names the company's table (full for importers).
    overview = selectors.profile_overview(
        partner=profile.partner, profile=profile, today=dt.date.today()
    )
    assert overview.table.status == "full"
    assert overview.version == criteria_selectors.current_version()

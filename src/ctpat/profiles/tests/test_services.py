"""Security-profile services: answers record their version, submission refuses must-gaps and
double submissions, the SCSS decides, evidence is checked and stored, the annual review and its
enforcement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ctpat.core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from ctpat.core.models import AuditEvent
from ctpat.criteria import selectors as criteria_selectors
from ctpat.notifications.models import Notification
from ctpat.partners import rules as partner_rules
from ctpat.profiles import rules, selectors, services
from ctpat.profiles.models import EvidenceFile, ProfileAnswer, ProfileSubmission


def _overview(profile):
    profile.refresh_from_db()
    return selectors.profile_overview(
        partner=profile.partner, profile=profile, today=timezone.localdate()
    )


# --- Answers -------------------------------------------------------------------------------------


def test_an_answer_records_the_criteria_version_and_criterion_row(profile, importer_officer):
    current = criteria_selectors.current_version()
    answer = services.answer_save(
        actor=importer_officer, profile=profile, msc_id="3.9", answer="yes", narrative="Policy."
    )
    assert answer.criteria_version == current
    assert answer.criterion == current.criteria.get(msc_id="3.9")
    assert answer.answered_by == importer_officer
    event = AuditEvent.objects.get(action="profiles.answer_save")
    assert event.after["criteria_version"] == current.public_id
    assert event.after["answer"] == "yes"


def test_compliance_users_answer_but_other_companies_cannot(
    profile, compliance_user, manufacturer_officer
):
    services.answer_save(actor=compliance_user, profile=profile, msc_id="1.3", answer="yes")
    with pytest.raises(PermissionDeniedError):
        services.answer_save(actor=manufacturer_officer, profile=profile, msc_id="1.3", answer="no")


@pytest.mark.parametrize(
    "case, msc_id, answer, narrative, code",
    [
        ("unknown criterion", "99.9", "yes", "", "criterion_not_applicable"),
        ("N/A without a reason", "1.3", "not_applicable", "", "invalid_answer"),
        ("not an answer", "1.3", "perhaps", "", "invalid_answer"),
    ],
)
def test_bad_answers_are_refused_and_write_nothing(
    case, msc_id, answer, narrative, code, profile, importer_officer
):
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as caught:
        services.answer_save(
            actor=importer_officer,
            profile=profile,
            msc_id=msc_id,
            answer=answer,
            narrative=narrative,
        )
    assert caught.value.code == code, case
    assert AuditEvent.objects.count() == before
    assert not profile.answers.exists()


def test_completeness_and_gaps_are_shown_at_a_glance(profile, importer_officer, answer_all):
    answer_all(profile, importer_officer, {"3.9": "no", "1.1": "no", "1.3": None})
    overview = _overview(profile)
    a = overview.assessment
    assert a.applicable == len(overview.rows) > 50
    assert a.answered == a.applicable - 1
    assert [g.msc_id for g in a.must_gaps] == ["1.3", "3.9"]
    assert [g.reason for g in a.must_gaps] == ["unanswered", "answered_no"]
    assert [g.msc_id for g in a.should_gaps] == ["1.1"]


# --- Submission ----------------------------------------------------------------------------------


def test_submitting_with_a_must_gap_is_refused_with_the_list_of_gaps(
    profile, importer_officer, answer_all
):
    answer_all(profile, importer_officer, {"3.9": "no", "1.3": None})
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as caught:
        services.profile_submit(actor=importer_officer, profile=profile)
    assert caught.value.code == "must_gaps"
    assert caught.value.fields["must_gaps"] == [
        f"1.3 (Must on {timezone.localdate().isoformat()}) is not answered.",
        f"3.9 (Must on {timezone.localdate().isoformat()}) is answered No.",
    ]
    assert "(1.3, 3.9)" in caught.value.message
    profile.refresh_from_db()
    assert profile.status == "draft"
    assert not ProfileSubmission.objects.exists()
    assert AuditEvent.objects.count() == before


def test_a_should_gap_does_not_block_and_the_scss_is_told(
    profile, importer, importer_officer, answer_all, scss, cbp_org, make_user
):
    other_scss = make_user("scss", organization=cbp_org)
    answer_all(profile, importer_officer, {"1.1": "no"})
    submission = services.profile_submit(
        actor=importer_officer, profile=profile, expected_version=profile.lock_version
    )
    profile.refresh_from_db()
    assert profile.status == "submitted"
    assert [g["msc_id"] for g in submission.should_gaps] == ["1.1"]
    assert submission.criteria_version == criteria_selectors.current_version()
    assert len(submission.answers_snapshot) == submission.completeness["applicable"]
    # No SCSS assigned: every SCSS is told.
    notified = set(
        Notification.objects.filter(kind="profiles.submitted").values_list("recipient", flat=True)
    )
    assert notified == {scss.pk, other_scss.pk}


def test_the_assigned_scss_is_told(
    profile, importer, importer_officer, answer_all, scss, cbp_org, make_user, cbp_admin
):
    from ctpat.partners.services import partner_assign_scss

    make_user("scss", organization=cbp_org)
    partner_assign_scss(actor=cbp_admin, partner=importer, scss=scss)
    answer_all(profile, importer_officer)
    services.profile_submit(actor=importer_officer, profile=profile)
    assert list(
        Notification.objects.filter(kind="profiles.submitted").values_list("recipient", flat=True)
    ) == [scss.pk]


def test_two_tabs_submitting_the_same_draft_the_second_gets_a_conflict(
    profile, importer_officer, answer_all
):
    answer_all(profile, importer_officer)
    seen = profile.lock_version
    first_tab = selectors.profile_get(viewer=importer_officer, public_id=profile.public_id)
    second_tab = selectors.profile_get(viewer=importer_officer, public_id=profile.public_id)
    services.profile_submit(actor=importer_officer, profile=first_tab, expected_version=seen)
    events = AuditEvent.objects.count()
    with pytest.raises(ConflictError) as caught:
        services.profile_submit(actor=importer_officer, profile=second_tab, expected_version=seen)
    assert caught.value.code == "already_submitted"
    assert ProfileSubmission.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_a_submission_of_a_profile_changed_since_it_was_seen_is_a_conflict(
    profile, importer_officer, compliance_user, answer_all
):
    answer_all(profile, importer_officer)
    seen = profile.lock_version
    services.answer_save(actor=compliance_user, profile=profile, msc_id="1.1", answer="no")
    with pytest.raises(ConflictError) as caught:
        services.profile_submit(actor=importer_officer, profile=profile, expected_version=seen)
    assert caught.value.code == "stale_profile"
    assert not ProfileSubmission.objects.exists()


def test_compliance_users_cannot_submit(profile, compliance_user, answer_all):
    answer_all(profile, compliance_user)
    with pytest.raises(PermissionDeniedError):
        services.profile_submit(actor=compliance_user, profile=profile)


def test_a_submitted_profile_cannot_be_changed(profile, importer_officer, answer_all):
    answer_all(profile, importer_officer)
    services.profile_submit(actor=importer_officer, profile=profile)
    with pytest.raises(ConflictError) as caught:
        services.answer_save(actor=importer_officer, profile=profile, msc_id="1.1", answer="no")
    assert caught.value.code == "profile_submitted"


# --- Decision ------------------------------------------------------------------------------------


@pytest.fixture
def submitted(profile, importer_officer, answer_all):
    answer_all(profile, importer_officer)
    services.profile_submit(actor=importer_officer, profile=profile)
    profile.refresh_from_db()
    return profile


def test_the_scss_returns_with_reasons_and_the_partner_sees_them(
    submitted, scss, importer_officer, compliance_user
):
    with pytest.raises(DomainError) as caught:
        services.profile_decide(actor=scss, profile=submitted, decision="return", reason=" ")
    assert caught.value.code == "reason_required"
    submission = services.profile_decide(
        actor=scss, profile=submitted, decision="return", reason="Add evidence for 3.9."
    )
    submitted.refresh_from_db()
    assert submitted.status == "returned" and submission.decision == "return"
    notices = Notification.objects.filter(kind="profiles.decided")
    assert {n.recipient_id for n in notices} == {importer_officer.pk, compliance_user.pk}
    assert "Add evidence for 3.9." in notices.first().body
    # The partner fixes it and submits again; the SCSS approves.
    services.answer_save(actor=importer_officer, profile=submitted, msc_id="3.9", answer="yes")
    services.profile_submit(actor=importer_officer, profile=submitted)
    services.profile_decide(actor=scss, profile=submitted, decision="approve")
    submitted.refresh_from_db()
    assert submitted.status == "approved" and submitted.approved_at is not None
    with pytest.raises(ConflictError):
        services.profile_decide(actor=scss, profile=submitted, decision="approve")


def test_partners_cannot_decide(submitted, importer_officer):
    with pytest.raises(PermissionDeniedError):
        services.profile_decide(actor=importer_officer, profile=submitted, decision="approve")


# --- A new criteria version ----------------------------------------------------------------------


def test_after_a_new_version_an_open_profile_shows_what_changed_and_when(
    profile, importer_officer, cbp_admin, answer_all
):
    from ctpat.criteria import services as criteria_services

    answer_all(profile, importer_officer)
    old = criteria_selectors.current_version()
    old_text = old.criteria.get(msc_id="1.3").text
    draft = criteria_services.criteria_version_create_draft(actor=cbp_admin, label="2027-06")
    criteria_services.criterion_set_requirement(
        actor=cbp_admin,
        draft=draft,
        criterion=draft.criteria.get(msc_id="1.1"),
        level="must",
        effective_from=dt.date(2027, 6, 1),
    )
    criteria_services.criterion_update(
        actor=cbp_admin,
        draft=draft,
        criterion=draft.criteria.get(msc_id="1.3"),
        text="A written, risk-based review of the security program, updated yearly.",
    )
    criteria_services.criteria_version_publish(actor=cbp_admin, draft=draft, notes="Upgrades.")

    overview = _overview(profile)
    assert overview.version.label == "2027-06"
    changed = {row.msc_id: row for row in overview.stale_rows}
    assert set(changed) == {"1.1", "1.3"}
    upgrade = changed["1.1"].changes[0]
    assert upgrade.kind == "upgraded" and upgrade.effective_from == dt.date(2027, 6, 1)
    assert changed["1.3"].changes[0].kind == "reworded"
    # Old answers stay readable with the version (and wording) they answered.
    row = changed["1.3"]
    assert row.answer.criteria_version == old and row.answer.criterion.text == old_text
    assert row.criterion.text.startswith("A written, risk-based review")
    # Unchanged criteria answered to the old version show no change.
    assert overview.row("3.9").answered_to_older_version and overview.row("3.9").changes == []
    # Answering again against the new version clears the notice.
    services.answer_save(actor=importer_officer, profile=profile, msc_id="1.3", answer="yes")
    assert {r.msc_id for r in _overview(profile).stale_rows} == {"1.1"}


# --- Evidence ------------------------------------------------------------------------------------


def test_evidence_is_stored_under_a_random_name_marked_not_scanned(
    profile, importer_officer, media_root
):
    item = services.evidence_upload(
        actor=importer_officer,
        profile=profile,
        uploaded_file=SimpleUploadedFile("../../Our policy.txt", b"Policy text", "text/html"),
        msc_id="3.9",
    )
    assert item.original_name == "Our policy.txt"
    assert item.detected_type == "txt" and item.size == 11
    assert item.scan_status == "not_scanned"
    assert "policy" not in item.file.name.lower() and item.file.name.startswith("evidence/")
    stored = media_root / item.file.name
    assert stored.read_bytes() == b"Policy text"
    assert AuditEvent.objects.get(action="profiles.evidence_upload").after["scan_status"] == (
        "not_scanned"
    )


def test_answers_are_restricted_to_their_company_and_cbp(
    profile, importer_officer, manufacturer_officer, scss
):
    # Pages read answers through the restricted profile; the answer's own rule must agree, for
    # any later reader (exports, other programs reusing answers) that starts from the answers.
    services.answer_save(
        actor=importer_officer, profile=profile, msc_id="3.9", answer="yes", narrative="Policy."
    )
    assert ProfileAnswer.objects.restrict(importer_officer).filter(profile=profile).exists()
    assert ProfileAnswer.objects.restrict(scss).filter(profile=profile).exists()
    assert not ProfileAnswer.objects.restrict(manufacturer_officer).exists()


def test_evidence_is_read_only_by_its_company_and_cbp_even_given_the_profile(
    profile, importer_officer, manufacturer_officer, scss, media_root
):
    # The evidence rule holds on its own, not only because the profile was looked up first.
    item = services.evidence_upload(
        actor=importer_officer,
        profile=profile,
        uploaded_file=SimpleUploadedFile("policy.txt", b"Policy text"),
        msc_id="3.9",
    )
    assert selectors.evidence_get(
        viewer=importer_officer, profile=profile, public_id=item.public_id
    )
    assert selectors.evidence_get(viewer=scss, profile=profile, public_id=item.public_id)
    with pytest.raises(NotFoundError):
        selectors.evidence_get(
            viewer=manufacturer_officer, profile=profile, public_id=item.public_id
        )
    assert not EvidenceFile.objects.restrict(manufacturer_officer).exists()


def _files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    "case, name, content, code",
    [
        ("exe renamed pdf", "report.pdf", b"MZ\x90\x00" + b"\x00" * 100, "upload_content_mismatch"),
        ("oversized", "big.txt", b"a" * 4097, "upload_too_large"),
        ("wrong type", "tool.exe", b"MZ", "upload_type_not_allowed"),
    ],
)
def test_refused_evidence_writes_nothing(
    case, name, content, code, profile, importer_officer, media_root, settings
):
    settings.CTPAT_EVIDENCE_MAX_BYTES = 4096
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as caught:
        services.evidence_upload(
            actor=importer_officer, profile=profile, uploaded_file=SimpleUploadedFile(name, content)
        )
    assert caught.value.code == code, case
    assert not EvidenceFile.objects.exists()
    assert _files(media_root) == []
    assert AuditEvent.objects.count() == before


def test_a_configured_scanner_marks_evidence_clean_or_refuses_it(
    profile, importer_officer, settings, media_root
):
    settings.CTPAT_UPLOAD_SCANNER = "ctpat.profiles.tests.test_uploads.eicar_scanner"
    item = services.evidence_upload(
        actor=importer_officer, profile=profile, uploaded_file=SimpleUploadedFile("a.txt", b"ok")
    )
    assert item.scan_status == "clean"
    with pytest.raises(DomainError) as caught:
        services.evidence_upload(
            actor=importer_officer,
            profile=profile,
            uploaded_file=SimpleUploadedFile("b.txt", b"EICAR test"),
        )
    assert caught.value.code == "upload_infected"
    assert EvidenceFile.objects.count() == 1 and len(_files(media_root)) == 1


# --- Annual review -------------------------------------------------------------------------------


def _approved_profile(partner, officer, answer_all, scss):
    profile = services.profile_start(actor=officer, partner=partner)
    answer_all(profile, officer)
    services.profile_submit(actor=officer, profile=profile)
    services.profile_decide(actor=scss, profile=profile, decision="approve")
    profile.refresh_from_db()
    return profile


def _risk_assessment(**overrides):
    return {
        "risks_reviewed": "Country and supplier risk reviewed; UFLPA list checked.",
        "supply_chain_changes": "None.",
        "assessed_on": timezone.localdate(),
        "assessed_by_name": "Pat Lee, Security Manager",
        **overrides,
    }


def test_the_annual_review_starts_only_inside_the_window(
    certified_days_ago, make_user, answer_all, scss
):
    too_early = certified_days_ago(200)  # anniversary in ~165 days: window not open
    officer = make_user("partner_officer", organization=too_early.organization)
    profile = _approved_profile(too_early, officer, answer_all, scss)
    with pytest.raises(DomainError) as caught:
        services.annual_review_start(actor=officer, profile=profile, **_risk_assessment())
    assert caught.value.code == "review_window_closed"
    assert "90 days before the certification anniversary" in caught.value.message


@pytest.mark.parametrize(
    "case, overrides, field",
    [
        (
            "risks too long",
            {"risks_reviewed": "r" * (rules.RISK_TEXT_MAX_LENGTH + 1)},
            "risks_reviewed",
        ),
        (
            "changes too long",
            {"supply_chain_changes": "c" * (rules.RISK_TEXT_MAX_LENGTH + 1)},
            "supply_chain_changes",
        ),
        (
            "name too long",
            {"assessed_by_name": "n" * (rules.ASSESSED_BY_MAX_LENGTH + 1)},
            "assessed_by_name",
        ),
        (
            "in the future",
            {"assessed_on": timezone.localdate() + dt.timedelta(days=1)},
            "assessed_on",
        ),
    ],
)
def test_a_bad_risk_assessment_is_refused_by_the_service_and_writes_nothing(
    case, overrides, field, certified_days_ago, make_user, answer_all, scss
):
    partner = certified_days_ago(335)
    officer = make_user("partner_officer", organization=partner.organization)
    profile = _approved_profile(partner, officer, answer_all, scss)
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError) as caught:
        services.annual_review_start(
            actor=officer, profile=profile, **_risk_assessment(**overrides)
        )
    assert caught.value.code == "invalid_risk_assessment", case
    assert set(caught.value.fields) == {field}, case
    assert AuditEvent.objects.count() == events and not profile.annual_reviews.exists()


def test_the_risk_assessment_may_be_at_most_the_named_age(
    certified_days_ago, make_user, answer_all, scss
):
    partner = certified_days_ago(335)
    officer = make_user("partner_officer", organization=partner.organization)
    profile = _approved_profile(partner, officer, answer_all, scss)
    opens, _ = partner_rules.review_window(partner.certification_date, timezone.localdate())
    oldest = opens - dt.timedelta(days=rules.RISK_ASSESSMENT_MAX_AGE_DAYS)
    with pytest.raises(DomainError) as caught:
        services.annual_review_start(
            actor=officer,
            profile=profile,
            **_risk_assessment(assessed_on=oldest - dt.timedelta(days=1)),
        )
    assert set(caught.value.fields) == {"assessed_on"}
    review = services.annual_review_start(
        actor=officer, profile=profile, **_risk_assessment(assessed_on=oldest)
    )
    assert review.assessed_on == oldest


def test_a_review_not_submitted_by_its_anniversary_does_not_count_as_one(
    certified_days_ago, make_user, answer_all, scss
):
    # DOMAIN.md §3.1: only updates inside the window count. A review started in the window but
    # submitted after the anniversary is a plain profile update, not an annual review the SCSS
    # could approve while the member is suspended for missing it.
    partner = certified_days_ago(335)
    officer = make_user("partner_officer", organization=partner.organization)
    profile = _approved_profile(partner, officer, answer_all, scss)
    review = services.annual_review_start(actor=officer, profile=profile, **_risk_assessment())
    profile.refresh_from_db()
    day_after = review.anniversary_date + dt.timedelta(days=1)

    submission = services.profile_submit(actor=officer, profile=profile, today=day_after)

    review.refresh_from_db()
    profile.refresh_from_db()
    assert submission.kind == "profile" and submission.annual_review is None
    assert profile.current_review is None and profile.status == "submitted"
    assert review.status == "in_progress" and review.first_submitted_on is None
    assert services._reviewed_anniversaries(partner) == []
    event = AuditEvent.objects.filter(action="profiles.profile_submit").latest("id")
    assert event.after["missed_review"] == review.public_id


def test_annual_review_flow_risk_assessment_confirm_submit_approve(
    certified_days_ago, make_user, answer_all, scss
):
    partner = certified_days_ago(335)  # anniversary in 30 days: the window is open
    officer = make_user("partner_officer", organization=partner.organization)
    profile = _approved_profile(partner, officer, answer_all, scss)
    with pytest.raises(DomainError) as caught:
        services.annual_review_start(
            actor=officer,
            profile=profile,
            **_risk_assessment(risks_reviewed="", assessed_by_name=""),
        )
    assert set(caught.value.fields) == {"risks_reviewed", "assessed_by_name"}

    review = services.annual_review_start(actor=officer, profile=profile, **_risk_assessment())
    profile.refresh_from_db()
    assert profile.status == "draft" and profile.current_review == review
    assert review.anniversary_date == partner.certification_date.replace(
        year=partner.certification_date.year + 1
    )
    with pytest.raises(ConflictError):
        services.annual_review_start(actor=officer, profile=profile, **_risk_assessment())

    # Every answer must be confirmed or updated before the review is submitted.
    with pytest.raises(DomainError) as caught:
        services.profile_submit(actor=officer, profile=profile)
    assert caught.value.code == "review_unconfirmed"
    categories = _overview(profile).categories
    for group in categories[:-1]:
        services.answers_reconfirm(
            actor=officer, profile=profile, msc_ids=[r.msc_id for r in group.rows]
        )
    with pytest.raises(DomainError) as caught:
        services.profile_submit(actor=officer, profile=profile)
    assert caught.value.fields["unconfirmed"] == [r.msc_id for r in categories[-1].rows]
    for row in categories[-1].rows:
        services.answer_save(actor=officer, profile=profile, msc_id=row.msc_id, answer="yes")

    submission = services.profile_submit(actor=officer, profile=profile)
    review.refresh_from_db()
    assert submission.kind == "annual_review" and submission.annual_review == review
    assert review.status == "submitted" and review.first_submitted_on == timezone.localdate()
    services.profile_decide(actor=scss, profile=profile, decision="approve")
    review.refresh_from_db()
    profile.refresh_from_db()
    assert review.status == "approved" and profile.current_review is None

    # Submitted inside its window: a check after the anniversary suspends nobody.
    later = review.anniversary_date + dt.timedelta(days=5)
    assert services.annual_reviews_enforce(actor=None, today=later) == []


def test_a_missed_annual_review_puts_the_member_on_the_suspension_path_once(
    certified_days_ago, make_user, cbp_admin
):
    partner = certified_days_ago(370)  # the anniversary was 5 days ago, no review
    officer = make_user("partner_officer", organization=partner.organization)
    today = timezone.localdate()

    suspended = services.annual_reviews_enforce(actor=cbp_admin, today=today)

    assert [p.pk for p in suspended] == [partner.pk]
    partner.refresh_from_db()
    assert partner.status == "suspended" and partner.suspended_on == today
    change = partner.status_changes.order_by("-id").first()
    assert change.to_status == "suspended"
    assert change.reason.startswith("Annual security-profile review missed")
    assert "DOMAIN" not in change.reason and "within 90 days" in change.reason
    notice = Notification.objects.get(recipient=officer, kind="profiles.review_missed")
    assert notice.body == change.reason
    # Idempotent: a second run suspends nobody and writes nothing.
    events = AuditEvent.objects.count()
    assert services.annual_reviews_enforce(actor=cbp_admin, today=today) == []
    assert partner.status_changes.filter(to_status="suspended").count() == 1
    assert AuditEvent.objects.count() == events


def test_a_member_reinstated_after_a_missed_review_is_not_suspended_again_for_it(
    certified_days_ago, cbp_admin
):
    from ctpat.partners.services import partner_transition

    partner = certified_days_ago(370)  # the anniversary was 5 days ago, no review
    today = timezone.localdate()
    assert services.annual_reviews_enforce(actor=cbp_admin, today=today) == [partner]
    # The company answered the suspension letter; CBP reinstates it.
    partner_transition(actor=cbp_admin, partner=partner, target="certified", reason="Answered.")

    # The daily check must not suspend it again for the same missed anniversary ...
    assert services.annual_reviews_enforce(actor=cbp_admin, today=today) == []
    later = today + dt.timedelta(days=30)
    assert services.annual_reviews_enforce(actor=cbp_admin, today=later) == []
    partner.refresh_from_db()
    assert partner.status == "certified"
    assert partner.status_changes.filter(to_status="suspended").count() == 1
    # ... but the next anniversary missed is a new reason.
    next_year = partner_rules.add_years(partner.certification_date, 2) + dt.timedelta(days=1)
    missed = rules.missed_annual_review(
        status=partner.status,
        certification_date=partner.certification_date,
        today=next_year,
        submitted_for_anniversaries=[],
        reinstated_on=services._reinstated_on(partner),
    )
    assert missed is not None and missed.anniversary == next_year - dt.timedelta(days=1)


def test_only_cbp_admins_run_the_check(certified_days_ago, scss):
    with pytest.raises(PermissionDeniedError):
        services.annual_reviews_enforce(actor=scss, today=timezone.localdate())


def test_the_check_runs_as_a_command_and_as_a_task(certified_days_ago):
    from io import StringIO

    from django.core.management import call_command

    from ctpat.profiles.tasks import enforce_annual_reviews

    first = certified_days_ago(380)
    out = StringIO()
    call_command("enforce_annual_reviews", stdout=out)
    assert f"Suspended {first.public_id}" in out.getvalue()
    assert AuditEvent.objects.filter(action="partner.transition", source="cli").exists()

    second = certified_days_ago(390)
    assert enforce_annual_reviews.call() == [second.public_id]
    assert enforce_annual_reviews.call() == []


# --- Answer once, for other programs -------------------------------------------------------------


def test_latest_answers_by_msc_offers_each_answer_with_its_source(
    profile, importer, importer_officer, manufacturer
):
    services.answer_save(
        actor=importer_officer, profile=profile, msc_id="3.9", answer="no", narrative="Draft."
    )
    services.answer_save(
        actor=importer_officer, profile=profile, msc_id="3.9", answer="yes", narrative="Policy."
    )
    refs = selectors.latest_answers_by_msc(importer)
    ref = refs["3.9"]
    today = timezone.localdate().isoformat()
    assert set(refs) == {"3.9"}
    assert (ref.answer, ref.answer_label, ref.narrative) == ("yes", "Yes", "Policy.")
    assert ref.criteria_version_label == criteria_selectors.current_version().label
    assert ref.source_label == f"Security profile, criterion 3.9, answered {today}"
    assert selectors.latest_answers_by_msc(manufacturer) == {}


def test_a_company_that_left_the_program_can_no_longer_change_or_submit_its_profile(
    profile, importer_officer, answer_all
):
    from ctpat.partners.services import partner_transition

    answer_all(profile, importer_officer)
    partner_transition(
        actor=None, partner=profile.partner, target="withdrawn", reason="Company withdrew."
    )
    events = AuditEvent.objects.count()
    criterion = next(iter(_overview(profile).rows)).msc_id

    with pytest.raises(ConflictError) as error:
        services.answer_save(
            actor=importer_officer, profile=profile, msc_id=criterion, answer="no", narrative=""
        )
    assert error.value.code == "not_in_program"
    with pytest.raises(ConflictError) as error:
        services.profile_submit(actor=importer_officer, profile=profile)
    assert error.value.code == "not_in_program"
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("status", "accepts"),
    [
        ("applicant", True),
        ("certified", True),
        ("suspended", True),
        ("withdrawn", False),
        ("removed", False),
    ],
)
def test_profile_changes_by_membership_status(status, accepts):
    assert rules.profile_accepts_changes(status) is accepts

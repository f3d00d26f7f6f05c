"""Writes for security profiles. Each is a ``@service``: one transaction, one audit event or more.

* ``profile_start`` — a partner's users open the company's profile.
* ``answer_save`` / ``answers_reconfirm`` — answer a criterion of the current criteria version,
  or confirm earlier answers still hold (the annual review), recording the version answered.
* ``evidence_upload`` — a checked (type, size, content) and scanned file, stored outside the
  database under a random name.
* ``profile_submit`` — refused with the list of must-gaps; a second or stale submission (two tabs)
  is a ``ConflictError`` (row lock + version counter). The SCSS is told.
* ``profile_decide`` — the SCSS approves or returns with reasons; the company is told.
* ``annual_review_start`` — the annual risk assessment that opens the annual review, only
  inside the window (DOMAIN.md §3.1).
* ``annual_reviews_enforce`` — members whose anniversary passed without a review submitted in
  its window are suspended through ``partners.services.partner_transition`` (idempotent).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ctpat.accounts import roles
from ctpat.accounts.choices import Role
from ctpat.accounts.models import User
from ctpat.core import uploads
from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.services import audit_record, service, snapshot
from ctpat.criteria import rules as criteria_rules
from ctpat.criteria import selectors as criteria_selectors
from ctpat.criteria.choices import Program
from ctpat.criteria.models import Criterion
from ctpat.partners import rules as partner_rules
from ctpat.partners.choices import MembershipStatus
from ctpat.partners.conf import enforcement_policy
from ctpat.partners.models import Partner, StatusChange

from . import rules, selectors
from .choices import Decision, ProfileStatus, ReviewStatus, SubmissionKind
from .models import AnnualReview, EvidenceFile, ProfileAnswer, ProfileSubmission, SecurityProfile

PROFILE_FIELDS = ("status", "lock_version", "current_review", "submitted_at", "approved_at")
ANSWER_FIELDS = ("msc_id", "criterion", "criteria_version", "answer", "narrative", "answered_at")
REVIEW_FIELDS = (
    "anniversary_date",
    "window_opens",
    "status",
    "risks_reviewed",
    "supply_chain_changes",
    "assessed_on",
    "assessed_by_name",
    "first_submitted_on",
)
EVIDENCE_STORAGE_PREFIX = "evidence"


# --- Permission helpers --------------------------------------------------------------------------


def _own(actor, partner: Partner) -> bool:
    return actor is not None and actor.organization_id == partner.organization_id


def can_answer(actor, profile_or_partner) -> bool:
    partner = getattr(profile_or_partner, "partner", profile_or_partner)
    return roles.has_perm(actor, "profile.answer_own") and _own(actor, partner)


def can_submit(actor, profile: SecurityProfile) -> bool:
    return roles.has_perm(actor, "profile.submit_own") and _own(actor, profile.partner)


def can_decide(actor) -> bool:
    return roles.has_perm(actor, "profile.decide")


def _require_answer(actor, partner: Partner) -> None:
    if actor is not None and not can_answer(actor, partner):
        raise PermissionDeniedError("Only the company's own users answer its security profile.")


def _locked(profile: SecurityProfile) -> SecurityProfile:
    return (
        SecurityProfile.objects.select_for_update(of=("self",))
        .select_related("partner__organization", "current_review")
        .get(pk=profile.pk)
    )


def _require_in_program(partner: Partner) -> None:
    if not rules.profile_accepts_changes(partner.status):
        raise ConflictError(
            f"{partner.name} is {partner.get_status_display().lower()}: its security profile "
            "can no longer be changed or submitted.",
            code="not_in_program",
        )


def _open_for_change(profile: SecurityProfile) -> SecurityProfile:
    """Lock the profile for a change by the company: a submitted profile waits for the SCSS;
    an approved one becomes a draft again (an update; only a submitted one is reviewed)."""
    profile = _locked(profile)
    _require_in_program(profile.partner)
    if profile.status == ProfileStatus.SUBMITTED:
        raise ConflictError(
            "The profile has been submitted and is waiting for the SCSS's decision; it cannot "
            "be changed until it is approved or returned.",
            code="profile_submitted",
        )
    if profile.status == ProfileStatus.APPROVED:
        profile.status = ProfileStatus.DRAFT
    profile.lock_version += 1
    return profile


def _partner_users(partner: Partner) -> list:
    return list(
        User.objects.filter(
            organization_id=partner.organization_id,
            is_active=True,
            role__in=roles.PARTNER_ROLES,
        )
    )


def _scss_for(partner: Partner) -> list:
    """The partner's assigned SCSS, or every active SCSS when none is assigned (or inactive)."""
    assigned = partner.assigned_scss
    if assigned is not None and assigned.is_active:
        return [assigned]
    return list(User.objects.filter(role=Role.SCSS, is_active=True))


def _notify(*, actor, recipients, kind: str, title: str, body: str, link: str, dedupe_key: str):
    from ctpat.notifications.services import notification_send

    if recipients:
        notification_send(
            actor=actor,
            recipients=recipients,
            kind=kind,
            title=title,
            body=body,
            link=link,
            dedupe_key=dedupe_key,
        )


def _profile_url(profile: SecurityProfile) -> str:
    return reverse("profiles:detail", kwargs={"profile_id": profile.public_id})


# --- Profile and answers -------------------------------------------------------------------------


@service
def profile_start(*, actor, partner: Partner) -> SecurityProfile:
    """Open the company's security profile (one per partner)."""
    _require_answer(actor, partner)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    _require_in_program(partner)
    if SecurityProfile.objects.filter(partner=partner).exists():
        raise ConflictError("The company already has a security profile.", code="profile_exists")
    profile = SecurityProfile(partner=partner)
    profile.save()
    audit_record(
        actor=actor,
        action="profiles.profile_start",
        obj=profile,
        organization=partner.organization,
        after=snapshot(profile, PROFILE_FIELDS),
    )
    return profile


def _current_criterion(profile: SecurityProfile, msc_id: str):
    version = criteria_selectors.current_version()
    if version is None:
        raise ConflictError("No criteria version has been published.", code="no_criteria")
    criterion = Criterion.objects.filter(
        version=version, program=Program.SECURITY, msc_id=msc_id
    ).first()
    if criterion is None or not criteria_rules.applies_to(criterion, profile.partner.entity_type):
        raise DomainError(
            f"Criterion {msc_id} is not in the current criteria ({version.label}) for this "
            "company's entity type.",
            code="criterion_not_applicable",
            fields={"msc_id": ["Not an applicable criterion."]},
        )
    return version, criterion


@service
def answer_save(
    *, actor, profile: SecurityProfile, msc_id: str, answer: str, narrative: str = ""
) -> ProfileAnswer:
    """Answer one criterion of the current version; the answer records that version."""
    _require_answer(actor, profile.partner)
    narrative = (narrative or "").strip()
    problems = rules.answer_problems(answer, narrative)
    if problems:
        raise DomainError(
            " ".join(problems.values()),
            code="invalid_answer",
            fields={k: [v] for k, v in problems.items()},
        )
    version, criterion = _current_criterion(profile, (msc_id or "").strip())
    profile = _open_for_change(profile)
    existing = ProfileAnswer.objects.filter(profile=profile, msc_id=criterion.msc_id).first()
    before = snapshot(existing, ANSWER_FIELDS)
    row = existing or ProfileAnswer(profile=profile, msc_id=criterion.msc_id)
    row.criterion = criterion
    row.criteria_version = version
    row.answer = answer
    row.narrative = narrative
    row.answered_at = timezone.now()
    row.answered_by = actor if getattr(actor, "is_authenticated", False) else None
    row.save()
    profile.save()
    audit_record(
        actor=actor,
        action="profiles.answer_save",
        obj=row,
        organization=profile.partner.organization,
        before=before,
        after=snapshot(row, ANSWER_FIELDS),
    )
    return row


@service
def answers_reconfirm(*, actor, profile: SecurityProfile, msc_ids) -> int:
    """Confirm that the company's answers to ``msc_ids`` still hold, against the current version
    (the annual review walks through every answer). Unanswered criteria are skipped."""
    _require_answer(actor, profile.partner)
    version = criteria_selectors.current_version()
    if version is None:
        raise ConflictError("No criteria version has been published.", code="no_criteria")
    wanted = set(msc_ids)
    criteria = {
        c.msc_id: c
        for c in selectors.applicable_criteria(version, profile.partner.entity_type)
        if c.msc_id in wanted
    }
    profile = _open_for_change(profile)
    now = timezone.now()
    answered_by = actor if getattr(actor, "is_authenticated", False) else None
    count = 0
    for row in ProfileAnswer.objects.filter(profile=profile, msc_id__in=list(criteria)):
        before = snapshot(row, ANSWER_FIELDS)
        row.criterion = criteria[row.msc_id]
        row.criteria_version = version
        row.answered_at = now
        row.answered_by = answered_by
        row.save()
        audit_record(
            actor=actor,
            action="profiles.answer_reconfirm",
            obj=row,
            organization=profile.partner.organization,
            before=before,
            after=snapshot(row, ANSWER_FIELDS),
        )
        count += 1
    if not count:
        raise DomainError("There are no answers to confirm here.", code="nothing_to_confirm")
    profile.save()
    return count


@service
def annual_review_confirm_unchanged(
    *, actor, profile: SecurityProfile, msc_ids, expected_version: int | None = None
) -> list[str]:
    """Confirm at once every answer of the annual review in progress that was given before the
    review started to a criterion unchanged since (``ReviewProgress.to_confirm``).

    ``msc_ids`` are the answers the officer saw listed; if the list is no longer exactly the
    one to confirm (someone answered or CBP published new criteria meanwhile), or the profile
    changed since (``expected_version``), nothing is confirmed (``ConflictError``). One audit
    event on the review lists every answer confirmed. Returns the IDs confirmed.
    """
    _require_answer(actor, profile.partner)
    profile = _locked(profile)
    _require_in_program(profile.partner)
    review = profile.current_review
    if review is None or review.status not in (ReviewStatus.IN_PROGRESS, ReviewStatus.RETURNED):
        raise ConflictError(
            "There is no annual review in progress: start it with the annual risk assessment.",
            code="no_review",
        )
    if profile.status == ProfileStatus.SUBMITTED:
        raise ConflictError(
            "The profile has been submitted and is waiting for the SCSS's decision; answers "
            "cannot be confirmed until it is approved or returned.",
            code="profile_submitted",
        )
    if expected_version is not None and int(expected_version) != profile.lock_version:
        raise ConflictError(
            "The profile changed since you opened this page. Reload the list of answers to "
            "confirm and check it again.",
            code="stale_profile",
        )
    today = timezone.localdate()
    overview = selectors.profile_overview(partner=profile.partner, profile=profile, today=today)
    progress = selectors.review_progress(overview, review)
    rows = progress.to_confirm
    wanted = [str(m).strip() for m in (msc_ids or ())]
    if not rows:
        raise DomainError(
            "There are no unchanged answers left to confirm in this annual review.",
            code="nothing_to_confirm",
        )
    if sorted(wanted) != sorted(r.msc_id for r in rows):
        raise ConflictError(
            "The list of answers to confirm has changed since you opened the page (an answer "
            "was saved or new criteria were published). Check the new list and confirm again.",
            code="confirm_list_changed",
        )
    profile = _open_for_change(profile)
    now = timezone.now()
    answered_by = actor if getattr(actor, "is_authenticated", False) else None
    before = {}
    for row in rows:
        answer = row.answer
        before[row.msc_id] = {
            "answer": answer.answer,
            "answered_at": answer.answered_at.isoformat(),
            "criteria_version": answer.criteria_version.label,
        }
        answer.criterion = row.criterion
        answer.criteria_version = overview.version
        answer.answered_at = now
        answer.answered_by = answered_by
        answer.save()
    profile.save()
    confirmed = [row.msc_id for row in rows]
    audit_record(
        actor=actor,
        action="profiles.annual_review_confirm_unchanged",
        obj=review,
        organization=profile.partner.organization,
        before={"answers": before},
        after={
            "confirmed": confirmed,
            "count": len(confirmed),
            "confirmed_at": now.isoformat(),
            "criteria_version": overview.version.label,
        },
        reason="Answers confirmed unchanged in the annual review.",
    )
    return confirmed


# --- Evidence ------------------------------------------------------------------------------------


def _sha256(uploaded_file) -> str:
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


@service
def evidence_upload(
    *, actor, profile: SecurityProfile, uploaded_file, msc_id: str = ""
) -> EvidenceFile:
    """Store an evidence file: type, size and content checked, virus scan hook run, random name.

    Every check runs before anything is written; if the database write fails after the file
    was stored, the file is removed again.
    """
    _require_answer(actor, profile.partner)
    detected = uploads.validate_upload(
        uploaded_file,
        allowed=settings.CTPAT_EVIDENCE_ALLOWED_TYPES,
        max_bytes=settings.CTPAT_EVIDENCE_MAX_BYTES,
    )
    msc_id = (msc_id or "").strip()
    if msc_id:
        _current_criterion(profile, msc_id)
    outcome = uploads.scan_upload(uploaded_file)
    profile = _open_for_change(profile)
    sha = _sha256(uploaded_file)
    name = uploads.random_storage_name(EVIDENCE_STORAGE_PREFIX, detected)
    stored = default_storage.save(name, uploaded_file)
    try:
        item = EvidenceFile(
            profile=profile,
            msc_id=msc_id,
            original_name=uploads.clean_original_name(uploaded_file.name),
            detected_type=detected,
            size=uploaded_file.size,
            sha256=sha,
            scan_status=outcome.status,
            scan_detail=outcome.detail[:300],
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        item.file.name = stored
        item.save()
        profile.save()
        audit_record(
            actor=actor,
            action="profiles.evidence_upload",
            obj=item,
            organization=profile.partner.organization,
            after={
                "original_name": item.original_name,
                "msc_id": msc_id,
                "detected_type": detected,
                "size": item.size,
                "sha256": sha,
                "scan_status": outcome.status,
                "scanner": outcome.scanner,
            },
        )
    except BaseException:
        default_storage.delete(stored)
        raise
    return item


# --- Submission and decision ---------------------------------------------------------------------


def _unconfirmed(overview: selectors.Overview, review: AnnualReview) -> list[str]:
    """Applicable criteria not answered or confirmed since the annual review started (the
    same count the Submit page shows, ``selectors.review_progress``)."""
    return selectors.review_progress(overview, review).remaining_ids


@service
def profile_submit(
    *,
    actor,
    profile: SecurityProfile,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> ProfileSubmission:
    """Submit the profile (or the annual review in progress) to the SCSS.

    Refused with the list of must-gaps in ``fields["must_gaps"]``. A profile already submitted,
    or changed since the submitter looked at it (``expected_version``), is a ``ConflictError``.
    An annual review never submitted by its anniversary no longer counts (only updates inside
    the window do, DOMAIN.md §3.1): the submission is a plain profile update and the review stays
    missed. ``today`` defaults to the local date.
    """
    if actor is not None and not can_submit(actor, profile):
        raise PermissionDeniedError("Only the company's officer submits its security profile.")
    profile = _locked(profile)
    _require_in_program(profile.partner)
    if not profile.is_open:
        raise ConflictError(
            "This profile has already been submitted"
            + (" and approved." if profile.status == ProfileStatus.APPROVED else ".")
            + " Reload the page to see its status.",
            code="already_submitted",
        )
    if expected_version is not None and int(expected_version) != profile.lock_version:
        raise ConflictError(
            "The profile changed since you opened this page (another tab or user saved or "
            "submitted it). Reload the page and check it before submitting.",
            code="stale_profile",
        )
    today = timezone.localdate() if today is None else today
    overview = selectors.profile_overview(partner=profile.partner, profile=profile, today=today)
    if overview.version is None:
        raise ConflictError("No criteria version has been published.", code="no_criteria")
    assessment = overview.assessment
    if assessment.nothing_to_assess:
        raise DomainError(
            rules.nothing_to_assess_message(profile.partner.get_entity_type_display()),
            code="nothing_to_assess",
            fields={
                "criteria": [
                    rules.nothing_to_assess_message(profile.partner.get_entity_type_display())
                ]
            },
        )
    if assessment.must_gaps:
        raise DomainError(
            rules.must_gap_message(assessment.must_gaps),
            code="must_gaps",
            fields={"must_gaps": [g.message for g in assessment.must_gaps]},
        )
    review = profile.current_review
    missed_review = None
    if review is not None and review.first_submitted_on is None and today > review.anniversary_date:
        missed_review, review = review, None
    if review is not None:
        missing = _unconfirmed(overview, review)
        if missing:
            raise DomainError(
                f"The annual review asks you to confirm or update every answer: {len(missing)} "
                f"still to do ({', '.join(missing)}).",
                code="review_unconfirmed",
                fields={"unconfirmed": missing},
            )
    before = snapshot(profile, PROFILE_FIELDS)
    now = timezone.now()
    submission = ProfileSubmission(
        profile=profile,
        kind=SubmissionKind.ANNUAL_REVIEW if review else SubmissionKind.PROFILE,
        annual_review=review,
        criteria_version=overview.version,
        submitted_at=now,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        answers_snapshot=[
            {
                "msc_id": r.msc_id,
                "answer": r.answer.answer if r.answer else None,
                "narrative": r.answer.narrative if r.answer else "",
                "criteria_version": r.answer.criteria_version.label if r.answer else None,
                "level": r.level,
            }
            for r in overview.rows
        ],
        should_gaps=[g.as_dict() for g in assessment.should_gaps],
        completeness={"answered": assessment.answered, "applicable": assessment.applicable},
    )
    submission.save()
    if review is not None:
        review_before = snapshot(review, REVIEW_FIELDS)
        review.status = ReviewStatus.SUBMITTED
        if review.first_submitted_on is None:
            review.first_submitted_on = today
        review.save()
        audit_record(
            actor=actor,
            action="profiles.annual_review_submit",
            obj=review,
            organization=profile.partner.organization,
            before=review_before,
            after=snapshot(review, REVIEW_FIELDS),
        )
    profile.status = ProfileStatus.SUBMITTED
    profile.submitted_at = now
    if missed_review is not None:
        profile.current_review = None
    profile.lock_version += 1
    profile.save()
    audit_record(
        actor=actor,
        action="profiles.profile_submit",
        obj=profile,
        organization=profile.partner.organization,
        before=before,
        after={
            **snapshot(profile, PROFILE_FIELDS),
            "submission": submission.public_id,
            "kind": submission.kind,
            "criteria_version": overview.version.label,
            "answered": assessment.answered,
            "applicable": assessment.applicable,
            "should_gaps": [g.msc_id for g in assessment.should_gaps],
            **({"missed_review": missed_review.public_id} if missed_review else {}),
        },
    )
    what = "annual security-profile review" if review else "security profile"
    _notify(
        actor=actor,
        recipients=_scss_for(profile.partner),
        kind="profiles.submitted",
        title=f"{profile.partner.name} submitted its {what}",
        body=(
            f"{assessment.answered} of {assessment.applicable} criteria answered, "
            f"{len(assessment.should_gaps)} should-gap(s). Approve it or return it with reasons."
        ),
        link=reverse("profiles:decide", kwargs={"profile_id": profile.public_id}),
        dedupe_key=f"profiles.submitted:{submission.public_id}",
    )
    return submission


@service
def profile_decide(
    *, actor, profile: SecurityProfile, decision: str, reason: str = ""
) -> ProfileSubmission:
    """The SCSS approves the submitted profile or returns it with reasons; the company is told."""
    if actor is not None and not can_decide(actor):
        raise PermissionDeniedError("Only an SCSS or a CBP program admin decides profiles.")
    if decision not in Decision.values:
        message = "Choose whether to approve the profile or return it for changes."
        raise DomainError(message, code="invalid_decision", fields={"decision": [message]})
    reason = (reason or "").strip()
    if decision == Decision.RETURN and not reason:
        message = "The reasons for returning the profile are required."
        raise DomainError(message, code="reason_required", fields={"reason": [message]})
    if len(reason) > rules.RETURN_REASON_MAX_LENGTH:
        message = (
            f"The reasons can be at most {rules.RETURN_REASON_MAX_LENGTH} characters long "
            f"(they have {len(reason)})."
        )
        raise DomainError(message, code="reason_too_long", fields={"reason": [message]})
    profile = _locked(profile)
    if profile.status != ProfileStatus.SUBMITTED:
        raise ConflictError(
            "This profile is not waiting for a decision (it may have been decided already).",
            code="not_submitted",
        )
    submission = selectors.latest_submission(profile)
    before = snapshot(profile, PROFILE_FIELDS)
    now = timezone.now()
    submission.decision = decision
    submission.decision_reason = reason
    submission.decided_at = now
    submission.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    submission.save()
    review = submission.annual_review
    if review is not None:
        review_before = snapshot(review, REVIEW_FIELDS)
        review.status = (
            ReviewStatus.APPROVED if decision == Decision.APPROVE else ReviewStatus.RETURNED
        )
        review.save()
        audit_record(
            actor=actor,
            action="profiles.annual_review_decide",
            obj=review,
            organization=profile.partner.organization,
            before=review_before,
            after=snapshot(review, REVIEW_FIELDS),
            reason=reason,
        )
    if decision == Decision.APPROVE:
        profile.status = ProfileStatus.APPROVED
        profile.approved_at = now
        profile.current_review = None
    else:
        profile.status = ProfileStatus.RETURNED
    profile.lock_version += 1
    profile.save()
    audit_record(
        actor=actor,
        action="profiles.profile_decide",
        obj=profile,
        organization=profile.partner.organization,
        before=before,
        after={**snapshot(profile, PROFILE_FIELDS), "decision": decision},
        reason=reason,
    )
    what = "annual security-profile review" if review else "security profile"
    if decision == Decision.APPROVE:
        title, body = f"Your {what} is approved", "CBP approved it. No action is needed."
    else:
        title, body = f"Your {what} was returned for changes", f"What to change: {reason}"
    _notify(
        actor=actor,
        recipients=_partner_users(profile.partner),
        kind="profiles.decided",
        title=title,
        body=body,
        link=_profile_url(profile),
        dedupe_key=f"profiles.decided:{submission.public_id}",
    )
    return submission


# --- Annual review -------------------------------------------------------------------------------


@service
def annual_review_start(
    *,
    actor,
    profile: SecurityProfile,
    risks_reviewed: str,
    supply_chain_changes: str = "",
    assessed_on: dt.date,
    assessed_by_name: str,
) -> AnnualReview:
    """Start the annual review with the annual risk assessment, inside the window only."""
    _require_answer(actor, profile.partner)
    partner = profile.partner
    today = timezone.localdate()
    if partner.status not in rules.REVIEWED_STATUSES or partner.certification_date is None:
        raise DomainError(
            "Only certified members (Tier I–III) have an annual security-profile review.",
            code="not_a_member",
        )
    opens, anniversary = partner_rules.review_window(partner.certification_date, today)
    if not opens <= today <= anniversary:
        raise DomainError(
            f"The annual review window opens on {opens.isoformat()}, "
            f"{rules.ANNUAL_REVIEW_WINDOW_DAYS} days before the certification anniversary "
            f"({anniversary.isoformat()}); only updates inside it count.",
            code="review_window_closed",
        )
    fields = {}
    risks_reviewed = (risks_reviewed or "").strip()
    supply_chain_changes = (supply_chain_changes or "").strip()
    assessed_by_name = (assessed_by_name or "").strip()
    too_long = f"The text can be at most {rules.RISK_TEXT_MAX_LENGTH} characters long."
    if not risks_reviewed:
        fields["risks_reviewed"] = ["Describe the risks reviewed and what you concluded."]
    elif len(risks_reviewed) > rules.RISK_TEXT_MAX_LENGTH:
        fields["risks_reviewed"] = [too_long]
    if len(supply_chain_changes) > rules.RISK_TEXT_MAX_LENGTH:
        fields["supply_chain_changes"] = [too_long]
    if not assessed_by_name:
        fields["assessed_by_name"] = ["Say who carried out the assessment."]
    elif len(assessed_by_name) > rules.ASSESSED_BY_MAX_LENGTH:
        fields["assessed_by_name"] = [
            f"The name can be at most {rules.ASSESSED_BY_MAX_LENGTH} characters long."
        ]
    if assessed_on is None:
        fields["assessed_on"] = ["Give the date of the assessment."]
    elif assessed_on > today:
        fields["assessed_on"] = ["The assessment date cannot be in the future."]
    elif assessed_on < opens - dt.timedelta(days=rules.RISK_ASSESSMENT_MAX_AGE_DAYS):
        fields["assessed_on"] = [
            "The assessment is more than a year old; use this year's risk assessment."
        ]
    if fields:
        raise DomainError(
            "The annual risk assessment is not complete: correct the fields marked.",
            code="invalid_risk_assessment",
            fields=fields,
        )
    profile = _open_for_change(profile)
    if AnnualReview.objects.filter(profile=profile, anniversary_date=anniversary).exists():
        raise ConflictError(
            f"The annual review for {anniversary.isoformat()} has already been started.",
            code="review_exists",
        )
    review = AnnualReview(
        profile=profile,
        anniversary_date=anniversary,
        window_opens=opens,
        risks_reviewed=risks_reviewed,
        supply_chain_changes=supply_chain_changes,
        assessed_on=assessed_on,
        assessed_by_name=assessed_by_name,
        started_by=actor if getattr(actor, "is_authenticated", False) else None,
        started_at=timezone.now(),
    )
    review.save()
    before = snapshot(profile, PROFILE_FIELDS)
    profile.current_review = review
    profile.save()
    audit_record(
        actor=actor,
        action="profiles.annual_review_start",
        obj=review,
        organization=partner.organization,
        before=before,
        after=snapshot(review, REVIEW_FIELDS),
    )
    return review


def _reviewed_anniversaries(partner: Partner) -> list[dt.date]:
    """Anniversaries for which a review was submitted inside its window."""
    return [
        r.anniversary_date
        for r in AnnualReview.objects.filter(profile__partner=partner)
        if r.first_submitted_on is not None
        and r.window_opens <= r.first_submitted_on <= r.anniversary_date
    ]


def _reinstated_on(partner: Partner) -> dt.date | None:
    """The day the partner last came back from suspension to Tier I–III, if ever."""
    return (
        StatusChange.objects.filter(
            partner=partner,
            from_status=MembershipStatus.SUSPENDED,
            to_status__in=sorted(rules.REVIEWED_STATUSES),
        )
        .order_by("-effective_date")
        .values_list("effective_date", flat=True)
        .first()
    )


def annual_reviews_enforce(*, actor=None, today: dt.date) -> list[Partner]:
    """Suspend every member whose last anniversary passed without an annual review submitted
    inside its window (DOMAIN.md §3.1: "no annual review" is a reason for suspension, with 90
    days to respond). Returns the partners suspended.

    Idempotent: a suspended member is no longer in Tier I–III, so a second run suspends nobody.
    Each suspension is its own audited service call (one failure does not undo the others); a
    run with nothing to do writes nothing.
    """
    if actor is not None and not roles.has_perm(actor, "profile.enforce_reviews"):
        raise PermissionDeniedError("Only a CBP program admin runs the annual-review check.")
    suspended = []
    candidates = Partner.objects.filter(
        status__in=sorted(rules.REVIEWED_STATUSES), certification_date__isnull=False
    ).values_list("pk", flat=True)
    for pk in list(candidates):
        partner = annual_review_suspend_if_missed(actor=actor, partner_pk=pk, today=today)
        if partner is not None:
            suspended.append(partner)
    return suspended


def annual_review_suspend_if_missed(*, actor, partner_pk: int, today: dt.date) -> Partner | None:
    """Suspend one partner if its last anniversary passed without a review; None otherwise."""
    with transaction.atomic():
        partner = (
            Partner.objects.select_for_update(of=("self",))
            .select_related("organization")
            .get(pk=partner_pk)
        )
        missed = rules.missed_annual_review(
            status=partner.status,
            certification_date=partner.certification_date,
            today=today,
            submitted_for_anniversaries=_reviewed_anniversaries(partner),
            reinstated_on=_reinstated_on(partner),
            # The response window in force (CTPAT_SUSPENSION_RESPONSE_DAYS), as the case uses.
            response_days=enforcement_policy().response_days,
        )
        if missed is None:
            return None
        return _annual_review_suspend(actor=actor, partner=partner, missed=missed, today=today)


@service
def _annual_review_suspend(
    *, actor, partner: Partner, missed: rules.MissedReview, today: dt.date
) -> Partner:
    from ctpat.partners.services import partner_transition

    partner = partner_transition(
        actor=actor,
        partner=partner,
        target=MembershipStatus.SUSPENDED,
        reason=missed.reason,
        effective_date=today,
    )
    profile = selectors.profile_for_partner(partner)
    link = _profile_url(profile) if profile else reverse("profiles:home")
    _notify(
        actor=actor,
        recipients=_partner_users(partner),
        kind="profiles.review_missed",
        title="CTPAT membership suspended: annual security-profile review missed",
        body=missed.reason,
        link=link,
        dedupe_key=f"profiles.review_missed:{partner.public_id}:{missed.anniversary}",
    )
    return partner

"""Writes of suspensions, answers and appeals. Each is one transaction with its audit events.

* ``partner_suspend`` — CBP suspends with a letter and the required actions (the case opens
  with the status change, ``hooks.status_changed``).
* ``partner_remove_immediately`` — a CBP program admin removes a member at once, from any
  status, in aggravated circumstances (DOMAIN.md §7.2).
* ``suspension_answer_submit`` — the company officer answers each required action, with
  documents, inside the response window; the reviewers are told.
* ``suspension_case_decide`` — the SCSS or a program admin reinstates (to the status held
  before) or removes; removal before the window ends needs the member's answer first.
* ``appeal_file`` / ``appeal_decide`` — 6 U.S.C. 967(c): filing within 90 or 30 days of the
  decision, CBP's decision within 180 days, flowing back through the membership state machine;
  the decision appealed is the Security membership's suspension or removal, a denied Trade
  Compliance application or a Trade Compliance membership's suspension or removal (their
  outcomes are written by ``tradecompliance.appeal_outcomes``).
* ``appeal_reminders_send`` / ``appeal_reminder_send`` — the daily reminder to CBP before the
  180-day limit (idempotent: each reminder once).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ctpat.accounts import roles
from ctpat.core import uploads
from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.services import audit_record, service
from ctpat.partners import rules as partner_rules
from ctpat.partners.choices import MembershipStatus as S
from ctpat.partners.models import Partner, StatusChange
from ctpat.partners.services import partner_transition

from . import notify as notices
from . import rules, selectors
from .choices import OTHER_ACTIONS, AppealOutcome, AppealState, AppealSubject, CaseState
from .hooks import case_link, clean_terms
from .models import (
    TEXT_MAX_LENGTH,
    Appeal,
    AppealDailyRun,
    EnforcementDocument,
    SuspensionAnswer,
    SuspensionCase,
)

logger = logging.getLogger(__name__)

STORAGE_PREFIX = "enforcement"
MAX_FILES = 10


def _today() -> dt.date:
    return timezone.localdate()


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _own(actor, partner: Partner) -> bool:
    return bool(getattr(actor, "organization_id", None)) and (
        actor.organization_id == partner.organization_id
    )


def _text(value, *, field_name: str, label: str, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        message = f"{label} is required."
        raise DomainError(message, code="required", fields={field_name: [message]})
    if len(text) > TEXT_MAX_LENGTH:
        message = (
            f"{label} is {len(text):,} characters long; the limit is {TEXT_MAX_LENGTH:,}. "
            "Shorten it or attach a document; nothing was saved."
        )
        raise DomainError(message, code="too_long", fields={field_name: [message]})
    return text


# --- Documents -------------------------------------------------------------------------------


def _checked_files(files) -> list:
    files = [f for f in (files or []) if f is not None]
    if len(files) > MAX_FILES:
        message = f"Attach at most {MAX_FILES} documents at a time; {len(files)} were sent."
        raise DomainError(message, code="too_many_files", fields={"documents": [message]})
    checked = []
    for uploaded in files:
        try:
            detected = uploads.validate_upload(
                uploaded,
                allowed=settings.CTPAT_EVIDENCE_ALLOWED_TYPES,
                max_bytes=settings.CTPAT_EVIDENCE_MAX_BYTES,
            )
            outcome = uploads.scan_upload(uploaded)
        except DomainError as exc:
            exc.fields = {"documents": exc.fields.get("file", [exc.message])}
            raise
        checked.append((uploaded, detected, outcome))
    return checked


def _store(partner, checked, *, actor, answer=None, appeal=None) -> list[EnforcementDocument]:
    stored = []
    try:
        for uploaded, detected, outcome in checked:
            document = EnforcementDocument(
                partner=partner,
                answer=answer,
                appeal=appeal,
                original_name=uploads.clean_original_name(uploaded.name),
                file_type=detected,
                size=uploaded.size,
                scan_status=outcome.status,
                uploaded_by=_user(actor),
            )
            document.file.save(
                uploads.random_storage_name(STORAGE_PREFIX, detected), uploaded, save=False
            )
            stored.append(document)
            document.save()
    except BaseException:
        _delete_files(stored)
        raise
    return stored


def _delete_files(documents) -> None:
    for document in documents:
        if document.file.name:
            document.file.storage.delete(document.file.name)


def _document_data(documents) -> list[dict]:
    return [
        {"id": d.public_id, "name": d.original_name, "type": d.file_type, "size": d.size}
        for d in documents
    ]


# --- Suspension ------------------------------------------------------------------------------


@service
def partner_suspend(
    *,
    actor,
    partner: Partner,
    letter: str,
    required_actions=(),
    other_actions: str = "",
    false_information: bool = False,
    effective_date: dt.date | None = None,
) -> SuspensionCase:
    """Suspend a member with CBP's letter and the conditions for reinstatement.

    ``effective_date``: CBP records a suspension decided on an earlier day (as for any status
    change); the answer window runs from that day."""
    if actor is not None and not roles.has_perm(actor, "partner.transition_any"):
        raise PermissionDeniedError("Only CBP suspends a membership.")
    letter = _text(
        letter, field_name="letter", label="The suspension letter (reasons and findings)"
    )
    terms = {"required_actions": list(required_actions or []), OTHER_ACTIONS: other_actions}
    codes, other = clean_terms(terms)
    if not codes and not other:
        message = "Pick at least one required action or describe what the member must do."
        raise DomainError(
            message, code="required_actions_missing", fields={"required_actions": [message]}
        )
    partner = partner_transition(
        actor=actor,
        partner=partner,
        target=S.SUSPENDED,
        reason=letter,
        false_information=false_information,
        suspension_terms={"required_actions": codes, OTHER_ACTIONS: other},
        effective_date=effective_date,
        notify=True,
    )
    return selectors.open_case_for(partner)


@service
def partner_remove_immediately(
    *, actor, partner: Partner, reason: str, false_information: bool = False
) -> Partner:
    """Remove a member at once, from any status (aggravated circumstances, written reason)."""
    if actor is not None and not roles.has_perm(actor, "partner.remove_immediately"):
        raise PermissionDeniedError("Only a CBP program admin can remove a member immediately.")
    reason = _text(reason, field_name="reason", label="The reason for the immediate removal")
    return partner_transition(
        actor=actor,
        partner=partner,
        target=S.REMOVED,
        reason=reason,
        immediate=True,
        false_information=false_information,
        notify=True,
    )


def answer_fields(case: SuspensionCase) -> list[tuple[str, str]]:
    """(key, label) of every answer the case asks for: one per required action, plus one for
    CBP's free-text actions."""
    fields = list(case.required_action_items)
    if case.other_actions:
        fields.append((OTHER_ACTIONS, "Other required actions"))
    return fields


@service
def suspension_answer_submit(
    *, actor, case: SuspensionCase, action_answers: dict, note: str = "", files=()
) -> SuspensionAnswer:
    """The company officer answers the suspension inside the response window."""
    case = SuspensionCase.objects.select_for_update().select_related("partner").get(pk=case.pk)
    partner = case.partner
    if actor is not None and not (
        roles.has_perm(actor, "enforcement.answer_own") and _own(actor, partner)
    ):
        raise PermissionDeniedError("Only the company's officer answers a suspension.")
    if not case.is_open:
        raise ConflictError(
            f"This suspension is closed ({case.get_state_display().lower()}); it cannot be "
            "answered any more.",
            code="case_closed",
        )
    window = rules.answer_window_decision(response_due=case.response_due, today=_today())
    if not window.allowed:
        raise DomainError(" ".join(window.reasons), code="response_window_closed")
    answers, errors = {}, {}
    for key, label in answer_fields(case):
        try:
            answers[key] = _text(
                (action_answers or {}).get(key),
                field_name=f"answer_{key}",
                label=f"Your answer to “{label}”",
            )
        except DomainError as exc:
            errors.update(exc.fields)
    try:
        note = _text(note, field_name="note", label="The note", required=False)
    except DomainError as exc:
        errors.update(exc.fields)
    unknown = set(action_answers or {}) - {key for key, _ in answer_fields(case)}
    if unknown:
        errors["action_answers"] = [
            f"These are not required actions of this case: {', '.join(sorted(unknown))}."
        ]
    if errors:
        raise DomainError(
            "The answer could not be saved: " + " ".join(m for ms in errors.values() for m in ms),
            code="invalid_answer",
            fields=errors,
        )
    checked = _checked_files(files)
    answer = SuspensionAnswer(
        case=case, action_answers=answers, note=note, submitted_by=_user(actor)
    )
    answer.save()
    documents = _store(partner, checked, actor=actor, answer=answer)
    try:
        before = case.state
        case.state = CaseState.ANSWERED
        case.save()
        audit_record(
            actor=actor,
            action="enforcement.answer_submit",
            obj=answer,
            organization=partner.organization,
            before={"state": before},
            after={
                "case": case.public_id,
                "state": case.state,
                "answered": sorted(answers),
                "documents": _document_data(documents),
            },
        )
        notices.send(
            actor,
            notices.reviewers(partner),
            kind="enforcement.answer_submitted",
            title=f"{partner.name} answered its suspension",
            body=f"Case {case.public_id}: review the answer and reinstate or remove the member.",
            link=case_link(case),
            key=f"{answer.public_id}:submitted",
        )
    except BaseException:
        _delete_files(documents)
        raise
    return answer


REINSTATE, REMOVE = "reinstate", "remove"


@service
def suspension_case_decide(*, actor, case: SuspensionCase, decision: str, reason: str) -> Partner:
    """CBP reinstates the member (to the status held before) or removes it."""
    if actor is not None and not roles.has_perm(actor, "enforcement.review"):
        raise PermissionDeniedError("Only the SCSS or a program admin decides a suspension.")
    case = SuspensionCase.objects.select_for_update().select_related("partner").get(pk=case.pk)
    if not case.is_open:
        raise ConflictError(
            f"This suspension is already closed ({case.get_state_display().lower()}).",
            code="case_closed",
        )
    reason = _text(reason, field_name="reason", label="The reason for the decision")
    if decision == REINSTATE:
        target = case.status_before_suspension or case.partner.status_before_suspension
        if not target:
            raise DomainError(
                "The status held before suspension is not recorded, so the member cannot be "
                "reinstated automatically; change the status on the partner's page.",
                code="prior_status_unknown",
            )
        return partner_transition(
            actor=actor, partner=case.partner, target=target, reason=reason, notify=True
        )
    if decision == REMOVE:
        return partner_transition(
            actor=actor,
            partner=case.partner,
            target=S.REMOVED,
            reason=reason,
            false_information=case.false_information,
            notify=True,
        )
    raise DomainError(
        "Choose to reinstate or remove the member.",
        code="invalid_decision",
        fields={"decision": ["Choose reinstate or remove."]},
    )


# --- Appeals ---------------------------------------------------------------------------------


def appeal_link(appeal: Appeal) -> str:
    return reverse("enforcement:appeal_detail", kwargs={"appeal_id": appeal.public_id})


def _appeal_snapshot(appeal: Appeal) -> dict:
    return {
        "partner": appeal.partner.public_id,
        "subject": appeal.subject,
        "decision": appeal.decision_label,
        "decision_kind": appeal.decision_kind,
        "basis": appeal.basis,
        "decision_date": appeal.decision_date.isoformat(),
        "filed_on": appeal.filed_on.isoformat(),
        "decision_due": appeal.decision_due.isoformat(),
        "state": appeal.state,
        "outcome": appeal.outcome,
        "resulting_status": appeal.resulting_status,
    }


@service
def appeal_file(
    *,
    actor,
    partner: Partner,
    grounds: str,
    files=(),
    change: StatusChange | None = None,
    decision_ref: str | None = None,
) -> Appeal:
    """The company officer appeals a decision in force (6 U.S.C. 967(c)): the Security
    membership's suspension or removal (``change``, or ``decision_ref`` ``security_membership``),
    a denied Trade Compliance application (``tc_application:TCA-…``) or a Trade Compliance
    membership's suspension or removal (``tc_membership:TCM-…``)."""
    if actor is not None and not (
        roles.has_perm(actor, "appeal.file_own") and _own(actor, partner)
    ):
        raise PermissionDeniedError("Only the company's officer files an appeal.")
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    today = _today()
    ref = selectors.SECURITY_REF if change is not None else (decision_ref or selectors.SECURITY_REF)
    current = selectors.appealable_by_ref(partner, ref, today=today)
    if current is None or (change is not None and current.change.pk != change.pk):
        raise DomainError(
            "Only a decision now in force can be appealed: a suspension or removal of the "
            "membership, or the denial of the latest Trade Compliance application.",
            code="not_appealable",
        )
    if current.appeal is not None:
        raise ConflictError(
            f"This decision is already appealed ({current.appeal.public_id}).",
            code="already_appealed",
        )
    if not current.decision.allowed:
        raise DomainError(
            " ".join(current.decision.reasons),
            code=current.decision.code,
            fields={"grounds": [" ".join(current.decision.reasons)]},
        )
    grounds = _text(grounds, field_name="grounds", label="The grounds of the appeal")
    checked = _checked_files(files)
    appeal = Appeal(
        partner=partner,
        subject=current.subject,
        status_change=current.change,
        tc_application=current.application,
        tc_membership=current.membership,
        decision_kind=current.kind,
        basis=current.basis,
        decision_date=current.decision_date,
        filed_on=today,
        filing_deadline=current.deadline,
        decision_due=rules.decision_due(today),
        grounds=grounds,
        filed_by=_user(actor),
    )
    appeal.save()
    documents = _store(partner, checked, actor=actor, appeal=appeal)
    try:
        audit_record(
            actor=actor,
            action="enforcement.appeal_file",
            obj=appeal,
            organization=partner.organization,
            after={**_appeal_snapshot(appeal), "documents": _document_data(documents)},
        )
        notices.send(
            actor,
            notices.program_admins(),
            kind="enforcement.appeal_filed",
            title=f"{partner.name} appealed: {appeal.decision_label}",
            body=(
                f"Appeal {appeal.public_id} under {rules.statute_paragraph(appeal.basis)}: "
                f"decide it by {appeal.decision_due.isoformat()}."
            ),
            link=appeal_link(appeal),
            key=f"{appeal.public_id}:filed",
        )
        notices.send(
            actor,
            notices.officers(partner),
            kind="enforcement.appeal_filed",
            title=f"Your appeal {appeal.public_id} is filed",
            body=f"{appeal.decision_label}: CBP must decide by {appeal.decision_due.isoformat()}.",
            link=appeal_link(appeal),
            key=f"{appeal.public_id}:filed-confirmation",
        )
    except BaseException:
        _delete_files(documents)
        raise
    return appeal


def _check_outcome(outcome: str) -> None:
    if outcome not in AppealOutcome.values:
        raise DomainError(
            "Choose upheld, reversed or modified.",
            code="invalid_outcome",
            fields={"outcome": ["Choose upheld, reversed or modified."]},
        )


def _superseded() -> ConflictError:
    return ConflictError(
        "The decision appealed is no longer in force (the status changed since the appeal was "
        "filed), so the appeal cannot move it; uphold the appeal with a reason, or change the "
        "status on the record's own page.",
        code="decision_superseded",
    )


def _security_outcome(*, actor, appeal, outcome, reason, resulting_status) -> str | None:
    """Move the Security membership as the outcome says; the status set (None: upheld)."""
    partner = Partner.objects.select_for_update().get(pk=appeal.partner_id)
    latest = partner.status_changes.order_by("-effective_date", "-created_at", "-id").first()
    superseded = latest is None or latest.pk != appeal.status_change_id
    if superseded and outcome != AppealOutcome.UPHELD:
        raise _superseded()
    if outcome == AppealOutcome.MODIFIED and not resulting_status:
        message = "A modified decision names the resulting status."
        raise DomainError(
            message, code="resulting_status_required", fields={"resulting_status": [message]}
        )
    target = rules.outcome_target(
        outcome=outcome,
        decision_kind=appeal.decision_kind,
        status_before_suspension=partner.status_before_suspension or None,
        status_before_removal=partner.status_before_removal or None,
        chosen=resulting_status,
    )
    if outcome != AppealOutcome.UPHELD and target is None:
        raise DomainError(
            "The status held before the decision is not recorded, so it cannot be restored; "
            "decide the appeal as modified and name the resulting status.",
            code="prior_status_unknown",
        )
    if target is not None:
        allowed = partner_rules.appeal_targets(
            partner.status,
            status_before_suspension=partner.status_before_suspension or None,
            status_before_removal=partner.status_before_removal or None,
        )
        if target not in allowed:
            offered = ", ".join(partner_rules.status_name(s) for s in allowed) or "none"
            message = (
                f"An appeal decision cannot make a {partner.get_status_display().lower()} member "
                f"{partner_rules.status_name(target)}; it can restore: {offered}."
            )
            raise DomainError(
                message, code="appeal_target_not_allowed", fields={"resulting_status": [message]}
            )
        partner_transition(
            actor=actor,
            partner=partner,
            target=target,
            reason=f"Appeal {appeal.public_id} {AppealOutcome(outcome).value}: {reason}",
            appeal=appeal,
            notify=False,
        )
    return target


def _tc_membership_outcome(*, actor, appeal, outcome, reason, resulting_status) -> str | None:
    """Move the Trade Compliance membership as the outcome says (``appeal_outcomes``)."""
    from ctpat.tradecompliance import appeal_outcomes
    from ctpat.tradecompliance.models import TradeComplianceMembership

    membership = TradeComplianceMembership.objects.select_for_update().get(
        pk=appeal.tc_membership_id
    )
    in_force = selectors.TC_APPEALABLE_KIND.get(membership.status) == appeal.decision_kind and (
        membership.status_changed_on == appeal.decision_date
    )
    if not in_force and outcome != AppealOutcome.UPHELD:
        raise _superseded()
    if outcome == AppealOutcome.UPHELD:
        return None
    if outcome == AppealOutcome.REVERSED:
        target = appeal_outcomes.REVERSED_MEMBERSHIP_STATUS
    elif not resulting_status:
        message = "A modified decision names the resulting status."
        raise DomainError(
            message, code="resulting_status_required", fields={"resulting_status": [message]}
        )
    else:
        target = resulting_status
    appeal_outcomes.membership_appeal_restore(
        actor=actor,
        membership=membership,
        target=target,
        appeal_id=appeal.public_id,
        reason=f"{AppealOutcome(outcome).value}: {reason}",
    )
    return target


def _tc_application_outcome(*, actor, appeal, outcome, reason, resulting_status) -> str | None:
    """Reversed: the application is approved; modified: back under review (``appeal_outcomes``)."""
    from ctpat.tradecompliance import appeal_outcomes

    application = appeal.tc_application
    if outcome == AppealOutcome.UPHELD:
        return None
    if resulting_status:
        message = (
            "A decision on a denied application sets no status of your choosing: reversed "
            "approves the application, modified sends it back under review."
        )
        raise DomainError(
            message, code="resulting_status_not_allowed", fields={"resulting_status": [message]}
        )
    if outcome == AppealOutcome.REVERSED:
        application = appeal_outcomes.application_appeal_approve(
            actor=actor, application=application, appeal_id=appeal.public_id, reason=reason
        )
    else:
        application = appeal_outcomes.application_appeal_review_again(
            actor=actor, application=application, appeal_id=appeal.public_id, instructions=reason
        )
    appeal.tc_application = application  # the fresh record, with its membership
    return application.status


_OUTCOME_BY_SUBJECT = {
    AppealSubject.SECURITY_MEMBERSHIP: _security_outcome,
    AppealSubject.TC_MEMBERSHIP: _tc_membership_outcome,
    AppealSubject.TC_APPLICATION: _tc_application_outcome,
}


def _decided_body(appeal: Appeal, reason: str) -> str:
    if not appeal.resulting_status:
        return reason
    if appeal.subject == AppealSubject.TC_APPLICATION:
        if appeal.resulting_status == "approved":
            membership = appeal.tc_application.membership
            return (
                f"{reason}\n\nYour Trade Compliance application is approved: account number "
                f"{membership.account_number}."
            )
        return f"{reason}\n\nYour Trade Compliance application is under review again."
    if appeal.subject == AppealSubject.TC_MEMBERSHIP:
        return (
            f"{reason}\n\nYour Trade Compliance membership is now {appeal.resulting_label.lower()}."
        )
    return (
        f"{reason}\n\nYour membership status is now "
        f"{partner_rules.status_name(appeal.resulting_status)}."
    )


@service
def appeal_decide(
    *, actor, appeal: Appeal, outcome: str, reason: str, resulting_status: str | None = None
) -> Appeal:
    """A CBP program admin decides: upheld, reversed or modified. The outcome flows back through
    the record's own state machine: the Security membership (``partner_transition``), or the
    Trade Compliance application or membership (``tradecompliance.appeal_outcomes``)."""
    if actor is not None and not roles.has_perm(actor, "appeal.decide"):
        raise PermissionDeniedError("Only a CBP program admin decides appeals.")
    appeal = Appeal.objects.select_for_update().select_related("partner").get(pk=appeal.pk)
    if appeal.state != AppealState.FILED:
        raise ConflictError(
            f"This appeal is already decided ({appeal.get_outcome_display().lower()}).",
            code="already_decided",
        )
    _check_outcome(outcome)
    reason = _text(reason, field_name="reason", label="The reason for the decision")
    target = _OUTCOME_BY_SUBJECT[appeal.subject](
        actor=actor,
        appeal=appeal,
        outcome=outcome,
        reason=reason,
        resulting_status=resulting_status or None,
    )
    before = _appeal_snapshot(appeal)
    appeal.state = AppealState.DECIDED
    appeal.outcome = outcome
    appeal.resulting_status = target or ""
    appeal.decision_reason = reason
    appeal.decided_on = _today()
    appeal.decided_by = _user(actor)
    appeal.save()
    audit_record(
        actor=actor,
        action="enforcement.appeal_decide",
        obj=appeal,
        organization=appeal.partner.organization,
        before=before,
        after=_appeal_snapshot(appeal),
        reason=reason,
    )
    notices.send(
        actor,
        notices.officers(appeal.partner),
        kind="enforcement.appeal_decided",
        title=f"Your appeal {appeal.public_id} is decided: {AppealOutcome(outcome).label}",
        body=_decided_body(appeal, reason),
        link=appeal_link(appeal),
        key=f"{appeal.public_id}:decided",
    )
    return appeal


# --- Reminders before the 180-day limit --------------------------------------------------------


def reminder_offsets() -> tuple[int, ...]:
    configured = getattr(settings, "CTPAT_APPEAL_REMINDER_DAYS", None)
    if isinstance(configured, str):
        offsets = rules.parse_reminder_days(configured)
    elif configured:
        offsets = tuple(configured)
    else:
        offsets = rules.APPEAL_REMINDER_DAYS
    # 0: the limit is today or has passed — always said once.
    return tuple(sorted({*offsets, 0}, reverse=True))


@service
def appeal_reminder_send(*, actor, appeal: Appeal, today: dt.date) -> int | None:
    """Remind the program admins of one appeal's limit if a reminder is due (once each)."""
    appeal = Appeal.objects.select_for_update().select_related("partner").get(pk=appeal.pk)
    if appeal.state != AppealState.FILED:
        return None
    offsets = reminder_offsets()
    offset = rules.reminder_due(
        due=appeal.decision_due, today=today, offsets=offsets, sent=appeal.reminders_sent
    )
    if offset is None:
        return None
    left = rules.days_left(appeal.decision_due, today)
    before = list(appeal.reminders_sent)
    appeal.reminders_sent = sorted(set(before) | set(rules.offsets_covered(offset, offsets)))
    appeal.save()
    audit_record(
        actor=actor,
        action="enforcement.appeal_reminder",
        obj=appeal,
        organization=appeal.partner.organization,
        before={"reminders_sent": before},
        after={"reminders_sent": appeal.reminders_sent, "days_left": left},
    )
    when = (
        f"{-left} day(s) overdue"
        if left < 0
        else "due today"
        if left == 0
        else f"{left} day(s) left"
    )
    notices.send(
        actor,
        notices.program_admins(),
        kind="enforcement.appeal_reminder",
        title=f"Appeal {appeal.public_id} of {appeal.partner.name}: decision {when}",
        body=(
            "6 U.S.C. 967(c) requires a determination not later than 180 days after the appeal "
            f"is filed: filed on {appeal.filed_on.isoformat()}, so by "
            f"{appeal.decision_due.isoformat()}."
        ),
        link=appeal_link(appeal),
        key=f"{appeal.public_id}:reminder:{offset}",
    )
    return offset


@dataclass
class ReminderRun:
    day: dt.date
    appeals: int = 0
    reminders: int = 0
    failed: list[str] = field(default_factory=list)

    def as_data(self) -> dict:
        return {
            "day": self.day.isoformat(),
            "appeals": self.appeals,
            "reminders": self.reminders,
            "failed": self.failed,
        }


def appeal_reminders_send(*, today: dt.date, actor=None) -> ReminderRun:
    """Run the reminders for every open appeal; each appeal is its own transaction."""
    run = ReminderRun(day=today)
    for appeal in Appeal.objects.filter(state=AppealState.FILED).order_by("decision_due"):
        run.appeals += 1
        if (
            rules.reminder_due(
                due=appeal.decision_due,
                today=today,
                offsets=reminder_offsets(),
                sent=appeal.reminders_sent,
            )
            is None
        ):
            continue
        try:
            sent = appeal_reminder_send(actor=actor, appeal=appeal, today=today)
        except DomainError as exc:
            logger.warning("Appeal reminders: %s refused: %s", appeal.public_id, exc.message)
            run.failed.append(f"{appeal.public_id}: {exc.message}")
            continue
        run.reminders += sent is not None
    return run


@service
def appeal_daily_run_record(*, actor, day: dt.date, summary: dict) -> AppealDailyRun:
    if AppealDailyRun.objects.filter(day=day).exists():
        raise ConflictError(
            f"The appeal reminders already ran for {day.isoformat()}.", code="already_ran"
        )
    run = AppealDailyRun(day=day, summary=summary)
    run.save()
    audit_record(actor=actor, action="enforcement.daily_run", obj=run, after=summary)
    return run

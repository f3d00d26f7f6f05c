"""The application from submission on: submit, CBP's assignment of a National Account
Manager, information requests and responses, approval (granting the membership), denial,
withdrawal and the questionnaire upgrade. One NAM owns a review: a NAM takes up only an
unassigned application, and only a program admin re-assigns one. Eligibility is decided again
at submission and at approval, and approval refuses IOR numbers deactivated since the company
chose them.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ctpat.accounts import roles
from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.services import service

from .. import rules, selectors
from ..choices import MembershipOrigin
from ..models import Question
from ._shared import _clean_optional_text, _clean_required_text
from .application import (
    DECISION_REASON_MAX_LENGTH,
    INFORMATION_TEXT_MAX_LENGTH,
    _audit_application,
    _checked_files,
    _delete_stored,
    _locked_application,
    _move,
    _notify,
    _officers,
    _record_step,
    _require_officer,
    _require_reviewer,
    _store_documents,
    _user,
    can_edit_application,
)
from .membership import membership_grant


def _missing_error(missing) -> DomainError:
    fields: dict[str, list[str]] = {}
    for item in missing:
        fields.setdefault(item.step, []).append(item.message)
    steps = ", ".join(rules.STEP_LABELS[step] for step in fields)
    return DomainError(
        f"The application is not complete: {len(missing)} thing"
        f"{'s' if len(missing) != 1 else ''} missing ({steps}).",
        code="incomplete",
        fields=fields,
    )


@service
def application_submit(*, actor, application, today: dt.date | None = None):
    """Submit a complete application to CBP. A second submission (another tab) is refused with
    a ConflictError and changes nothing: the row is locked and its status checked."""
    application = _locked_application(application)
    _require_officer(actor, application, "submits the application")
    if application.status != "draft":
        raise ConflictError(
            f"This application was already submitted (it is "
            f"{application.get_status_display().lower()}); nothing was changed.",
            code="already_submitted",
        )
    missing = selectors.application_missing(application)
    if missing:
        raise _missing_error(missing)
    decision = selectors.application_eligibility(application, today=today)
    if not decision.eligible:
        messages = [r.message for r in decision.reasons]
        raise DomainError(
            "The company cannot apply: " + " ".join(messages),
            code="not_eligible",
            fields={"eligibility": messages},
        )
    before = _move(application, "submitted")
    application.submitted_at = timezone.now()
    application.save()
    _record_step(application, actor=actor, kind="submitted", before=before)
    _audit_application(
        actor,
        "submit",
        application,
        before={"status": before},
        after={"status": application.status, "version": application.version.number},
    )
    recipients = (
        [application.assigned_nam] if application.assigned_nam_id else list(selectors.nam_users())
    )
    _notify(
        actor,
        recipients,
        kind="tc_application_submitted",
        title=f"Trade Compliance application from {application.partner.name}",
        body=f"{application.partner.name} submitted Trade Compliance application "
        f"{application.public_id}. It waits in the application queue for a National Account "
        "Manager.",
        application=application,
        key="submitted",
    )
    return application


@service
def application_assign(*, actor, application, nam):
    """Assign the application to a National Account Manager: a program admin assigns anyone
    holding the role, a NAM takes it up themselves. The first assignment starts the review."""
    from ctpat.accounts.choices import Role

    application = _locked_application(application)
    if actor is not None:
        if roles.has_perm(actor, "tradecompliance.application_assign_any"):
            pass
        elif roles.has_perm(actor, "tradecompliance.application_self_assign"):
            if nam is None or nam.pk != actor.pk:
                raise PermissionDeniedError(
                    "A National Account Manager assigns applications to themselves only."
                )
        else:
            raise PermissionDeniedError("Only CBP assigns applications.")
    if nam is None or nam.role != Role.NAM or not nam.is_active:
        raise DomainError(
            "Choose an active National Account Manager.",
            code="not_a_nam",
            fields={"nam": ["Not an active National Account Manager."]},
        )
    if application.status not in rules.ASSIGNABLE_STATUSES:
        raise ConflictError(
            f"An application that is {application.get_status_display().lower()} cannot be "
            "assigned.",
            code="not_assignable",
        )
    if application.assigned_nam_id == nam.pk:
        raise ConflictError(f"The application is already assigned to {nam}.", code="no_changes")
    if (
        actor is not None
        and application.assigned_nam_id is not None
        and not roles.has_perm(actor, "tradecompliance.application_assign_any")
    ):
        # One NAM owns a review: another NAM taking it (or two taking it up at once) would
        # leave the company with two reviewers. Only a program admin re-assigns it.
        holder = application.assigned_nam
        raise ConflictError(
            f"This application is already assigned to "
            f"{holder.get_full_name() or holder.get_username()}; only a CBP program admin can "
            "re-assign it. Nothing was changed.",
            code="assigned_to_another_nam",
        )
    previous = application.assigned_nam
    before = ""
    if application.status == "submitted":
        before = _move(application, "under_review")
    application.assigned_nam = nam
    application.save()
    label = nam.get_full_name() or nam.get_username()
    _record_step(
        application, actor=actor, kind="assigned", before=before, note=f"Assigned to {label}."
    )
    _audit_application(
        actor,
        "assign",
        application,
        before={"assigned_nam": previous.public_id if previous else None},
        after={"assigned_nam": nam.public_id, "status": application.status},
    )
    if _user(actor) is None or actor.pk != nam.pk:
        _notify(
            actor,
            [nam],
            kind="tc_application_assigned",
            title=f"Trade Compliance application assigned to you: {application.partner.name}",
            body=f"Application {application.public_id} is assigned to you for review.",
            application=application,
            key=f"assigned:{nam.public_id}:{timezone.now().timestamp()}",
        )
    return application


@service
def application_request_information(*, actor, application, questions: str):
    """The NAM asks the company for more information (one round; rounds repeat as needed)."""
    from ..models import InformationRequest

    application = _locked_application(application)
    _require_reviewer(actor, application)
    text = _clean_required_text(
        questions,
        field="questions",
        label="Your questions to the company",
        max_length=INFORMATION_TEXT_MAX_LENGTH,
    )
    before = _move(application, "information_requested")
    application.save()
    number = InformationRequest.objects.filter(application=application).count() + 1
    request = InformationRequest(
        application=application,
        round=number,
        questions=text,
        requested_by=_user(actor),
        requested_at=timezone.now(),
    )
    request.save()
    _record_step(
        application,
        actor=actor,
        kind="information_requested",
        before=before,
        note=f"Round {number}: {text}",
    )
    _audit_application(
        actor,
        "request_information",
        application,
        before={"status": before},
        after={"status": application.status, "round": number, "questions": text},
    )
    _notify(
        actor,
        _officers(application.partner),
        kind="tc_information_requested",
        title="CBP asks for more information on your Trade Compliance application",
        body=f"Round {number}: {text}",
        application=application,
        key=f"rfi:{number}",
    )
    return request


@service
def application_respond(*, actor, application, response: str, files=()):
    """The company answers CBP's open round of questions, with documents if needed. Its
    application must be complete (a questionnaire upgrade may have added questions)."""
    application = _locked_application(application)
    if actor is not None and not can_edit_application(actor, application):
        raise PermissionDeniedError("Only the company's own users answer CBP's questions.")
    if application.status != "information_requested":
        raise ConflictError(
            "CBP has not asked for information on this application (or the response was "
            "already sent); nothing was changed.",
            code="no_open_request",
        )
    request = selectors.open_information_request(application)
    if request is None:  # pragma: no cover - the status says there is one
        raise ConflictError("No open request for information.", code="no_open_request")
    text = _clean_required_text(
        response, field="response", label="Your response", max_length=INFORMATION_TEXT_MAX_LENGTH
    )
    missing = selectors.application_missing(application)
    if missing:
        raise _missing_error(missing)
    checked = _checked_files(files)
    documents = _store_documents(application, checked, actor=actor, information_request=request)
    try:
        return _record_response(actor, application, request, text, documents)
    except BaseException:
        # The rows roll back with the transaction; their files must go too.
        _delete_stored(documents)
        raise


def _record_response(actor, application, request, text: str, documents):
    request = type(request).objects.select_for_update().get(pk=request.pk)
    request.response = text
    request.responded_by = _user(actor)
    request.responded_at = timezone.now()
    request.save()
    before = _move(application, "response_submitted")
    application.save()
    _record_step(
        application,
        actor=actor,
        kind="response_submitted",
        before=before,
        note=f"Round {request.round}: {text}"
        + (
            f" ({len(documents)} document{'s' if len(documents) != 1 else ''})" if documents else ""
        ),
    )
    _audit_application(
        actor,
        "respond",
        application,
        before={"status": before},
        after={
            "status": application.status,
            "round": request.round,
            "documents": [d.original_name for d in documents],
        },
    )
    _notify(
        actor,
        [application.assigned_nam],
        kind="tc_response_submitted",
        title=f"{application.partner.name} answered your questions",
        body=f"Round {request.round} of application {application.public_id} is answered.",
        application=application,
        key=f"response:{request.round}",
    )
    return request


@service
def application_approve(*, actor, application, today: dt.date | None = None, notes: str = ""):
    """Approve: the company becomes a Trade Compliance member (``membership_grant`` with the
    selected IOR numbers, accepted on the decision date) and is told its account number."""
    application = _locked_application(application)
    _require_reviewer(actor, application)
    decision = rules.application_transition_decision(application.status, "approved")
    if not decision.allowed:
        raise ConflictError(decision.reason, code=decision.code)
    notes = _clean_optional_text(
        notes, field="reason", label="The note", max_length=DECISION_REASON_MAX_LENGTH
    )
    day = today or timezone.localdate()
    # The company's standing may have changed since it submitted (a suspension, a CBP debt):
    # the eligibility rule is decided again on the day of approval (DOMAIN.md §2.2).
    eligibility = selectors.application_eligibility(application, today=day)
    if not eligibility.eligible:
        messages = [r.message for r in eligibility.reasons]
        raise DomainError(
            "The company is no longer eligible for Trade Compliance, so the application cannot "
            "be approved: " + " ".join(messages) + " Deny it with these reasons, or wait until "
            "the company is eligible again.",
            code="not_eligible",
            fields={"eligibility": messages},
        )
    inactive = selectors.application_inactive_iors(application)
    if inactive:
        numbers = ", ".join(i.display_value for i in inactive)
        message = (
            f"The Importer of Record number{'s' if len(inactive) > 1 else ''} {numbers} "
            f"{'were' if len(inactive) > 1 else 'was'} deactivated after the company selected "
            f"{'them' if len(inactive) > 1 else 'it'}: ask the company for more information "
            "so that it selects its active IOR numbers again, then decide."
        )
        raise DomainError(message, code="ior_deactivated", fields={"ior_numbers": [message]})
    membership = membership_grant(
        actor=actor,
        partner=application.partner,
        accepted_on=day,
        origin=MembershipOrigin.APPLICATION,
        ior_numbers=[i.value for i in application.ior_numbers.all()],
        notes=notes or f"Approved application {application.public_id}.",
    )
    before = _move(application, "approved")
    application.membership = membership
    application.decided_at = timezone.now()
    application.decision_reason = notes
    application.save()
    _record_step(
        application,
        actor=actor,
        kind="approved",
        before=before,
        note=f"Trade Compliance account number {membership.account_number}.",
    )
    _audit_application(
        actor,
        "approve",
        application,
        before={"status": before},
        after={"status": application.status, "account_number": membership.account_number},
        reason=notes.strip(),
    )
    _notify(
        actor,
        _officers(application.partner),
        kind="tc_application_approved",
        title="Your Trade Compliance application is approved",
        body=f"Welcome to CTPAT Trade Compliance. Your account number is "
        f"{membership.account_number}, accepted on {day.isoformat()}.",
        application=application,
        # Its own key: an approval after a denial set aside on appeal is still announced.
        key="approved",
    )
    return application


@service
def application_deny(*, actor, application, reason: str):
    """Deny the application, with the reasons the company is told."""
    application = _locked_application(application)
    _require_reviewer(actor, application)
    text = _clean_required_text(
        reason,
        field="reason",
        label="The reasons for the denial",
        max_length=DECISION_REASON_MAX_LENGTH,
    )
    before = _move(application, "denied")
    application.decided_at = timezone.now()
    application.decision_reason = text
    application.save()
    _record_step(application, actor=actor, kind="denied", before=before, note=text)
    _audit_application(
        actor,
        "deny",
        application,
        before={"status": before},
        after={"status": application.status},
        reason=text,
    )
    _notify(
        actor,
        _officers(application.partner),
        kind="tc_application_denied",
        title="Your Trade Compliance application is denied",
        body=text,
        application=application,
        key="denied",
    )
    return application


@service
def application_withdraw(*, actor, application, reason: str = ""):
    """The company officer withdraws the application while CBP has not decided it."""
    application = _locked_application(application)
    _require_officer(actor, application, "withdraws the application")
    reason = _clean_optional_text(
        reason, field="reason", label="The reason", max_length=DECISION_REASON_MAX_LENGTH
    )
    before = _move(application, "withdrawn")
    application.decided_at = timezone.now()
    application.decision_reason = reason
    application.save()
    _record_step(application, actor=actor, kind="withdrawn", before=before, note=reason.strip())
    _audit_application(
        actor,
        "withdraw",
        application,
        before={"status": before},
        after={"status": application.status},
        reason=reason.strip(),
    )
    if application.assigned_nam_id:
        _notify(
            actor,
            [application.assigned_nam],
            kind="tc_application_withdrawn",
            title=f"{application.partner.name} withdrew its Trade Compliance application",
            body=reason.strip(),
            application=application,
            key="withdrawn",
        )
    return application


@service
def application_request_questionnaire_upgrade(*, actor, application, reason: str):
    """Move an open application to the current questionnaire version (CBP asks for it; open
    applications otherwise keep their version). Answers to codes that still exist carry over,
    new questions start unanswered, and the company is told. An application under review goes
    back to the company as a round of "information requested" listing the new questions."""
    from django.db import transaction

    from ..models import ApplicationAnswer, ApplicationDocument, InformationRequest

    application = _locked_application(application)
    _require_reviewer(actor, application)
    text = _clean_required_text(
        reason, field="reason", label="The reason", max_length=DECISION_REASON_MAX_LENGTH
    )
    if application.status not in rules.OPEN_STATUSES:
        raise ConflictError("A decided application keeps its version.", code="not_open")
    if application.status == "submitted":
        raise ConflictError(
            "Assign a National Account Manager first: the review sends the new questions to "
            "the company.",
            code="not_assigned",
        )
    current = selectors.questionnaire_current()
    old_version = application.version
    if current is None or current.pk == old_version.pk:
        raise ConflictError(
            f"The application already answers the current version ({old_version.number}).",
            code="already_current",
        )
    old_codes = Question.objects.filter(version=old_version).values_list("code", flat=True)
    new_questions = list(
        Question.objects.filter(version=current).order_by("section__position", "number")
    )
    carried = rules.codes_carried_over(old_codes, [q.code for q in new_questions])
    dropped = sorted(carried["dropped"])
    ApplicationAnswer.objects.filter(application=application, code__in=dropped).delete()
    files = list(
        ApplicationDocument.objects.filter(
            application=application, code__in=dropped, information_request__isnull=True
        )
    )
    for document in files:
        name, storage = document.file.name, document.file.storage
        document.delete()
        transaction.on_commit(lambda n=name, s=storage: s.delete(n))
    old_mou = application.mou_text_version
    application.version = current
    new_mou = selectors.mou_text_version(current)
    signature_cleared = application.mou_signed and old_mou != new_mou
    if signature_cleared:
        application.mou_signed_at = None
        application.mou_signed_by = None
        application.mou_signer_name = ""
        application.mou_text_version = ""
    new_codes = [q.code for q in new_questions if q.code in carried["new"]]
    before = ""
    if application.status in {"under_review", "response_submitted"}:
        before = _move(application, "information_requested")
        number = InformationRequest.objects.filter(application=application).count() + 1
        InformationRequest(
            application=application,
            round=number,
            questions=(
                f"CBP moved your application to questionnaire version {current.number}. "
                f"Answer the new questions ({', '.join(new_codes) or 'none'})"
                + (" and sign the MOU again" if signature_cleared else "")
                + f", then send your response. Reason: {text}"
            ),
            requested_by=_user(actor),
            requested_at=timezone.now(),
        ).save()
    application.save()
    note = (
        f"Version {old_version.number} → {current.number}. New questions: "
        f"{', '.join(new_codes) or 'none'}. Dropped: {', '.join(dropped) or 'none'}. {text}"
    )
    _record_step(application, actor=actor, kind="questionnaire_upgraded", before=before, note=note)
    _audit_application(
        actor,
        "questionnaire_upgrade",
        application,
        before={"version": old_version.number, "status": before or application.status},
        after={
            "version": current.number,
            "status": application.status,
            "kept": sorted(carried["kept"]),
            "dropped": dropped,
            "new": new_codes,
            "signature_cleared": signature_cleared,
        },
        reason=text,
    )
    _notify(
        actor,
        _officers(application.partner),
        kind="tc_questionnaire_upgraded",
        title="Your Trade Compliance application moved to new questions",
        body=note,
        application=application,
        key=f"upgrade:{current.number}",
    )
    return application

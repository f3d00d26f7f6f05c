"""The application while the company fills it in: starting it, answers, IOR numbers,
documents, reuse of earlier answers and the MOU signature; and the helpers every application
step shares (locking, the timeline row, the audit event, notifications).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils import timezone

from ctpat.accounts import roles
from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.services import audit_record, service
from ctpat.partners.models import Partner

from .. import rules, selectors
from ..models import TradeComplianceMembership
from ._shared import _clean_required_text, _is_own
from .membership import _active_iors, _ior_identifiers

# --- Applications --------------------------------------------------------------------------------

# Document types a Trade Compliance upload may be (checked by extension and content).
APPLICATION_DOCUMENT_TYPES: tuple[str, ...] = ("pdf", "docx", "png", "jpeg", "txt")
INFORMATION_TEXT_MAX_LENGTH = 10_000
DECISION_REASON_MAX_LENGTH = 5_000
SIGNER_NAME_MAX_LENGTH = 200
# How much of a written answer an audit event keeps (the answer itself is on the row).
AUDIT_ANSWER_EXCERPT_LENGTH = 200
STORAGE_PREFIX = "tradecompliance/applications"


def application_document_max_bytes() -> int:
    """The size limit of one uploaded document (the evidence limit that the request-size
    middleware allows for upload URLs, ``CTPAT_UPLOAD_URL_PATTERNS``)."""
    from django.conf import settings

    return settings.CTPAT_EVIDENCE_MAX_BYTES


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _locked_application(application):
    from ..models import Application

    return (
        Application.objects.select_for_update()
        .select_related("partner__organization", "version")
        .get(pk=application.pk)
    )


def can_edit_application(actor, application) -> bool:
    return roles.has_perm(actor, "tradecompliance.application_edit") and _is_own(
        actor, application.partner
    )


def is_company_officer(actor, partner: Partner) -> bool:
    return roles.has_perm(actor, "tradecompliance.application_submit") and _is_own(actor, partner)


def can_review_application(actor, application) -> bool:
    """A program admin acts on any application; a NAM on those assigned to them."""
    if roles.has_perm(actor, "tradecompliance.application_assign_any") and roles.has_perm(
        actor, "tradecompliance.application_review"
    ):
        return True
    return (
        roles.has_perm(actor, "tradecompliance.application_review")
        and application.assigned_nam_id is not None
        and application.assigned_nam_id == getattr(actor, "pk", None)
    )


def _require_editor(actor, application) -> None:
    if actor is not None and not can_edit_application(actor, application):
        raise PermissionDeniedError("Only the company's own users fill in its application.")
    if application.status not in rules.EDITABLE_STATUSES:
        raise ConflictError(
            f"This application is {application.get_status_display().lower()}: its answers can "
            "no longer be changed.",
            code="not_editable",
        )


def _require_officer(actor, application, what: str) -> None:
    if actor is not None and not is_company_officer(actor, application.partner):
        raise PermissionDeniedError(f"Only a company officer {what}.")


def _require_reviewer(actor, application) -> None:
    if actor is not None and not can_review_application(actor, application):
        raise PermissionDeniedError(
            "Only the National Account Manager assigned to this application or a CBP program "
            "admin can do this."
        )


def _move(application, target: str) -> str:
    decision = rules.application_transition_decision(application.status, target)
    if not decision.allowed:
        raise ConflictError(decision.reason, code=decision.code)
    before = application.status
    application.status = target
    return before


def _record_step(application, *, actor, kind: str, before: str = "", note: str = ""):
    from ..models import ApplicationStep

    user = _user(actor)
    step = ApplicationStep(
        application=application,
        kind=kind,
        at=timezone.now(),
        actor=user,
        actor_label=(user.get_full_name() or user.get_username()) if user else "CBP (system)",
        from_status=before,
        to_status=application.status if before else "",
        note=note,
    )
    step.save()
    return step


def _audit_application(actor, action: str, application, *, before=None, after=None, reason=""):
    audit_record(
        actor=actor,
        action=f"tradecompliance.application_{action}",
        obj=application,
        organization=application.partner.organization,
        before=before,
        after=after,
        reason=reason,
    )


def _application_link(application) -> str:
    from django.urls import reverse

    return reverse(
        "tradecompliance:application_detail", kwargs={"application_id": application.public_id}
    )


def _officers(partner: Partner):
    from ctpat.accounts.choices import Role
    from ctpat.accounts.models import User

    return list(
        User.objects.filter(
            organization_id=partner.organization_id, role=Role.PARTNER_OFFICER, is_active=True
        )
    )


def _notify(actor, recipients, *, kind: str, title: str, body: str, application, key: str):
    from ctpat.notifications.constants import TITLE_MAX_LENGTH as NOTIFICATION_TITLE_MAX_LENGTH
    from ctpat.notifications.services import notification_send

    recipients = [r for r in recipients if r is not None and r.is_active]
    if not recipients:
        return
    notification_send(
        actor=actor,
        recipients=recipients,
        kind=kind,
        title=title[:NOTIFICATION_TITLE_MAX_LENGTH],
        body=body,
        link=_application_link(application),
        email=True,
        dedupe_key=f"{application.public_id}:{key}",
    )


@service
def application_start(*, actor, partner: Partner, today: dt.date | None = None):
    """A company officer launches the company's Trade Compliance application (DOMAIN.md §2.2:
    "Company Officer → Actions → Launch Trade Compliance"), once the readiness check allows it.
    The eligibility answers of the readiness check are carried into the application."""
    from ..models import Application, ApplicationAnswer

    if actor is not None and not (
        roles.has_perm(actor, "tradecompliance.application_start") and _is_own(actor, partner)
    ):
        raise PermissionDeniedError(
            "Only a company officer launches a Trade Compliance application."
        )
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    readiness = selectors.readiness_for(partner, today=today)
    if not readiness.decision.eligible:
        messages = [r.message for r in readiness.decision.reasons]
        raise DomainError(
            "The company cannot apply yet: " + " ".join(messages),
            code="not_eligible",
            fields={"eligibility": messages},
        )
    if TradeComplianceMembership.objects.filter(partner=partner).exists():
        raise ConflictError(
            f"{partner.name} is already a Trade Compliance member.", code="already_member"
        )
    existing = selectors.application_open_for(partner)
    if existing is not None:
        raise ConflictError(
            f"{partner.name} already has an open application ({existing.public_id}).",
            code="application_open",
        )
    version = readiness.version
    application = Application(partner=partner, version=version, created_by=_user(actor))
    application.save()
    for question in readiness.questions:
        value = readiness.answers_by_code.get(question.code)
        if isinstance(value, bool):
            ApplicationAnswer(
                application=application, code=question.code, yes_no=value, answered_by=_user(actor)
            ).save()
    _record_step(application, actor=actor, kind="started")
    _audit_application(
        actor,
        "start",
        application,
        after={"status": application.status, "version": version.number},
    )
    return application


def _check_answer(question, value, errors: dict) -> None:
    code = question.code
    if question.answer_type == "yes_no":
        if value is not None and not isinstance(value, bool):
            errors[code] = ["Answer Yes (true), No (false) or leave it unanswered (null)."]
    elif question.answer_type == "text":
        if value is not None and not isinstance(value, str):
            errors[code] = ["Give a written answer."]
        elif isinstance(value, str) and len(value.strip()) > rules.ANSWER_TEXT_MAX_LENGTH:
            from ctpat.core.textlimits import too_long_message

            errors[code] = [
                too_long_message(
                    f"The answer to {code}", rules.ANSWER_TEXT_MAX_LENGTH, len(value.strip())
                )
            ]
    elif question.answer_type == "document":
        errors[code] = ["A document question is answered by uploading a file."]
    else:
        errors[code] = ["The MOU is agreed to when the company officer signs it."]


@service
def application_answers_save(
    *,
    actor,
    application,
    answers: Mapping[str, object],
    public_urls: Mapping[str, str] | None = None,
):
    """Save answers by question code (a draft saves at any step; ``None`` clears an answer).
    ``public_urls`` gives the public address of the code of conduct (DOMAIN.md §2.4 item 2).
    An answer given afresh replaces a reused one. Nothing is written unless every value is
    acceptable."""
    from ..models import ApplicationAnswer

    application = _locked_application(application)
    _require_editor(actor, application)
    questions = {q.code: q for q in selectors.application_questions(application)}
    errors: dict[str, list[str]] = {}
    for code, value in answers.items():
        question = questions.get(code)
        if question is None:
            errors[str(code)] = [f"Not a question of version {application.version.number}."]
            continue
        _check_answer(question, value, errors)
    urls = {code: (value or "").strip() for code, value in (public_urls or {}).items()}
    for code, url in urls.items():
        if code not in rules.PUBLIC_URL_QUESTION_CODES or code not in questions:
            errors[str(code)] = ["This question takes no public address."]
        elif url and not rules.is_public_https_url(url):
            errors[code] = [
                "Give the full public address of the page, starting with https:// "
                "(for example https://www.example.com/code-of-conduct)."
            ]
    if errors:
        raise DomainError(
            "Some answers could not be saved: "
            + "; ".join(f"{code}: {' '.join(msgs)}" for code, msgs in sorted(errors.items())),
            code="invalid_answers",
            fields=errors,
        )
    stored = selectors.application_answers(application)
    before, after = {}, {}
    for code in [*answers, *urls]:
        question = questions[code]
        answer = stored.get(code) or ApplicationAnswer(application=application, code=code)
        old = (answer.yes_no, answer.text, answer.public_url, bool(answer.reused_from))
        if code in answers:
            value = answers[code]
            if question.answer_type == "yes_no":
                answer.yes_no = value
            else:
                answer.text = (value or "").strip()
        if code in urls:
            answer.public_url = urls[code]
        new = (answer.yes_no, answer.text, answer.public_url)
        if old[:3] == new:
            continue
        answer.reused_from = {}
        answer.answered_by = _user(actor)
        answer.save()
        stored[code] = answer
        excerpt = AUDIT_ANSWER_EXCERPT_LENGTH
        before[code] = {"yes_no": old[0], "text": old[1][:excerpt], "public_url": old[2]}
        after[code] = {"yes_no": new[0], "text": new[1][:excerpt], "public_url": new[2]}
    _audit_application(
        actor, "answers_save", application, before=before or None, after={"answers": after}
    )
    return application


@service
def application_iors_select(*, actor, application, ior_numbers: Iterable[str]):
    """Choose the company's Importer of Record numbers the membership will cover (DOMAIN.md
    §2.2, "IOR Selection"): active IOR identifiers of the company only."""
    application = _locked_application(application)
    _require_editor(actor, application)
    iors = _ior_identifiers(application.partner, ior_numbers, _active_iors(application.partner))
    held = selectors.ior_holders([i.value for i in iors], exclude_partner_id=application.partner_id)
    if held:
        # The holder is not named: the company learns only that the number is taken.
        numbers = ", ".join(sorted(c.display_value for c in held.values()))
        plural = len(held) > 1
        message = (
            f"The Importer of Record number{'s' if plural else ''} {numbers} "
            f"{'are' if plural else 'is'} already covered by another company's Trade Compliance "
            "membership, and one IOR number can be covered by one membership at a time. "
            "Select your other IOR numbers, or contact CBP if the number is yours."
        )
        raise ConflictError(message, code="ior_held", fields={"ior_numbers": [message]})
    before = sorted(i.display_value for i in application.ior_numbers.all())
    application.ior_numbers.set(iors)
    application.save()
    _audit_application(
        actor,
        "iors_select",
        application,
        before={"ior_numbers": before},
        after={"ior_numbers": sorted(i.display_value for i in iors)},
    )
    return application


def _checked_files(files) -> list[tuple[object, str, object]]:
    """Validate every file first (so a bad one writes nothing): (file, type, scan outcome)."""
    from ctpat.core import uploads

    checked = []
    for uploaded in files:
        detected = uploads.validate_upload(
            uploaded,
            allowed=APPLICATION_DOCUMENT_TYPES,
            max_bytes=application_document_max_bytes(),
        )
        checked.append((uploaded, detected, uploads.scan_upload(uploaded)))
    return checked


def _store_documents(application, checked, *, actor, code: str = "", information_request=None):
    documents = []
    try:
        for uploaded, detected, outcome in checked:
            documents.append(
                _store_document(
                    application,
                    uploaded,
                    detected,
                    outcome,
                    actor=actor,
                    code=code,
                    information_request=information_request,
                )
            )
    except BaseException:
        # A later file failing must not leave the earlier ones on disk without their rows.
        _delete_stored(documents)
        raise
    return documents


def _delete_stored(documents) -> None:
    """Delete the stored files of documents whose rows are being rolled back."""
    for document in documents:
        document.file.storage.delete(document.file.name)


def _store_document(application, uploaded, detected, outcome, *, actor, code, information_request):
    from ctpat.core import uploads

    from ..models import ApplicationDocument

    document = ApplicationDocument(
        application=application,
        code=code,
        information_request=information_request,
        original_name=uploads.clean_original_name(uploaded.name),
        file_type=detected,
        size=uploaded.size,
        scan_status=outcome.status,
        uploaded_by=_user(actor),
    )
    name = uploads.random_storage_name(STORAGE_PREFIX, detected)
    document.file.save(name, uploaded, save=False)
    stored_name = document.file.name
    storage = document.file.storage
    try:
        document.save()
    except Exception:
        storage.delete(stored_name)
        raise
    return document


@service
def application_document_upload(*, actor, application, code: str, uploaded_file):
    """Upload a document for a document question (the code of conduct, evidence of
    implementation — DOMAIN.md §2.4 items 2 and 3): checked by size and content, virus-scan
    hook, stored under a random name."""
    application = _locked_application(application)
    _require_editor(actor, application)
    question = next(
        (q for q in selectors.application_questions(application) if q.code == code), None
    )
    if question is None or question.answer_type != "document":
        raise DomainError(
            f"{code or 'This question'} does not take a document.",
            code="not_a_document_question",
            fields={"code": ["Not a document question of this application."]},
        )
    checked = _checked_files([uploaded_file])
    (document,) = _store_documents(application, checked, actor=actor, code=code)
    try:
        audit_record(
            actor=actor,
            action="tradecompliance.application_document_upload",
            obj=document,
            organization=application.partner.organization,
            after={
                "application": application.public_id,
                "code": code,
                "name": document.original_name,
                "type": document.file_type,
                "size": document.size,
                "scan": document.scan_status,
            },
        )
    except BaseException:
        _delete_stored([document])
        raise
    return document


@dataclass(frozen=True)
class StepSaveResult:
    """What ``application_step_save`` did: the documents stored, and the files refused (by
    question code) while the answers were saved all the same."""

    application: object
    documents: tuple
    file_errors: dict


@service
def application_step_save(
    *,
    actor,
    application,
    answers: Mapping[str, object],
    public_urls: Mapping[str, str] | None = None,
    files: Mapping[str, object] | None = None,
) -> StepSaveResult:
    """Save a step's answers and the documents chosen on it, in one go, so that uploading a
    document never loses what was typed (issue 7). Answers are checked first and, if any is
    refused, nothing is saved (``DomainError`` with field errors). A refused file (wrong type,
    too large, infected) does not undo the answers: it is reported in ``file_errors``."""
    application = application_answers_save(
        actor=actor, application=application, answers=answers, public_urls=public_urls
    )
    documents, file_errors = [], {}
    for code, uploaded in (files or {}).items():
        try:
            documents.append(
                application_document_upload(
                    actor=actor, application=application, code=code, uploaded_file=uploaded
                )
            )
        except (PermissionDeniedError, ConflictError):
            raise
        except DomainError as exc:
            file_errors[code] = exc.message
    return StepSaveResult(application, tuple(documents), file_errors)


@service
def application_document_remove(*, actor, document):
    """Remove a document from a draft (the file is deleted once the removal commits)."""
    from django.db import transaction

    application = _locked_application(document.application)
    _require_editor(actor, application)
    if document.information_request_id is not None:
        raise ConflictError("Documents sent with a response stay on file.", code="not_removable")
    name, storage = document.file.name, document.file.storage
    audit_record(
        actor=actor,
        action="tradecompliance.application_document_remove",
        obj=document,
        organization=application.partner.organization,
        before={
            "application": application.public_id,
            "code": document.code,
            "name": document.original_name,
        },
    )
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))
    return application


@service
def application_answer_reuse(*, actor, application, code: str, msc_id: str):
    """Answer ``code`` with the company's security-profile answer to MSC ``msc_id`` (answer once
    across programs), recorded as reused with its source."""
    from ..models import ApplicationAnswer

    application = _locked_application(application)
    _require_editor(actor, application)
    question = next(
        (q for q in selectors.application_questions(application) if q.code == code), None
    )
    by_msc = selectors.security_profile_answers(application.partner)
    if question is None or msc_id not in rules.reusable_msc_ids(
        question.msc_criteria, by_msc, question.answer_type
    ):
        raise DomainError(
            f"No security-profile answer to MSC {msc_id} can answer {code}.",
            code="nothing_to_reuse",
            fields={"code": ["Nothing to reuse for this question."]},
        )
    ref = by_msc[msc_id]
    answer = ApplicationAnswer.objects.filter(
        application=application, code=code
    ).first() or ApplicationAnswer(application=application, code=code)
    value = rules.reused_value(
        question.answer_type, getattr(ref, "answer", ""), getattr(ref, "narrative", "")
    )
    if value is None:
        raise DomainError(
            f"The security-profile answer to MSC {msc_id} does not answer {code} "
            "(a yes/no question needs Yes or No; a written one a description).",
            code="nothing_to_reuse",
        )
    if isinstance(value, str) and len(value) > rules.ANSWER_TEXT_MAX_LENGTH:
        message = (
            f"The security-profile answer to MSC {msc_id} has {len(value):,} characters and a "
            f"Trade Compliance answer holds at most {rules.ANSWER_TEXT_MAX_LENGTH:,}, so it "
            f"cannot be reused whole. Write the answer to {code} in your own words instead."
        )
        raise DomainError(message, code="too_long", fields={"code": [message]})
    if question.answer_type == "yes_no":
        answer.yes_no = value
    else:
        answer.text = value
    answered_at = getattr(ref, "answered_at", None)
    answer.reused_from = {
        "msc_id": msc_id,
        "answered_at": answered_at.isoformat() if answered_at else None,
        "version": str(getattr(ref, "criteria_version_label", "") or ""),
        "source": str(getattr(ref, "source_label", "") or "Security profile"),
    }
    answer.answered_by = _user(actor)
    answer.save()
    _audit_application(
        actor, "answer_reuse", application, after={"code": code, **answer.reused_from}
    )
    return answer


@service
def application_sign_mou(*, actor, application, signer_name: str, acknowledged: Iterable[str]):
    """The company officer agrees to every MOU statement and signs with their typed name
    (DOMAIN.md §2.2: the account record keeps the agreement's signed date and user)."""
    from ..models import ApplicationAnswer

    application = _locked_application(application)
    _require_officer(actor, application, "signs the Memorandum of Understanding")
    _require_editor(actor, application)
    name = _clean_required_text(
        signer_name, field="signer_name", label="Your full name", max_length=SIGNER_NAME_MAX_LENGTH
    )
    mou_codes = [
        q.code
        for q in selectors.application_questions(application)
        if q.section.key == "mou" and q.answer_type == "acknowledgement"
    ]
    given = set(acknowledged)
    missing = [code for code in mou_codes if code not in given]
    if missing:
        raise DomainError(
            f"Agree to every statement of the MOU to sign it ({', '.join(missing)}).",
            code="mou_not_agreed",
            fields={"acknowledged": [f"{code} is not agreed to." for code in missing]},
        )
    stored = selectors.application_answers(application)
    for code in mou_codes:
        answer = stored.get(code) or ApplicationAnswer(application=application, code=code)
        answer.acknowledged = True
        answer.answered_by = _user(actor)
        answer.save()
    application.mou_signed_by = _user(actor)
    application.mou_signed_at = timezone.now()
    application.mou_signer_name = name
    application.mou_text_version = selectors.mou_text_version(application.version)
    application.save()
    _record_step(application, actor=actor, kind="mou_signed", note=f"Signed as {name}.")
    _audit_application(
        actor,
        "sign_mou",
        application,
        after={"signer_name": name, "mou_text_version": application.mou_text_version},
    )
    return application

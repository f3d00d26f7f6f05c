"""The forced-labor obligation of existing members: the company submits its documents, CBP
decides whether the obligation is met."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils import timezone

from ctpat.accounts import roles
from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.services import audit_record, service, snapshot

from .. import rules
from ..choices import MembershipStatus as MembershipStatusTC
from ._shared import _clean_optional_text, _clean_required_text
from .application import (
    APPLICATION_DOCUMENT_TYPES,
    AUDIT_ANSWER_EXCERPT_LENGTH,
    _delete_stored,
    _officers,
    _user,
    application_document_max_bytes,
    is_company_officer,
)

# --- Forced-labor obligation of existing members -------------------------------------------------

# The application's forced-labor document questions (questionnaire section "forced_labor"):
# FL-CODE the code of conduct, FL-EVIDENCE evidence that the program is carried out.
FORCED_LABOR_DOCUMENT_CODES: dict[str, str] = {
    "FL-CODE": "Code of conduct prohibiting forced labor",
    "FL-EVIDENCE": (
        "Evidence that the code of conduct and social compliance program are carried out"
    ),
}
FORCED_LABOR_STATEMENT_MAX_LENGTH = 10_000
FORCED_LABOR_NOTE_MAX_LENGTH = 5_000
FORCED_LABOR_STORAGE_PREFIX = "tradecompliance/forced-labor"
FORCED_LABOR_FIELDS = ("state", "met_on", "returned_count")
_ENDED_MEMBERSHIP = (MembershipStatusTC.REMOVED, MembershipStatusTC.WITHDRAWN)


def _locked_obligation(obligation):
    from ..models import ForcedLaborObligation

    return (
        ForcedLaborObligation.objects.select_for_update()
        .select_related("membership__partner__organization")
        .get(pk=obligation.pk)
    )


def can_submit_forced_labor(actor, obligation) -> bool:
    return is_company_officer(actor, obligation.membership.partner)


def can_decide_forced_labor(actor) -> bool:
    return roles.has_perm(actor, "tradecompliance.membership_manage")


def _forced_labor_link(obligation) -> str:
    from django.urls import reverse

    return reverse("tradecompliance:forced_labor", kwargs={"obligation_id": obligation.public_id})


def _forced_labor_reviewers(obligation) -> list:
    """Who at CBP hears of a submission: the NAM of the approved application when there is one,
    else every active program admin."""
    from ctpat.accounts.choices import Role
    from ctpat.accounts.models import User

    application = getattr(obligation.membership, "application", None)
    nam = getattr(application, "assigned_nam", None) if application else None
    if nam is not None and nam.is_active:
        return [nam]
    return list(User.objects.filter(role=Role.CBP_ADMIN, is_active=True))


def _notify_forced_labor(actor, recipients, *, kind, title, body, obligation, key):
    from ctpat.notifications.constants import TITLE_MAX_LENGTH as NOTIFICATION_TITLE_MAX_LENGTH
    from ctpat.notifications.services import notification_send

    recipients = [r for r in recipients if r is not None and r.is_active]
    if not recipients:
        return
    notification_send(
        actor=actor,
        recipients=recipients,
        kind=kind,
        # A long company name may not fit the title; the body names it in full.
        title=title[:NOTIFICATION_TITLE_MAX_LENGTH],
        body=body,
        link=_forced_labor_link(obligation),
        email=True,
        dedupe_key=f"{obligation.public_id}:{key}",
    )


def _store_forced_labor_documents(obligation, files_by_code, *, actor) -> list:
    """Check every file first (a bad one writes nothing), then store them all."""
    from ctpat.core import uploads

    from ..models import ForcedLaborDocument

    checked = []
    for code, files in files_by_code.items():
        if code not in FORCED_LABOR_DOCUMENT_CODES:
            raise DomainError(
                f"{code} is not a forced-labor document; use FL-CODE or FL-EVIDENCE.",
                code="not_a_document_question",
                fields={"code": [f"{code} is not a forced-labor document."]},
            )
        for uploaded in files:
            detected = uploads.validate_upload(
                uploaded,
                allowed=APPLICATION_DOCUMENT_TYPES,
                max_bytes=application_document_max_bytes(),
            )
            checked.append((code, uploaded, detected, uploads.scan_upload(uploaded)))
    documents = []
    try:
        for code, uploaded, detected, outcome in checked:
            document = ForcedLaborDocument(
                obligation=obligation,
                code=code,
                original_name=uploads.clean_original_name(uploaded.name),
                file_type=detected,
                size=uploaded.size,
                scan_status=outcome.status,
                uploaded_by=_user(actor),
            )
            document.file.save(
                uploads.random_storage_name(FORCED_LABOR_STORAGE_PREFIX, detected),
                uploaded,
                save=False,
            )
            documents.append(document)
            document.save()
    except BaseException:
        _delete_stored(documents)
        raise
    return documents


@service
def forced_labor_submit(
    *,
    actor,
    obligation,
    statement: str,
    code_of_conduct_url: str = "",
    files: Mapping[str, Sequence] | None = None,
):
    """The member's officer sends CBP how the company meets the forced-labor requirements: a
    statement, the code of conduct's public address (optional) and documents under the
    application's codes. After it the obligation must hold a code of conduct (FL-CODE) and
    evidence (FL-EVIDENCE); every problem is reported at once and nothing is written."""
    obligation = _locked_obligation(obligation)
    membership = obligation.membership
    if actor is not None and not can_submit_forced_labor(actor, obligation):
        raise PermissionDeniedError("Only a company officer submits the forced-labor evidence.")
    if obligation.state != "open":
        raise ConflictError(
            "The forced-labor evidence is already "
            + ("found to meet the requirements." if obligation.state == "met" else "with CBP.")
            + " Nothing more can be submitted now.",
            code="not_open",
        )
    if membership.status in _ENDED_MEMBERSHIP:
        raise ConflictError(
            f"The Trade Compliance membership is {membership.get_status_display().lower()}: "
            "there is nothing to submit.",
            code="membership_ended",
        )
    errors: dict[str, list[str]] = {}
    try:
        text = _clean_required_text(
            statement,
            field="statement",
            label="The statement of how the company meets the requirements",
            max_length=FORCED_LABOR_STATEMENT_MAX_LENGTH,
        )
    except DomainError as exc:
        errors.update(exc.fields)
        text = ""
    url = (code_of_conduct_url or "").strip()
    if url and (len(url) > rules.PUBLIC_URL_MAX_LENGTH or not rules.is_public_https_url(url)):
        errors["code_of_conduct_url"] = [
            "The address of the code of conduct must be a public https:// address of at most "
            f"{rules.PUBLIC_URL_MAX_LENGTH} characters."
        ]
    files = {code: list(items) for code, items in (files or {}).items() if items}
    existing = set(obligation.documents.values_list("code", flat=True))
    for code, label in FORCED_LABOR_DOCUMENT_CODES.items():
        if code not in existing and code not in files:
            errors[code] = [f"Upload the {label[0].lower()}{label[1:]} ({code})."]
    if errors:
        first = next(iter(errors.values()))[0]
        more = len(errors) - 1
        message = first if not more else f"{first} ({more} more problem(s) below.)"
        raise DomainError(message, code="incomplete", fields=errors)
    before = snapshot(obligation, FORCED_LABOR_FIELDS)
    documents = _store_forced_labor_documents(obligation, files, actor=actor)
    try:
        obligation.statement = text
        obligation.code_of_conduct_url = url
        obligation.state = "submitted"
        obligation.submitted_at = timezone.now()
        obligation.submitted_by = _user(actor)
        obligation.save()
        audit_record(
            actor=actor,
            action="tradecompliance.forced_labor_submit",
            obj=obligation,
            organization=membership.partner.organization,
            before=before,
            after={
                **snapshot(obligation, FORCED_LABOR_FIELDS),
                "membership": membership.public_id,
                "statement": text[:AUDIT_ANSWER_EXCERPT_LENGTH],
                "code_of_conduct_url": url,
                "documents": [
                    {
                        "id": d.public_id,
                        "code": d.code,
                        "name": d.original_name,
                        "scan": d.scan_status,
                    }
                    for d in documents
                ],
            },
        )
        _notify_forced_labor(
            actor,
            _forced_labor_reviewers(obligation),
            kind="tc_forced_labor_submitted",
            title=f"Forced-labor evidence to review: {membership.partner.name}",
            body=(
                f"{membership.partner.name} ({membership.account_number}) submitted how it meets "
                "the Trade Compliance forced-labor requirements. Mark them met or return them "
                "with the reason."
            ),
            obligation=obligation,
            key=f"submitted-{obligation.returned_count}",
        )
    except BaseException:
        _delete_stored(documents)
        raise
    return obligation


@service
def forced_labor_decide(*, actor, obligation, met: bool, note: str = "", today=None):
    """A National Account Manager or program admin finds the requirements met (from a
    submission, or from an open obligation CBP checked otherwise, e.g. during a validation:
    then the note is required), or returns a submission with the reason."""
    obligation = _locked_obligation(obligation)
    membership = obligation.membership
    if actor is not None and not can_decide_forced_labor(actor):
        raise PermissionDeniedError(
            "Only a National Account Manager or a CBP program admin decides on the forced-labor "
            "requirements."
        )
    if obligation.state == "met":
        raise ConflictError("The requirements are already found met.", code="already_met")
    if not met and obligation.state != "submitted":
        raise ConflictError(
            "Only a submission can be returned; the company has not submitted anything since "
            "it was last returned.",
            code="not_submitted",
        )
    note_required = not met or obligation.state == "open"
    label = (
        "The reason for returning the submission"
        if not met
        else "A note on how CBP checked the requirements without a submission"
    )
    if note_required:
        text = _clean_required_text(
            note, field="note", label=label, max_length=FORCED_LABOR_NOTE_MAX_LENGTH
        )
    else:
        text = _clean_optional_text(
            note, field="note", label="The note", max_length=FORCED_LABOR_NOTE_MAX_LENGTH
        )
    before = snapshot(obligation, FORCED_LABOR_FIELDS)
    obligation.decided_at = timezone.now()
    obligation.decided_by = _user(actor)
    obligation.cbp_note = text
    if met:
        obligation.state = "met"
        obligation.met_on = today or timezone.localdate()
    else:
        obligation.state = "open"
        obligation.returned_count += 1
    obligation.save()
    audit_record(
        actor=actor,
        action="tradecompliance.forced_labor_" + ("met" if met else "return"),
        obj=obligation,
        organization=membership.partner.organization,
        before=before,
        after={**snapshot(obligation, FORCED_LABOR_FIELDS), "membership": membership.public_id},
        reason=text,
    )
    if met:
        title, body = (
            "Forced-labor requirements met",
            "CBP found that the company meets the Trade Compliance forced-labor requirements."
            + (f" CBP's note: {text}" if text else ""),
        )
    else:
        title, body = (
            "Forced-labor evidence returned",
            f"CBP returned the company's forced-labor evidence. The reason: {text} Submit it "
            "again with what is missing.",
        )
    _notify_forced_labor(
        actor,
        _officers(membership.partner),
        kind="tc_forced_labor_" + ("met" if met else "returned"),
        title=title,
        body=body,
        obligation=obligation,
        key="met" if met else f"returned-{obligation.returned_count}",
    )
    return obligation

"""Writes for Trade Compliance. Each is one transaction with its audit event.

* ``questionnaire_version_publish`` — a CBP program admin publishes a new question set version.
* ``tc_profile_update`` — the company officer (self-declared) or CBP records the facts the
  eligibility rule needs that the partner registry does not hold.
* ``readiness_answers_save`` — a partner's users save their answers to the eligibility
  questions; the audit event keeps the answers, every input of the rule and its decision, so
  the check can be reproduced later.
* ``membership_grant`` / ``membership_transition`` — CBP's Trade Compliance membership.
* ``application_*`` — the application: a company officer starts it (when the readiness check
  allows), the company's users fill it in, the officer signs the MOU and submits; CBP assigns a
  National Account Manager, who asks for information (as many rounds as needed) and approves
  (granting the membership) or denies. One NAM owns a review: a NAM takes up only an unassigned
  application, and only a program admin re-assigns one (a NAM not assigned cannot act on it).
  Eligibility is decided again at submission and at approval, and approval refuses IOR numbers
  deactivated since the company chose them. Each step is a row of the application's timeline
  (``ApplicationStep``) and an audit event; the people concerned are notified.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils import timezone

from ctpat.accounts import roles
from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.services import audit_record, service, snapshot
from ctpat.partners.choices import IdentifierKind
from ctpat.partners.models import Partner, PartnerIdentifier

from . import loading, questionset, rules, selectors
from .choices import MembershipOrigin
from .choices import MembershipStatus as MembershipStatusTC
from .models import (
    AccountNumberSequence,
    Question,
    QuestionnaireSection,
    QuestionnaireVersion,
    ReadinessAnswers,
    TradeComplianceMembership,
    TradeComplianceProfile,
)

PROFILE_FIELDS = ("import_history_start", "has_cbp_debt", "is_non_resident_canadian")
# Not a program rule, a typing guard: import history may well predate CTPAT (2001), but a date
# like 0202-01-01 is a typo.
EARLIEST_IMPORT_HISTORY_START = dt.date(1900, 1, 1)


def _is_own(actor, partner: Partner) -> bool:
    return bool(getattr(actor, "organization_id", None)) and (
        actor.organization_id == partner.organization_id
    )


# --- Questionnaire versions ----------------------------------------------------------------------


def _stored_question_set(version: QuestionnaireVersion) -> questionset.QuestionSet:
    """A published version read back as a question set (for comparisons and downloads)."""
    sections = []
    for section in selectors.questionnaire_sections(version):
        questions = tuple(
            questionset.QuestionSpec(
                code=q.code,
                number=q.number,
                text=q.text,
                answer_type=q.answer_type,
                required=q.required,
                help=q.help_text,
                source=q.source,
                confidence=q.confidence,
                msc_criteria=tuple(q.msc_criteria),
            )
            for q in section.questions.all()
        )
        sections.append(
            questionset.SectionSpec(
                key=section.key,
                title=section.title,
                guidance=section.guidance,
                sources=tuple(section.sources),
                questions=questions,
            )
        )
    return questionset.QuestionSet(
        label=version.label, notes=version.notes, sections=tuple(sections)
    )


def questionnaire_as_question_set(version: QuestionnaireVersion) -> questionset.QuestionSet:
    return _stored_question_set(version)


@service
def questionnaire_version_publish(
    *, actor, question_set: questionset.QuestionSet, source: str = ""
) -> QuestionnaireVersion:
    """Publish ``question_set`` as the next questionnaire version (the current one from now on).

    Earlier versions stay as they were: an application records the version it answers and
    keeps it unless CBP asks it to move to the new one.
    """
    if actor is not None and not roles.has_perm(actor, "tradecompliance.questionnaire_publish"):
        raise PermissionDeniedError("Only a CBP program admin can publish questionnaire versions.")
    # Lock the newest version so two publications cannot take the same number.
    latest = QuestionnaireVersion.objects.select_for_update().order_by("-number").first()
    if latest is not None and _stored_question_set(latest).content() == question_set.content():
        raise ConflictError(
            f"These questions are the same as version {latest.number}'s: nothing to publish.",
            code="no_changes",
        )
    number = (latest.number if latest is not None else 0) + 1
    user = actor if getattr(actor, "is_authenticated", False) else None
    version, count = loading.write_version(
        version_model=QuestionnaireVersion,
        section_model=QuestionnaireSection,
        question_model=Question,
        question_set=question_set,
        number=number,
        source=source[: questionset.SOURCE_MAX_LENGTH],
        published_at=timezone.now(),
        published_by=user,
    )
    previous_codes = (
        set(Question.objects.filter(version=latest).values_list("code", flat=True))
        if latest is not None
        else set()
    )
    codes = {q.code for q in question_set.questions()}
    audit_record(
        actor=actor,
        action="tradecompliance.questionnaire_publish",
        obj=version,
        before={"number": latest.number, "label": latest.label} if latest is not None else None,
        after={
            "number": number,
            "label": version.label,
            "questions": count,
            "added": sorted(codes - previous_codes),
            "removed": sorted(previous_codes - codes),
            "source": version.source,
        },
        reason=question_set.notes[:2000],
    )
    return version


# --- The company's facts -------------------------------------------------------------------------


def can_change_profile(actor, partner: Partner) -> bool:
    if actor is None:
        return True
    if roles.has_perm(actor, "tradecompliance.profile_change_any"):
        return True
    return roles.has_perm(actor, "tradecompliance.profile_change_own") and _is_own(actor, partner)


@service
def tc_profile_update(
    *,
    actor,
    partner: Partner,
    import_history_start: dt.date | None,
    has_cbp_debt: bool | None,
    is_non_resident_canadian: bool,
    reason: str = "",
) -> TradeComplianceProfile:
    """Record the company's Trade Compliance facts (self-declared by its officer, or by CBP)."""
    if not can_change_profile(actor, partner):
        raise PermissionDeniedError("You cannot change this company's Trade Compliance facts.")
    today = timezone.localdate()
    if import_history_start is not None and not (
        EARLIEST_IMPORT_HISTORY_START <= import_history_start <= today
    ):
        message = "The first import cannot be in the future."
        if import_history_start < EARLIEST_IMPORT_HISTORY_START:
            message = f"Give a date after {EARLIEST_IMPORT_HISTORY_START.isoformat()}."
        raise DomainError(message, code="invalid_date", fields={"import_history_start": [message]})
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    profile = TradeComplianceProfile.objects.filter(partner=partner).first()
    before = snapshot(profile, PROFILE_FIELDS)
    if profile is None:
        profile = TradeComplianceProfile(partner=partner)
    by_cbp = _records_for_cbp(actor)
    new_values = {
        "import_history_start": import_history_start,
        "has_cbp_debt": has_cbp_debt,
    }
    changed = [f for f, v in new_values.items() if getattr(profile, f) != v]
    if not by_cbp:
        # What CBP recorded takes precedence: the company disputes it, it does not overwrite it.
        locked = [f for f in changed if profile.recorded_by_cbp(f)]
        if locked:
            fields = {
                f: [
                    f"CBP recorded {rules.CBP_RECORDABLE_FACTS[f]}; only CBP can change it. "
                    "If it is wrong, dispute it with a note."
                ]
                for f in locked
            }
            raise DomainError(
                " ".join(m for ms in fields.values() for m in ms),
                code="cbp_recorded",
                fields=fields,
            )
    profile.import_history_start = import_history_start
    profile.has_cbp_debt = has_cbp_debt
    profile.is_non_resident_canadian = bool(is_non_resident_canadian)
    after = snapshot(profile, PROFILE_FIELDS)
    if before == after:
        raise DomainError("Nothing changed.", code="no_changes")
    recorded_before = list(profile.cbp_recorded_facts or [])
    if by_cbp:
        profile.cbp_recorded_facts = sorted(set(recorded_before) | set(changed))
    profile.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    profile.save()
    audit_record(
        actor=actor,
        action="tradecompliance.profile_update",
        obj=profile,
        organization=partner.organization,
        before=_with_recorded(before, recorded_before, profile.cbp_recorded_facts),
        after=_with_recorded(after, list(profile.cbp_recorded_facts), recorded_before),
        reason=reason
        or ("Self-declared by the company." if _is_own(actor, partner) else "Recorded by CBP."),
    )
    return profile


def _with_recorded(values: dict | None, recorded: list, other: list) -> dict | None:
    """An audit snapshot, with the CBP-recorded facts when this change moved them."""
    if sorted(recorded) == sorted(other):
        return values
    return {**(values or {}), "cbp_recorded_facts": recorded}


def _records_for_cbp(actor) -> bool:
    """Whether ``actor`` records facts as CBP (a CBP role that changes any company's facts)."""
    return actor is not None and roles.has_perm(actor, "tradecompliance.profile_change_any")


# The longest note a company gives when it disputes a fact CBP recorded.
DISPUTE_NOTE_MAX_LENGTH = 2000


@service
def tc_profile_cbp_fact_clear(
    *, actor, partner: Partner, fact: str, reason: str
) -> TradeComplianceProfile:
    """CBP clears its record of ``fact`` (the value stays until the company states it again):
    only CBP can undo what CBP recorded."""
    if not _records_for_cbp(actor):
        raise PermissionDeniedError("Only CBP can clear a fact CBP recorded.")
    if fact not in rules.CBP_RECORDABLE_FACTS:
        raise DomainError(f"Not a fact CBP records: {fact}.", code="unknown_fact")
    reason = _clean_optional_text(
        reason, field="reason", label="The reason", max_length=DISPUTE_NOTE_MAX_LENGTH
    )
    if not reason:
        raise DomainError(
            "Give the reason for clearing CBP's record.",
            code="reason_required",
            fields={"reason": ["Give the reason."]},
        )
    Partner.objects.select_for_update().get(pk=partner.pk)
    profile = TradeComplianceProfile.objects.filter(partner=partner).first()
    if profile is None or not profile.recorded_by_cbp(fact):
        raise ConflictError(
            f"CBP has not recorded {rules.CBP_RECORDABLE_FACTS[fact]}.", code="not_recorded"
        )
    before = list(profile.cbp_recorded_facts)
    profile.cbp_recorded_facts = [f for f in before if f != fact]
    if not profile.cbp_recorded_facts:
        profile.dispute_note, profile.disputed_at, profile.disputed_by = "", None, None
    profile.save()
    audit_record(
        actor=actor,
        action="tradecompliance.profile_cbp_fact_clear",
        obj=profile,
        organization=partner.organization,
        before={"cbp_recorded_facts": before},
        after={"cbp_recorded_facts": list(profile.cbp_recorded_facts)},
        reason=reason,
    )
    return profile


@service
def tc_profile_dispute(*, actor, partner: Partner, note: str) -> TradeComplianceProfile:
    """The company's officer disputes the facts CBP recorded, with a note; CBP is told (the
    application's NAM, else every NAM). The facts stay as CBP recorded them."""
    if not (
        actor is not None
        and roles.has_perm(actor, "tradecompliance.profile_change_own")
        and _is_own(actor, partner)
    ):
        raise PermissionDeniedError("Only the company's officer can dispute CBP's record.")
    note = _clean_optional_text(
        note, field="note", label="The note", max_length=DISPUTE_NOTE_MAX_LENGTH
    )
    if not note:
        raise DomainError(
            "Say what is wrong with CBP's record and why.",
            code="note_required",
            fields={"note": ["Say what is wrong and why."]},
        )
    Partner.objects.select_for_update().get(pk=partner.pk)
    profile = TradeComplianceProfile.objects.filter(partner=partner).first()
    if profile is None or not profile.cbp_recorded_facts:
        raise ConflictError("CBP has recorded none of the company's facts.", code="not_recorded")
    before = {"dispute_note": profile.dispute_note}
    profile.dispute_note = note
    profile.disputed_at = timezone.now()
    profile.disputed_by = actor
    profile.save()
    facts = [rules.CBP_RECORDABLE_FACTS[f] for f in profile.cbp_recorded_facts]
    audit_record(
        actor=actor,
        action="tradecompliance.profile_dispute",
        obj=profile,
        organization=partner.organization,
        before=before,
        after={"dispute_note": note, "disputed_facts": list(profile.cbp_recorded_facts)},
        reason=note,
    )
    from .models import Application

    application = (
        Application.objects.filter(partner=partner, status__in=rules.OPEN_STATUSES)
        .select_related("assigned_nam")
        .first()
    )
    recipients = (
        [application.assigned_nam]
        if application is not None and application.assigned_nam_id
        else list(selectors.nam_users())
    )
    from django.urls import reverse

    from ctpat.notifications.constants import TITLE_MAX_LENGTH as NOTIFICATION_TITLE_MAX_LENGTH
    from ctpat.notifications.services import notification_send

    recipients = [r for r in recipients if r is not None and r.is_active]
    if recipients:
        notification_send(
            actor=actor,
            recipients=recipients,
            kind="tc_profile_disputed",
            title=f"{partner.name} disputes CBP's record"[:NOTIFICATION_TITLE_MAX_LENGTH],
            body=f"{partner.name} disputes what CBP recorded ({'; '.join(facts)}): {note}",
            link=reverse(
                "tradecompliance:readiness_partner", kwargs={"partner_id": partner.public_id}
            ),
            email=True,
        )
    return profile


# --- Readiness answers ---------------------------------------------------------------------------


@service
def readiness_answers_save(
    *,
    actor,
    partner: Partner,
    version: QuestionnaireVersion,
    answers: Mapping[str, bool | None],
    today: dt.date | None = None,
) -> ReadinessAnswers:
    """Save the company's answers to ``version``'s eligibility questions (question code → yes
    True / no False / unanswered None) and record the readiness check they give."""
    if actor is not None and not (
        roles.has_perm(actor, "tradecompliance.readiness_own") and _is_own(actor, partner)
    ):
        raise PermissionDeniedError("Only the company's own users can answer for it.")
    questions = selectors.eligibility_questions(version)
    known = {q.code for q in questions}
    unknown = sorted(str(code) for code in answers if code not in known)
    if unknown:
        raise DomainError(
            f"Not eligibility questions of version {version.number}: {', '.join(unknown)}.",
            code="unknown_questions",
            fields={"answers": [f"Unknown question code {code}." for code in unknown]},
        )
    not_boolean = sorted(
        code for code, value in answers.items() if value is not None and not isinstance(value, bool)
    )
    if not_boolean:
        raise DomainError(
            "Answer each question with true (Yes), false (No) or null (not answered).",
            code="invalid_answer",
            fields={"answers": [f"{code}: not a yes/no answer." for code in not_boolean]},
        )
    clean = {q.code: answers[q.code] for q in questions if isinstance(answers.get(q.code), bool)}
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    record = ReadinessAnswers.objects.filter(partner=partner).select_related("version").first()
    before = (
        {"version": record.version.number, "answers": dict(record.answers)}
        if record is not None
        else None
    )
    if record is None:
        record = ReadinessAnswers(partner=partner)
    record.version = version
    record.answers = clean
    record.answered_by = actor if getattr(actor, "is_authenticated", False) else None
    record.save()
    profile = selectors.profile_for(partner)
    inputs = selectors.eligibility_inputs(
        partner,
        profile=profile,
        questions=questions,
        answers=clean,
        today=today or timezone.localdate(),
    )
    decision = rules.eligibility(**inputs)
    audit_record(
        actor=actor,
        action="tradecompliance.readiness_check",
        obj=record,
        organization=partner.organization,
        before=before,
        after={
            "version": version.number,
            "answers": clean,
            "inputs": selectors.inputs_as_data(inputs),
            "decision": selectors.decision_as_data(decision),
        },
    )
    return record


# --- Trade Compliance membership -----------------------------------------------------------------

MEMBERSHIP_FIELDS = ("account_number", "accepted_on", "origin", "status", "suspended_on")


def _require_membership_manager(actor) -> None:
    if actor is not None and not roles.has_perm(actor, "tradecompliance.membership_manage"):
        raise PermissionDeniedError(
            "Only a CBP program admin or National Account Manager manages Trade Compliance "
            "memberships."
        )


def _next_account_numbers(count: int) -> list[str]:
    # One locked counter row serialises concurrent grants (created by migration 0006).
    sequence, _ = AccountNumberSequence.objects.select_for_update().get_or_create(pk=1)
    first = sequence.last + 1
    sequence.last += count
    sequence.save(update_fields=["last"])
    return [rules.account_number(n) for n in range(first, first + count)]


def _ior_identifiers(partner: Partner, ior_values: Iterable[str], active_iors: dict):
    """The partner's active IOR identifiers for ``ior_values`` (``active_iors``: value -> the
    partner's active IOR identifier); an unknown one is an error."""
    wanted = [v.strip() for v in ior_values if v and v.strip()]
    if not wanted:
        raise DomainError(
            "Select at least one Importer of Record number for the membership.",
            code="ior_required",
            fields={"ior_numbers": ["Select at least one Importer of Record number."]},
        )
    missing = [v for v in wanted if v not in active_iors]
    if missing:
        raise DomainError(
            f"{partner.name} has no active Importer of Record number {', '.join(missing)}.",
            code="unknown_ior",
            fields={"ior_numbers": [f"Not an IOR number of this company: {', '.join(missing)}."]},
        )
    return [active_iors[v] for v in dict.fromkeys(wanted)]


def _active_iors(partner: Partner) -> dict:
    return {i.value: i for i in partner.identifiers.filter(kind=IdentifierKind.IOR, is_active=True)}


def _refuse_held_iors(grants, chosen, partners) -> None:
    """One IOR number, one membership in force: refuse a grant covering a number another
    company's membership holds, or that two grants of the batch share. The identifiers
    carrying these numbers (every company's) are locked first, so two approvals at once
    cannot both take the same number."""
    values = sorted({i.value for iors in chosen for i in iors})
    list(
        PartnerIdentifier.objects.select_for_update()
        .filter(kind=IdentifierKind.IOR, value__in=values)
        .values_list("pk", flat=True)
    )
    in_force = selectors.ior_claims_in_force(values)
    problems = []
    claimed: dict[str, Partner] = {}
    for grant, iors in zip(grants, chosen, strict=True):
        partner = partners[grant.partner.pk]
        mine = {i.value for i in iors}
        for claim in in_force:
            if claim.value not in mine or claim.partner.pk == partner.pk:
                continue
            problems.append(
                f"{partner.name}: IOR number {claim.display_value} is already covered by "
                f"Trade Compliance membership {claim.membership.account_number} of "
                f"{claim.partner.name}."
            )
        for identifier in iors:
            other = claimed.setdefault(identifier.value, partner)
            if other.pk != partner.pk:
                problems.append(
                    f"{partner.name}: IOR number {identifier.display_value} is also granted to "
                    f"{other.name} in the same batch."
                )
    if problems:
        raise ConflictError(
            " ".join(problems) + " One IOR number can be covered by one membership at a time.",
            code="ior_held",
            fields={"ior_numbers": problems},
        )


@dataclass(frozen=True)
class Grant:
    """One company to make a Trade Compliance member (``membership_grant_many``)."""

    partner: Partner
    accepted_on: dt.date
    ior_numbers: tuple[str, ...]
    notes: str = ""


@service
def membership_grant(
    *,
    actor,
    partner: Partner,
    accepted_on: dt.date,
    origin: str,
    ior_numbers: Iterable[str],
    notes: str = "",
) -> TradeComplianceMembership:
    """Make ``partner`` a Trade Compliance member with the next account number."""
    grant = Grant(partner, accepted_on, tuple(ior_numbers), notes)
    return membership_grant_many(actor=actor, grants=[grant], origin=origin)[0]


@service
def membership_grant_many(
    *, actor, grants: Sequence[Grant], origin: str
) -> list[TradeComplianceMembership]:
    """Make every company in ``grants`` a Trade Compliance member, all or none, with account
    numbers in the order given: a fixed number of queries for the lot (the pilot migration grants
    thousands at once) plus one audit event per membership."""
    _require_membership_manager(actor)
    if origin not in MembershipOrigin.values:
        raise DomainError(f"Unknown membership origin: {origin}.", code="invalid_origin")
    if not grants:
        return []
    today = timezone.localdate()
    if any(g.accepted_on > today for g in grants):
        raise DomainError(
            "The acceptance date cannot be in the future.",
            code="future_date",
            fields={"accepted_on": ["The acceptance date cannot be in the future."]},
        )
    ids = [g.partner.pk for g in grants]
    if len(set(ids)) != len(ids):
        raise DomainError("A company can be granted one membership only.", code="duplicate_partner")
    partners = Partner.objects.select_for_update().select_related("organization").in_bulk(ids)
    members = set(
        TradeComplianceMembership.objects.filter(partner_id__in=ids).values_list(
            "partner_id", flat=True
        )
    )
    if members:
        names = ", ".join(sorted(partners[pk].name for pk in members))
        raise ConflictError(f"{names}: already a Trade Compliance member.", code="already_member")
    active_iors: dict[int, dict] = {pk: {} for pk in ids}
    for identifier in PartnerIdentifier.objects.filter(
        partner_id__in=ids, kind=IdentifierKind.IOR, is_active=True
    ):
        active_iors[identifier.partner_id][identifier.value] = identifier
    chosen = [
        _ior_identifiers(partners[g.partner.pk], g.ior_numbers, active_iors[g.partner.pk])
        for g in grants
    ]
    _refuse_held_iors(grants, chosen, partners)
    granted_by = actor if getattr(actor, "is_authenticated", False) else None
    memberships = [
        TradeComplianceMembership(
            partner=partners[g.partner.pk],
            account_number=number,
            accepted_on=g.accepted_on,
            origin=origin,
            status_changed_on=g.accepted_on,
            granted_by=granted_by,
            notes=g.notes.strip(),
        )
        for g, number in zip(grants, _next_account_numbers(len(grants)), strict=True)
    ]
    TradeComplianceMembership.objects.bulk_create(memberships)
    through = TradeComplianceMembership.ior_numbers.through
    through.objects.bulk_create(
        through(tradecompliancemembership_id=m.pk, partneridentifier_id=i.pk)
        for m, iors in zip(memberships, chosen, strict=True)
        for i in iors
    )
    obligations = _forced_labor_obligations_open(memberships)
    for membership, iors in zip(memberships, chosen, strict=True):
        obligation = obligations.get(membership.pk)
        audit_record(
            actor=actor,
            action="tradecompliance.membership_grant",
            obj=membership,
            organization=membership.partner.organization,
            after={
                **snapshot(membership, MEMBERSHIP_FIELDS),
                "ior_numbers": [i.display_value for i in iors],
                # Accepted before the cut-off (DOMAIN.md §7.4): the requirements are owed.
                "forced_labor_obligation": obligation.public_id if obligation else "",
            },
        )
    return memberships


def _forced_labor_obligations_open(memberships) -> dict:
    """An open forced-labor obligation for each membership accepted before the cut-off
    (``rules.forced_labor_obligation_applies``); {membership pk: obligation}."""
    from ctpat.core.ids import new_public_id

    from .models import ForcedLaborObligation

    cutoff = selectors.forced_labor_cutoff()
    obligations = [
        ForcedLaborObligation(public_id=new_public_id("TFL"), membership=m)
        for m in memberships
        if rules.forced_labor_obligation_applies(m.accepted_on, cutoff=cutoff)
    ]
    ForcedLaborObligation.objects.bulk_create(obligations)
    return {o.membership_id: o for o in obligations}


@service
def membership_transition(
    *,
    actor,
    membership: TradeComplianceMembership,
    target: str,
    reason: str,
    effective_date: dt.date | None = None,
) -> TradeComplianceMembership:
    """Suspend, reinstate, remove or withdraw a Trade Compliance membership (with a reason)."""
    _require_membership_manager(actor)
    membership = TradeComplianceMembership.objects.select_for_update().get(pk=membership.pk)
    today = timezone.localdate()
    day = effective_date or today
    if day > today:
        raise DomainError("The date of the change cannot be in the future.", code="future_date")
    decision = rules.tc_transition_decision(
        membership.status,
        target,
        reason=reason or "",
        today=day,
        suspended_on=membership.suspended_on,
    )
    if not decision.allowed:
        error = ConflictError if decision.code == "illegal_transition" else DomainError
        raise error(decision.reason, code=decision.code)
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    membership.status = target
    membership.status_changed_on = day
    membership.suspended_on = day if target == MembershipStatusTC.SUSPENDED else None
    membership.save()
    audit_record(
        actor=actor,
        action="tradecompliance.membership_transition",
        obj=membership,
        organization=membership.partner.organization,
        before=before,
        after=snapshot(membership, MEMBERSHIP_FIELDS),
        reason=reason.strip(),
    )
    return membership


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
    from .models import Application

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
    from .models import ApplicationStep

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


def _clean_required_text(value: str, *, field: str, label: str, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        message = f"{label} is required."
        raise DomainError(message, code="required", fields={field: [message]})
    return _clean_optional_text(text, field=field, label=label, max_length=max_length)


def _clean_optional_text(value: str, *, field: str, label: str, max_length: int) -> str:
    """``value`` stripped, or a ``too_long`` refusal naming the field and the limit: text is
    never cut silently."""
    from ctpat.core.textlimits import too_long_message

    text = (value or "").strip()
    if len(text) > max_length:
        message = too_long_message(label, max_length, len(text))
        raise DomainError(message, code="too_long", fields={field: [message]})
    return text


@service
def application_start(*, actor, partner: Partner, today: dt.date | None = None):
    """A company officer launches the company's Trade Compliance application (DOMAIN.md §2.2:
    "Company Officer → Actions → Launch Trade Compliance"), once the readiness check allows it.
    The eligibility answers of the readiness check are carried into the application."""
    from .models import Application, ApplicationAnswer

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
    from .models import ApplicationAnswer

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

    from .models import ApplicationDocument

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
    from .models import ApplicationAnswer

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
    from .models import ApplicationAnswer

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
    from .models import InformationRequest

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

    from .models import ApplicationAnswer, ApplicationDocument, InformationRequest

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
    from .models import ForcedLaborObligation

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

    from .models import ForcedLaborDocument

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

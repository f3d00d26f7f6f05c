"""Writes for Trade Compliance. Each is one transaction with its audit event.

* ``questionnaire_version_publish`` — a CBP program admin publishes a new question set version.
* ``tc_profile_update`` — the company officer (self-declared) or CBP records the facts the
  eligibility rule needs that the partner registry does not hold.
* ``readiness_answers_save`` — a partner's users save their answers to the eligibility
  questions; the audit event keeps the answers, every input of the rule and its decision, so
  the check can be reproduced later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.utils import timezone

from ctpat.accounts import roles
from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.services import audit_record, service, snapshot
from ctpat.partners.choices import IdentifierKind
from ctpat.partners.models import Partner

from . import loading, questionset, rules, selectors
from .choices import MembershipOrigin
from .choices import MembershipStatus as MembershipStatusTC
from .models import (
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
    profile.import_history_start = import_history_start
    profile.has_cbp_debt = has_cbp_debt
    profile.is_non_resident_canadian = bool(is_non_resident_canadian)
    after = snapshot(profile, PROFILE_FIELDS)
    if before == after:
        raise DomainError("Nothing changed.", code="no_changes")
    profile.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    profile.save()
    audit_record(
        actor=actor,
        action="tradecompliance.profile_update",
        obj=profile,
        organization=partner.organization,
        before=before,
        after=after,
        reason=reason
        or ("Self-declared by the company." if _is_own(actor, partner) else "Recorded by CBP."),
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


def _next_account_number() -> str:
    # Locking every row serialises concurrent grants so two cannot take the same number; the
    # unique constraint on account_number is the backstop.
    numbers = list(
        TradeComplianceMembership.objects.select_for_update().values_list(
            "account_number", flat=True
        )
    )
    prefix = rules.ACCOUNT_NUMBER_PREFIX
    highest = max(
        (
            int(n[len(prefix) :])
            for n in numbers
            if n.startswith(prefix) and n[len(prefix) :].isdigit()
        ),
        default=0,
    )
    return rules.account_number(highest + 1)


def _ior_identifiers(partner: Partner, ior_values: Iterable[str]):
    """The partner's active IOR identifiers for ``ior_values``; an unknown one is an error."""
    wanted = [v.strip() for v in ior_values if v and v.strip()]
    if not wanted:
        raise DomainError(
            "Select at least one Importer of Record number for the membership.",
            code="ior_required",
            fields={"ior_numbers": ["Select at least one Importer of Record number."]},
        )
    found = {
        i.value: i
        for i in partner.identifiers.filter(
            kind=IdentifierKind.IOR, is_active=True, value__in=wanted
        )
    }
    missing = [v for v in wanted if v not in found]
    if missing:
        raise DomainError(
            f"{partner.name} has no active Importer of Record number {', '.join(missing)}.",
            code="unknown_ior",
            fields={"ior_numbers": [f"Not an IOR number of this company: {', '.join(missing)}."]},
        )
    return [found[v] for v in dict.fromkeys(wanted)]


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
    _require_membership_manager(actor)
    if origin not in MembershipOrigin.values:
        raise DomainError(f"Unknown membership origin: {origin}.", code="invalid_origin")
    if accepted_on > timezone.localdate():
        raise DomainError(
            "The acceptance date cannot be in the future.",
            code="future_date",
            fields={"accepted_on": ["The acceptance date cannot be in the future."]},
        )
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if TradeComplianceMembership.objects.filter(partner=partner).exists():
        raise ConflictError(
            f"{partner.name} is already a Trade Compliance member.", code="already_member"
        )
    iors = _ior_identifiers(partner, ior_numbers)
    membership = TradeComplianceMembership(
        partner=partner,
        account_number=_next_account_number(),
        accepted_on=accepted_on,
        origin=origin,
        status_changed_on=accepted_on,
        granted_by=actor if getattr(actor, "is_authenticated", False) else None,
        notes=notes.strip(),
    )
    membership.save()
    membership.ior_numbers.set(iors)
    audit_record(
        actor=actor,
        action="tradecompliance.membership_grant",
        obj=membership,
        organization=partner.organization,
        after={
            **snapshot(membership, MEMBERSHIP_FIELDS),
            "ior_numbers": [i.display_value for i in iors],
        },
    )
    return membership


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

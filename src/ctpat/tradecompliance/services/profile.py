"""The company's facts (``tc_profile_*``) and its readiness answers
(``readiness_answers_save``): the inputs of the eligibility rule that the partner registry
does not hold. The readiness audit event keeps every input of the rule and its decision, so
the check can be reproduced later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.utils import timezone

from ctpat.accounts import roles
from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.services import audit_record, service, snapshot
from ctpat.partners.models import Partner

from .. import rules, selectors
from ..models import (
    QuestionnaireVersion,
    ReadinessAnswers,
    TradeComplianceProfile,
)
from ._shared import _clean_optional_text, _is_own

PROFILE_FIELDS = ("import_history_start", "has_cbp_debt", "is_non_resident_canadian")
# Not a program rule, a typing guard: import history may well predate CTPAT (2001), but a date
# like 0202-01-01 is a typo.
EARLIEST_IMPORT_HISTORY_START = dt.date(1900, 1, 1)


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
    from ..models import Application

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

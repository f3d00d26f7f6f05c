"""What the enforcement app does when a partner's membership status changes.

``partners.services.partner_transition`` calls ``status_changed`` inside its own transaction
(the service's audit scope): a suspension opens a case with its letter and required actions; a
move out of suspension closes the open case; the company's officers are told when asked.
"""

from __future__ import annotations

from django.urls import reverse

from ctpat.core.errors import DomainError
from ctpat.core.services import audit_record
from ctpat.partners import rules as partner_rules
from ctpat.partners.choices import MembershipStatus as S
from ctpat.partners.conf import enforcement_policy

from . import notify as notices
from . import selectors
from .choices import OTHER_ACTIONS, CaseState, RequiredAction
from .models import TEXT_MAX_LENGTH, SuspensionCase

CLOSING_STATE = {S.REMOVED: CaseState.REMOVED, S.WITHDRAWN: CaseState.WITHDRAWN}


def clean_terms(terms: dict | None) -> tuple[list[str], str]:
    """The required actions of a suspension, checked: (checklist codes, free text)."""
    terms = terms or {}
    codes = list(dict.fromkeys(terms.get("required_actions") or []))
    unknown = [c for c in codes if c not in RequiredAction.values]
    if unknown:
        message = f"These are not required actions CBP can pick: {', '.join(unknown)}."
        raise DomainError(
            message, code="invalid_required_action", fields={"required_actions": [message]}
        )
    other = (terms.get(OTHER_ACTIONS) or "").strip()
    if len(other) > TEXT_MAX_LENGTH:
        message = (
            f"The other required actions are {len(other):,} characters long; the limit is "
            f"{TEXT_MAX_LENGTH:,}. Nothing was saved."
        )
        raise DomainError(message, code="too_long", fields={OTHER_ACTIONS: [message]})
    return [RequiredAction(c).value for c in codes], other


def case_link(case: SuspensionCase) -> str:
    return reverse("enforcement:case_detail", kwargs={"case_id": case.public_id})


def _case_snapshot(case: SuspensionCase) -> dict:
    return {
        "partner": case.partner.public_id,
        "state": case.state,
        "suspended_on": case.suspended_on.isoformat(),
        "response_due": case.response_due.isoformat(),
        "required_actions": case.required_actions,
        "false_information": case.false_information,
    }


def _open_case(*, actor, partner, change, false_information, suspension_terms):
    codes, other = clean_terms(suspension_terms)
    if suspension_terms is None and change.from_status == S.REMOVED:
        # A removal reversed on appeal goes back to the suspension it ended, with its terms.
        last = partner.suspension_cases.order_by("-suspended_on", "-id").first()
        if last is not None:
            codes, other = list(last.required_actions), last.other_actions
            false_information = false_information or last.false_information
    policy = enforcement_policy()
    case = SuspensionCase(
        partner=partner,
        status_change=change,
        suspended_on=change.effective_date,
        response_due=partner_rules.suspension_response_deadline(
            change.effective_date, policy.response_days
        ),
        letter=change.reason,
        required_actions=codes,
        other_actions=other,
        false_information=bool(false_information),
        status_before_suspension=partner.status_before_suspension,
        opened_by=change.actor,
    )
    case.save()
    audit_record(
        actor=actor,
        action="enforcement.case_open",
        obj=case,
        organization=partner.organization,
        after=_case_snapshot(case),
        reason=change.reason,
    )
    return case


def _close_case(*, actor, partner, change):
    case = selectors.open_case_for(partner)
    if case is None:
        return None
    case = SuspensionCase.objects.select_for_update().get(pk=case.pk)
    before = _case_snapshot(case)
    case.state = CLOSING_STATE.get(change.to_status, CaseState.REINSTATED)
    case.closed_on = change.effective_date
    case.closing_change = change
    case.save()
    audit_record(
        actor=actor,
        action="enforcement.case_close",
        obj=case,
        organization=partner.organization,
        before=before,
        after=_case_snapshot(case),
        reason=change.reason,
    )
    return case


def _notify(actor, partner, change, case) -> None:
    link = (
        case_link(case)
        if case is not None
        else reverse("partners:status_history", kwargs={"partner_id": partner.public_id})
    )
    target = change.to_status
    if target == S.SUSPENDED:
        title = "Your CTPAT membership is suspended"
        body = (
            f"{change.reason}\n\nRead the letter and the required actions and answer by "
            f"{case.response_due.isoformat()}."
        )
    elif target == S.REMOVED:
        title = (
            "Your company is removed from CTPAT with immediate effect"
            if change.immediate
            else "Your company is removed from CTPAT"
        )
        body = change.reason
    elif target == S.WITHDRAWN:
        title = "Your CTPAT membership is withdrawn"
        body = change.reason
    elif change.from_status in (S.SUSPENDED, S.REMOVED) and target in partner_rules.TIER_BY_STATUS:
        title = f"Your CTPAT membership is reinstated ({partner.get_status_display()})"
        body = change.reason
    else:
        title = f"Your CTPAT membership status is now {partner.get_status_display()}"
        body = change.reason
    notices.send(
        actor,
        notices.officers(partner),
        kind="enforcement.status_changed",
        title=title,
        body=body,
        link=link,
        key=f"status-change:{partner.public_id}:{change.pk}",
    )


def status_changed(*, actor, partner, change, false_information, suspension_terms, notify):
    case = None
    if change.from_status == S.SUSPENDED and change.to_status != S.SUSPENDED:
        case = _close_case(actor=actor, partner=partner, change=change)
    if change.to_status == S.SUSPENDED:
        case = _open_case(
            actor=actor,
            partner=partner,
            change=change,
            false_information=false_information,
            suspension_terms=suspension_terms,
        )
    elif suspension_terms:
        raise DomainError(
            "Required actions go with a suspension only.", code="terms_without_suspension"
        )
    if notify:
        _notify(actor, partner, change, case)

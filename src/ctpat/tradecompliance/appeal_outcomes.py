"""What an appeal decision (6 U.S.C. 967(c)) does to Trade Compliance records.

``ctpat.enforcement.services.appeal_decide`` calls these inside its own transaction once a CBP
program admin decided an appeal of a Trade Compliance decision (the enforcement app owns the
appeal; this module owns the Trade Compliance writes):

* a denied application, **reversed** → approved through ``services.application_approve`` (the
  eligibility rule is decided again, the membership is granted with an account number); the
  denial is first set aside (denied → under review, an appeal-only move);
* a denied application, **modified** → back under review with the assigned National Account
  Manager, the decider's reason recorded on the timeline as instructions;
* a suspended membership, reversed or modified → active through ``services.
  membership_transition`` (the ordinary reinstatement);
* a removed membership → active (reversed) or suspended again from the decision day
  (modified): appeal-only moves (``APPEAL_MEMBERSHIP_TRANSITIONS``), since the ordinary state
  machine ends at removal.

Each is a service with its own audit event; permissions are checked here too (a program admin).
Source: 6 U.S.C. 967(c) — a member may appeal a denial or revocation of benefits (DOMAIN.md §7.1).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ctpat.accounts import roles
from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.services import audit_record, service, snapshot

from . import selectors, services
from .choices import ApplicationStatus, ApplicationStepKind
from .choices import MembershipStatus as M
from .models import Application, TradeComplianceMembership

# The only moves an appeal decision may make on a Trade Compliance membership (an appeal
# restores, it does not punish): a suspension is lifted; a removal is lifted, or replaced by a
# suspension (modified). Nothing else — see the ordinary ``rules.TC_LEGAL_TRANSITIONS``.
APPEAL_MEMBERSHIP_TRANSITIONS: dict[str, tuple[str, ...]] = {
    M.SUSPENDED: (M.ACTIVE,),
    M.REMOVED: (M.ACTIVE, M.SUSPENDED),
}
# A reversed decision restores active membership (suspension only from active; removal only
# from suspension of an active member: TC_LEGAL_TRANSITIONS).
REVERSED_MEMBERSHIP_STATUS = M.ACTIVE


def _require_decider(actor) -> None:
    if actor is not None and not roles.has_perm(actor, "appeal.decide"):
        raise PermissionDeniedError("Only a CBP program admin decides appeals.")


def membership_appeal_targets(status: str) -> list[str]:
    """The statuses an appeal decision may give a membership now ``status`` (none if it is
    neither suspended nor removed)."""
    return list(APPEAL_MEMBERSHIP_TRANSITIONS.get(status, ()))


@service
def membership_appeal_restore(
    *, actor, membership: TradeComplianceMembership, target: str, appeal_id: str, reason: str
) -> TradeComplianceMembership:
    """Give a suspended or removed membership the status an appeal decision sets."""
    _require_decider(actor)
    membership = TradeComplianceMembership.objects.select_for_update().get(pk=membership.pk)
    allowed = membership_appeal_targets(membership.status)
    if target not in allowed:
        names = ", ".join(str(M(s).label).lower() for s in allowed) or "nothing"
        message = (
            f"An appeal decision cannot make a {membership.get_status_display().lower()} Trade "
            f"Compliance membership {str(dict(M.choices).get(target, target)).lower()}; it can "
            f"set: {names}."
        )
        raise DomainError(
            message, code="appeal_target_not_allowed", fields={"resulting_status": [message]}
        )
    note = f"Appeal {appeal_id}: {reason.strip()}"
    if membership.status == M.SUSPENDED:
        # The ordinary reinstatement (suspended → active) is legal: use it.
        return services.membership_transition(
            actor=actor, membership=membership, target=target, reason=note
        )
    # A removed membership gave up its IOR numbers; if another company's membership took one
    # since, restoring both would put one IOR number under two memberships.
    held = selectors.ior_holders(
        membership.ior_numbers.values_list("value", flat=True),
        exclude_partner_id=membership.partner_id,
    )
    if held:
        taken = "; ".join(
            f"{c.display_value} by {c.membership.account_number} ({c.partner.name})"
            for c in held.values()
        )
        raise ConflictError(
            f"Another membership now covers this membership's IOR numbers ({taken}); one IOR "
            "number can be covered by one membership at a time. Resolve that first, or decide "
            "the appeal otherwise.",
            code="ior_held",
        )
    before = snapshot(membership, services.MEMBERSHIP_FIELDS)
    today = timezone.localdate()
    membership.status = target
    membership.status_changed_on = today
    # Suspended again from the decision day: the 90-day response window runs from it.
    membership.suspended_on = today if target == M.SUSPENDED else None
    membership.save()
    audit_record(
        actor=actor,
        action="tradecompliance.membership_appeal_restore",
        obj=membership,
        organization=membership.partner.organization,
        before=before,
        after={**snapshot(membership, services.MEMBERSHIP_FIELDS), "appeal": appeal_id},
        reason=note,
    )
    return membership


def _reopenable(application: Application) -> None:
    """Refuse to set a denial aside when the company has moved on (conflicts, with reasons)."""
    if application.status != ApplicationStatus.DENIED:
        raise ConflictError(
            f"The application is {application.get_status_display().lower()}, not denied, so the "
            "appeal cannot change it; uphold the appeal with a reason.",
            code="decision_superseded",
        )
    newer = selectors.application_open_for(application.partner)
    if newer is not None and newer.pk != application.pk:
        raise ConflictError(
            f"The company has another open application ({newer.public_id}), so the denied one "
            "cannot be reopened; uphold the appeal with a reason, or let the company withdraw "
            "the other application first.",
            code="decision_superseded",
        )
    if TradeComplianceMembership.objects.filter(partner=application.partner).exists():
        raise ConflictError(
            "The company is already a Trade Compliance member, so the denied application "
            "cannot be reopened; uphold the appeal with a reason.",
            code="decision_superseded",
        )


def _appeal_note(prefix: str, appeal_id: str, reason: str) -> str:
    """A timeline / decision note that names the appeal; the decider's full reasons stay on the
    appeal itself, so a note that would be too long points there instead of being cut."""
    note = f"{prefix} {appeal_id}: {reason.strip()}"
    if len(note) <= services.DECISION_REASON_MAX_LENGTH:
        return note
    return f"{prefix} {appeal_id}; the decider's reasons are on the appeal."


def _set_denial_aside(
    application: Application, *, actor, appeal_id: str, reason: str, note: str = ""
) -> None:
    """denied → under review (appeal-only: the ordinary machine ends at a denial), with a
    "denial set aside on appeal" step on the timeline."""
    _reopenable(application)
    application.status = ApplicationStatus.UNDER_REVIEW
    application.decided_at = None
    application.save()
    services._record_step(
        application,
        actor=actor,
        kind=ApplicationStepKind.REOPENED_ON_APPEAL,
        before=ApplicationStatus.DENIED,
        note=note or _appeal_note("Denial set aside on appeal", appeal_id, reason),
    )
    audit_record(
        actor=actor,
        action="tradecompliance.application_appeal_reopen",
        obj=application,
        organization=application.partner.organization,
        before={"status": ApplicationStatus.DENIED},
        after={"status": application.status, "appeal": appeal_id},
        reason=reason,
    )


@service
def application_appeal_approve(
    *, actor, application: Application, appeal_id: str, reason: str, today: dt.date | None = None
) -> Application:
    """A denial reversed on appeal: the application is approved through the approval service
    (eligibility decided again, membership granted with an account number, company told)."""
    _require_decider(actor)
    application = services._locked_application(application)
    _set_denial_aside(application, actor=actor, appeal_id=appeal_id, reason=reason)
    return services.application_approve(
        actor=actor,
        application=application,
        today=today,
        notes=_appeal_note("Approved on appeal", appeal_id, reason),
    )


@service
def application_appeal_review_again(
    *, actor, application: Application, appeal_id: str, instructions: str
) -> Application:
    """A denial modified on appeal: the application goes back under review with its National
    Account Manager, the decider's instructions on the timeline; the NAM and company are told."""
    _require_decider(actor)
    application = services._locked_application(application)
    # The denial's reasons stay on the record (and on the timeline's "denied" step).
    nam = application.assigned_nam
    label = (nam.get_full_name() or nam.get_username()) if nam else "the program admins"
    # The review is handed back to its NAM: the timeline says so, with the instructions.
    _set_denial_aside(
        application,
        actor=actor,
        appeal_id=appeal_id,
        reason=instructions,
        note=_appeal_note(f"Back under review ({label}) on appeal", appeal_id, instructions),
    )
    reviewers = [nam] if nam is not None and nam.is_active else _program_admins()
    services._notify(
        actor,
        reviewers,
        kind="tc_application_appeal_review",
        title=f"Review again: {application.partner.name}'s Trade Compliance application",
        body=f"Appeal {appeal_id} set the denial aside. Instructions: {instructions.strip()}",
        application=application,
        key=f"appeal:{appeal_id}:review",
    )
    return application


def _program_admins() -> list:
    from ctpat.accounts.choices import Role
    from ctpat.accounts.models import User

    return list(User.objects.filter(role=Role.CBP_ADMIN, is_active=True))

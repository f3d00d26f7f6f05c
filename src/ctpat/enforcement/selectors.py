"""Reads of suspension cases and appeals; tenant isolation applied here, for pages and API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from ctpat.core.errors import NotFoundError
from ctpat.partners.choices import MembershipStatus
from ctpat.partners.models import Partner, StatusChange

from . import rules
from .choices import (
    OPEN_CASE_STATES,
    AppealBasis,
    AppealState,
    AppealSubject,
    CaseState,
    DecisionKind,
)
from .models import Appeal, AppealDailyRun, EnforcementDocument, SuspensionCase


def case_list(*, viewer, partner: Partner | None = None) -> QuerySet[SuspensionCase]:
    qs = SuspensionCase.objects.restrict(viewer).select_related("partner__organization")
    if partner is not None:
        qs = qs.filter(partner=partner)
    return qs.order_by("-suspended_on", "-id")


def case_get(*, viewer, public_id: str) -> SuspensionCase:
    case = case_list(viewer=viewer).filter(public_id=public_id).first()
    if case is None:
        raise NotFoundError("No such suspension case.")
    return case


def open_case_for(partner: Partner) -> SuspensionCase | None:
    """The partner's open case (internal: callers have checked who may see it)."""
    return SuspensionCase.objects.filter(partner=partner, state__in=OPEN_CASE_STATES).first()


def open_case_answered(partner: Partner) -> bool:
    return SuspensionCase.objects.filter(partner=partner, state=CaseState.ANSWERED).exists()


def case_answers(case: SuspensionCase):
    return case.answers.select_related("submitted_by").prefetch_related("documents")


def appeal_list(
    *, viewer, partner: Partner | None = None, state: str | None = None
) -> QuerySet[Appeal]:
    qs = Appeal.objects.restrict(viewer).select_related(
        "partner__organization", "status_change", "tc_application", "tc_membership"
    )
    if partner is not None:
        qs = qs.filter(partner=partner)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-filed_on", "-id")


def appeal_get(*, viewer, public_id: str) -> Appeal:
    appeal = appeal_list(viewer=viewer).filter(public_id=public_id).first()
    if appeal is None:
        raise NotFoundError("No such appeal.")
    return appeal


def document_get(*, viewer, public_id: str) -> EnforcementDocument:
    document = EnforcementDocument.objects.restrict(viewer).filter(public_id=public_id).first()
    if document is None:
        raise NotFoundError("No such document.")
    return document


def daily_run_for(day: dt.date) -> AppealDailyRun | None:
    return AppealDailyRun.objects.filter(day=day).first()


SECURITY_REF = AppealSubject.SECURITY_MEMBERSHIP.value


@dataclass(frozen=True)
class AppealableDecision:
    """A decision the member may appeal (or could have): what, when, under which paragraph.

    ``subject`` says which record carries it: the Security membership's ``change``, a denied
    Trade Compliance ``application``, or a Trade Compliance ``membership``'s suspension or
    removal. ``ref`` names it in forms and links (``security_membership``,
    ``tc_application:TCA-…``, ``tc_membership:TCM-…``)."""

    kind: str
    basis: str
    deadline: dt.date
    days_left: int
    decision: rules.Decision
    appeal: Appeal | None
    decision_date: dt.date
    reason: str = ""
    subject: str = AppealSubject.SECURITY_MEMBERSHIP
    change: StatusChange | None = None
    application: object | None = None
    membership: object | None = None

    @property
    def ref(self) -> str:
        if self.subject == AppealSubject.TC_APPLICATION:
            return f"{self.subject}:{self.application.public_id}"
        if self.subject == AppealSubject.TC_MEMBERSHIP:
            return f"{self.subject}:{self.membership.public_id}"
        return SECURITY_REF

    @property
    def public_ref(self) -> str:
        return self.ref

    @property
    def paragraph(self) -> str:
        return rules.statute_paragraph(self.basis)

    @property
    def kind_label(self) -> str:
        return str(DecisionKind(self.kind).label)

    @property
    def label(self) -> str:
        """ "Suspension of the CTPAT Security membership of 2026-11-02" and the like."""
        when = self.decision_date.isoformat()
        if self.subject == AppealSubject.TC_APPLICATION:
            return (
                f"Denial of the Trade Compliance application {self.application.public_id} of {when}"
            )
        if self.subject == AppealSubject.TC_MEMBERSHIP:
            return (
                f"{self.kind_label} of the Trade Compliance membership "
                f"{self.membership.account_number} of {when}"
            )
        return f"{self.kind_label} of the CTPAT Security membership of {when}"

    @property
    def filing_open(self) -> bool:
        return self.appeal is None and self.decision.allowed


def _false_information(change: StatusChange) -> bool:
    if change.to_status == MembershipStatus.REMOVED:
        return change.exit_ground == "false_information"
    case = SuspensionCase.objects.filter(status_change=change).first()
    return bool(case and case.false_information)


def decision_kind_of(change: StatusChange) -> str | None:
    if change.to_status == MembershipStatus.SUSPENDED and change.from_status:
        return DecisionKind.SUSPENSION
    if change.to_status == MembershipStatus.REMOVED:
        return DecisionKind.REMOVAL
    return None


def _facts(*, kind: str, basis: str, decision_date: dt.date, today: dt.date, appeal, **refs):
    deadline = rules.filing_deadline(decision_date, basis)
    return AppealableDecision(
        kind=kind,
        basis=basis,
        deadline=deadline,
        days_left=rules.days_left(deadline, today),
        decision=rules.filing_decision(decision_date=decision_date, basis=basis, today=today),
        appeal=appeal,
        decision_date=decision_date,
        **refs,
    )


def appealable_decision(change: StatusChange, *, today: dt.date) -> AppealableDecision | None:
    """The appeal facts of ``change``, or None if it is not an appealable CBP decision."""
    kind = decision_kind_of(change)
    if kind is None:
        return None
    return _facts(
        kind=kind,
        basis=rules.appeal_basis(false_information=_false_information(change)),
        decision_date=change.effective_date,
        today=today,
        appeal=Appeal.objects.filter(status_change=change).first(),
        reason=change.reason,
        subject=AppealSubject.SECURITY_MEMBERSHIP,
        change=change,
    )


def current_decision(partner: Partner, *, today: dt.date) -> AppealableDecision | None:
    """The Security decision in force the member could appeal: its latest change, if a
    suspension or a removal (a decision since superseded is no longer in force)."""
    if partner.status not in (MembershipStatus.SUSPENDED, MembershipStatus.REMOVED):
        return None
    change = partner.status_changes.order_by("-effective_date", "-created_at", "-id").first()
    if change is None or change.to_status != partner.status:
        return None
    return appealable_decision(change, today=today)


def tc_application_decision(partner: Partner, *, today: dt.date) -> AppealableDecision | None:
    """The company's latest Trade Compliance application, if CBP denied it (a denial is a
    denial of benefits, 6 U.S.C. 967(c)(1)). The Trade Compliance records carry no false-
    information finding, so the 90-day window applies."""
    from ctpat.tradecompliance import selectors as tc_selectors

    application = tc_selectors.application_latest_for(partner)
    if application is None or application.status != "denied" or application.decided_at is None:
        return None
    return _facts(
        kind=DecisionKind.DENIAL,
        basis=AppealBasis.BENEFITS,
        decision_date=timezone.localdate(application.decided_at),
        today=today,
        appeal=Appeal.objects.filter(tc_application=application).first(),
        reason=application.decision_reason,
        subject=AppealSubject.TC_APPLICATION,
        application=application,
    )


def _tc_membership_reason(membership) -> str:
    """CBP's reason for the membership's latest status change (kept in its audit event)."""
    from ctpat.core.models import AuditEvent

    event = (
        AuditEvent.objects.filter(
            object_id=membership.public_id,
            action__in=(
                "tradecompliance.membership_transition",
                "tradecompliance.membership_appeal_restore",
            ),
        )
        .order_by("-occurred_at", "-id")
        .first()
    )
    return event.reason if event else ""


def tc_membership_decision(partner: Partner, *, today: dt.date) -> AppealableDecision | None:
    """The Trade Compliance membership's suspension or removal in force, if any."""
    from ctpat.tradecompliance.models import TradeComplianceMembership

    membership = TradeComplianceMembership.objects.filter(partner=partner).first()
    if membership is None or membership.status not in TC_APPEALABLE_KIND:
        return None
    decision_date = membership.status_changed_on or membership.suspended_on
    if decision_date is None:
        return None
    kind = TC_APPEALABLE_KIND[membership.status]
    return _facts(
        kind=kind,
        basis=AppealBasis.BENEFITS,
        decision_date=decision_date,
        today=today,
        appeal=Appeal.objects.filter(
            tc_membership=membership, decision_kind=kind, decision_date=decision_date
        ).first(),
        reason=_tc_membership_reason(membership),
        subject=AppealSubject.TC_MEMBERSHIP,
        membership=membership,
    )


# Trade Compliance membership status in force → the decision kind appealed.
TC_APPEALABLE_KIND = {"suspended": DecisionKind.SUSPENSION, "removed": DecisionKind.REMOVAL}


def appealable_decisions(partner: Partner, *, today: dt.date) -> list[AppealableDecision]:
    """Every decision in force the member could appeal (or has appealed), Security first."""
    found = (
        current_decision(partner, today=today),
        tc_application_decision(partner, today=today),
        tc_membership_decision(partner, today=today),
    )
    return [d for d in found if d is not None]


def appealable_by_ref(partner: Partner, ref: str, *, today: dt.date) -> AppealableDecision | None:
    """The decision in force that ``ref`` names, or None (unknown, superseded, another's)."""
    for decision in appealable_decisions(partner, today=today):
        if decision.ref == (ref or "").strip():
            return decision
    return None


def appeal_targets(appeal: Appeal) -> list[str]:
    """The statuses a reversed or modified decision of ``appeal`` may set (for the form)."""
    if appeal.subject == AppealSubject.TC_MEMBERSHIP:
        from ctpat.tradecompliance.appeal_outcomes import membership_appeal_targets

        return membership_appeal_targets(appeal.tc_membership.status)
    if appeal.subject == AppealSubject.TC_APPLICATION:
        return []  # the outcome says it: approved (reversed) or under review (modified)
    from ctpat.partners import rules as partner_rules

    partner = appeal.partner
    return partner_rules.appeal_targets(
        partner.status,
        status_before_suspension=partner.status_before_suspension or None,
        status_before_removal=partner.status_before_removal or None,
    )


@dataclass(frozen=True)
class AppealClock:
    appeal: Appeal
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def open_appeal_clocks(*, viewer, today: dt.date) -> list[AppealClock]:
    return [
        AppealClock(appeal=a, days_left=rules.days_left(a.decision_due, today))
        for a in appeal_list(viewer=viewer, state=AppealState.FILED).order_by("decision_due")
    ]

"""Suspension cases, their answers, appeals and the documents filed with them.

* ``SuspensionCase`` (``SUS-…``) — opened with every suspension (``partners.services.
  partner_transition`` calls ``hooks.status_changed``): CBP's letter (reasons / findings), the
  required actions (a checklist CBP picks + free text), whether it is for false or misleading
  information (6 U.S.C. 967(b)), the response deadline; closed by reinstatement, removal or
  withdrawal. Suspension length is case by case: no fixed end date.
* ``SuspensionAnswer`` (``SUA-…``) — the member's answer: a text per required action, a note and
  documents. A member may answer again while the window is open; CBP reads the newest.
* ``Appeal`` (``APL-…``) — an appeal of a denial or revocation of benefits (6 U.S.C. 967(c)):
  its ``subject`` says which record carries the decision — the Security membership's status
  change (a suspension or removal), a denied Trade Compliance application, or a Trade Compliance
  membership's suspension or removal; filing and decision deadlines, grounds, documents, CBP's
  decision (upheld / reversed / modified) and the status it set; the reminders sent before the
  180-day limit.
* ``EnforcementDocument`` (``ENF-…``) — an uploaded file of an answer or an appeal (checked by
  ``core.uploads``; random names under MEDIA_ROOT; downloaded through a permission-checked view).
* ``AppealDailyRun`` — the days the reminder job ran.

A partner's users see their own company's records; CBP staff see all.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ctpat.accounts import roles
from ctpat.core.models import AuditedModel, PublicIdModel, StoredFileModel
from ctpat.partners.choices import MembershipStatus
from ctpat.partners.models import Partner, StatusChange

from .choices import (
    OPEN_CASE_STATES,
    AppealBasis,
    AppealOutcome,
    AppealState,
    AppealSubject,
    CaseState,
    DecisionKind,
    RequiredAction,
)

TEXT_MAX_LENGTH = 10_000


def _own_or_cbp(viewer, action: str, path: str):
    if roles.has_perm(viewer, "enforcement.view_all"):
        return action == "view" or roles.has_perm(viewer, "enforcement.review")
    if not roles.has_perm(viewer, "enforcement.view_own") or not viewer.organization_id:
        return False
    return Q(**{path: viewer.organization_id})


class SuspensionCase(PublicIdModel):
    PUBLIC_ID_PREFIX = "SUS"

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="suspension_cases")
    status_change = models.OneToOneField(
        StatusChange, on_delete=models.PROTECT, related_name="suspension_case"
    )
    suspended_on = models.DateField()
    response_due = models.DateField()
    letter = models.TextField(help_text="CBP's reasons and findings.")
    required_actions = models.JSONField(default=list, blank=True)
    other_actions = models.TextField(blank=True)
    false_information = models.BooleanField(default=False)
    status_before_suspension = models.CharField(
        max_length=20, choices=MembershipStatus.choices, blank=True
    )
    state = models.CharField(max_length=16, choices=CaseState.choices, default=CaseState.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField(null=True, blank=True)
    closing_change = models.OneToOneField(
        StatusChange,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="closed_suspension_case",
    )

    class Meta:
        ordering = ["-suspended_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner"],
                condition=Q(state__in=OPEN_CASE_STATES),
                name="one_open_suspension_case_per_partner",
            )
        ]

    def __str__(self) -> str:
        return f"Suspension of {self.partner} on {self.suspended_on.isoformat()}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_CASE_STATES

    @property
    def required_action_items(self) -> list[tuple[str, str]]:
        labels = dict(RequiredAction.choices)
        return [(code, str(labels.get(code, code))) for code in self.required_actions]

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return _own_or_cbp(viewer, action, "partner__organization_id")


class SuspensionAnswer(PublicIdModel):
    PUBLIC_ID_PREFIX = "SUA"

    case = models.ForeignKey(SuspensionCase, on_delete=models.PROTECT, related_name="answers")
    action_answers = models.JSONField(default=dict)
    note = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Answer to {self.case.public_id}"

    @property
    def answer_items(self) -> list[tuple[str, str]]:
        labels = dict(RequiredAction.choices)
        labels["other_actions"] = "Other required actions"
        return [(str(labels.get(k, k)), v) for k, v in self.action_answers.items()]

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return _own_or_cbp(viewer, action, "case__partner__organization_id")


class Appeal(PublicIdModel):
    PUBLIC_ID_PREFIX = "APL"

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="appeals")
    subject = models.CharField(
        max_length=24, choices=AppealSubject.choices, default=AppealSubject.SECURITY_MEMBERSHIP
    )
    # Exactly one of these names the decision appealed, as ``subject`` says.
    status_change = models.OneToOneField(
        StatusChange,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeal_filed",
    )
    tc_application = models.ForeignKey(
        "tradecompliance.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    tc_membership = models.ForeignKey(
        "tradecompliance.TradeComplianceMembership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    decision_kind = models.CharField(max_length=16, choices=DecisionKind.choices)
    basis = models.CharField(max_length=24, choices=AppealBasis.choices)
    decision_date = models.DateField()
    filed_on = models.DateField()
    filing_deadline = models.DateField()
    decision_due = models.DateField()
    grounds = models.TextField()
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=16, choices=AppealState.choices, default=AppealState.FILED)
    outcome = models.CharField(max_length=16, choices=AppealOutcome.choices, blank=True)
    # The status the decision set: a Security or Trade Compliance membership status, or the
    # application's status (``resulting_label`` names it).
    resulting_status = models.CharField(max_length=24, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reminders_sent = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-filed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    subject=AppealSubject.SECURITY_MEMBERSHIP,
                    status_change__isnull=False,
                    tc_application__isnull=True,
                    tc_membership__isnull=True,
                )
                | Q(
                    subject=AppealSubject.TC_APPLICATION,
                    status_change__isnull=True,
                    tc_application__isnull=False,
                    tc_membership__isnull=True,
                )
                | Q(
                    subject=AppealSubject.TC_MEMBERSHIP,
                    status_change__isnull=True,
                    tc_application__isnull=True,
                    tc_membership__isnull=False,
                ),
                name="appeal_one_decision_reference",
            ),
            # A denial is made once per application; one appeal each.
            models.UniqueConstraint(
                fields=["tc_application"],
                condition=Q(tc_application__isnull=False),
                name="one_appeal_per_tc_application",
            ),
            # A Trade Compliance membership decision is its kind and date (no history table).
            models.UniqueConstraint(
                fields=["tc_membership", "decision_kind", "decision_date"],
                condition=Q(tc_membership__isnull=False),
                name="one_appeal_per_tc_membership_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"Appeal {self.public_id} of {self.partner}"

    @property
    def decision_label(self) -> str:
        """ "Suspension of the CTPAT Security membership", "Denial of the application TCA-…"."""
        if self.subject == AppealSubject.TC_APPLICATION:
            return f"Denial of the Trade Compliance application {self.tc_application.public_id}"
        kind = DecisionKind(self.decision_kind).label
        if self.subject == AppealSubject.TC_MEMBERSHIP:
            return f"{kind} of the Trade Compliance membership {self.tc_membership.account_number}"
        return f"{kind} of the CTPAT Security membership"

    @property
    def resulting_label(self) -> str:
        """The resulting status in words ('' when nothing moved)."""
        if not self.resulting_status:
            return ""
        from ctpat.tradecompliance.choices import ApplicationStatus
        from ctpat.tradecompliance.choices import MembershipStatus as TCMembershipStatus

        labels = {
            AppealSubject.SECURITY_MEMBERSHIP: MembershipStatus,
            AppealSubject.TC_APPLICATION: ApplicationStatus,
            AppealSubject.TC_MEMBERSHIP: TCMembershipStatus,
        }[self.subject]
        return str(dict(labels.choices).get(self.resulting_status, self.resulting_status))

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return _own_or_cbp(viewer, action, "partner__organization_id")


class EnforcementDocument(StoredFileModel):
    PUBLIC_ID_PREFIX = "ENF"

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    answer = models.ForeignKey(
        SuspensionAnswer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    appeal = models.ForeignKey(
        Appeal, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer__isnull=False, appeal__isnull=True)
                | Q(answer__isnull=True, appeal__isnull=False),
                name="enforcement_document_one_parent",
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def scan_label(self) -> str:
        from ctpat.core.uploads import ScanStatus

        return str(dict(ScanStatus.choices).get(self.scan_status, self.scan_status))

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return _own_or_cbp(viewer, action, "partner__organization_id")


class AppealDailyRun(AuditedModel):
    """A day the appeal reminder job ran, with what it did."""

    day = models.DateField(unique=True)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"Appeal reminders of {self.day.isoformat()}"

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return action == "view" and roles.has_perm(viewer, "enforcement.view_all")

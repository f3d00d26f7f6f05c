"""Annual Notification Letters (ANL) and the pilot-migration imports.

* ``AnnualNotificationLetter`` — one letter per Trade Compliance membership and period (period 0
  is due 13 months after acceptance, then one every 12 months: ``rules.due_date``). The
  partner drafts it, a company officer signs and files it, CBP acknowledges it or returns it
  with reasons and the partner files it again. The reminder job opens a letter for a period
  when it first acts on it (a reminder, the overdue flag, the suspension path).
* ``OrganizationalChange`` — a business or organizational change a letter reports (zero or
  more; a letter with none says so explicitly).
* ``AnlDailyRun`` — the days the daily reminder job has run (keyed by date, so the worker's
  daily task runs once a day however often it is queued).
* ``PilotImport`` — one uploaded CSV of legacy ISA / pilot participants: who, when, file name,
  rows, result and its row-level error report.

A partner's users see their own company's letters; CBP staff see every letter. Pilot imports
are the CBP program admins'.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ctpat.accounts import roles
from ctpat.core.models import AuditedModel, PublicIdModel
from ctpat.tradecompliance.models import TradeComplianceMembership

from .choices import ChangeType, ImportStatus, LetterStatus

NAME_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 2000
PHONE_MAX_LENGTH = 40


def _own_or_cbp(viewer, action: str, org_path: str):
    if action == "view":
        if roles.has_perm(viewer, "anl.view_all"):
            return True
        if roles.has_perm(viewer, "anl.own") and viewer.organization_id:
            return Q(**{org_path: viewer.organization_id})
        return False
    # Changes: the company's own users (drafting, filing) — CBP reviews through services.
    if roles.has_perm(viewer, "anl.review"):
        return True
    if roles.has_perm(viewer, "anl.own") and viewer.organization_id:
        return Q(**{org_path: viewer.organization_id})
    return False


class AnnualNotificationLetter(PublicIdModel):
    """One period's letter: continued compliance, contacts, changes, an officer's signature."""

    PUBLIC_ID_PREFIX = "ANL"

    membership = models.ForeignKey(
        TradeComplianceMembership, on_delete=models.PROTECT, related_name="annual_letters"
    )
    period = models.PositiveSmallIntegerField(help_text="0 = the first letter after acceptance.")
    due_on = models.DateField()
    status = models.CharField(max_length=16, choices=LetterStatus.choices, default="draft")

    certifies_compliance = models.BooleanField(
        "Certifies continued compliance",
        default=False,
        help_text="The company certifies that it continues to meet the Trade Compliance "
        "requirements.",
    )
    no_changes = models.BooleanField(
        "No organizational changes", default=False, help_text="Nothing changed since last year."
    )
    compliance_contact_name = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    compliance_contact_email = models.EmailField(blank=True)
    compliance_contact_phone = models.CharField(max_length=PHONE_MAX_LENGTH, blank=True)
    officer_name = models.CharField("Company officer", max_length=NAME_MAX_LENGTH, blank=True)
    officer_title = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    officer_email = models.EmailField(blank=True)

    signed_name = models.CharField("Typed signature", max_length=NAME_MAX_LENGTH, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    first_filed_on = models.DateField(
        null=True, blank=True, help_text="The first filing decides on time or late."
    )
    filed_count = models.PositiveSmallIntegerField(default=0)

    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True, help_text="CBP's reasons for a return, or a note.")

    overdue_flagged_on = models.DateField(null=True, blank=True)
    suspension_started_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["membership", "-period"]
        verbose_name = "Annual Notification Letter"
        constraints = [
            models.UniqueConstraint(fields=["membership", "period"], name="anl_one_per_period")
        ]

    def __str__(self) -> str:
        return f"ANL {self.due_on.isoformat()} of {self.membership.account_number}"

    @property
    def is_filed(self) -> bool:
        return self.status in (LetterStatus.FILED, LetterStatus.ACKNOWLEDGED)

    @property
    def is_editable(self) -> bool:
        return self.status in (LetterStatus.DRAFT, LetterStatus.RETURNED)

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return _own_or_cbp(viewer, action, "membership__partner__organization_id")


class OrganizationalChange(AuditedModel):
    letter = models.ForeignKey(
        AnnualNotificationLetter, on_delete=models.CASCADE, related_name="changes"
    )
    position = models.PositiveSmallIntegerField(default=0)
    change_type = models.CharField(max_length=20, choices=ChangeType.choices)
    description = models.TextField(max_length=DESCRIPTION_MAX_LENGTH)
    effective_on = models.DateField()

    class Meta:
        ordering = ["letter", "position"]

    def __str__(self) -> str:
        return f"{self.get_change_type_display()} ({self.effective_on.isoformat()})"

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return _own_or_cbp(viewer, action, "letter__membership__partner__organization_id")


class AnlDailyRun(AuditedModel):
    """A day the reminder job ran, with what it did."""

    day = models.DateField(unique=True)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"ANL reminders of {self.day.isoformat()}"

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return action == "view" and roles.has_perm(viewer, "anl.view_all")


class PilotImport(PublicIdModel):
    """One upload of legacy ISA / pilot participants, checked row by row before anything."""

    PUBLIC_ID_PREFIX = "PMI"

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(max_length=200)
    row_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=12, choices=ImportStatus.choices)
    errors = models.JSONField(
        default=list, blank=True, help_text='[{"row": 2, "column": "...", "message": "..."}]'
    )
    rows = models.JSONField(default=list, blank=True, help_text="The checked rows, for preview.")
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    committed_at = models.DateTimeField(null=True, blank=True)
    memberships = models.JSONField(default=list, blank=True, help_text="Account numbers made.")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Pilot import {self.public_id} ({self.file_name})"

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return bool(roles.has_perm(viewer, "anl.pilot_import"))

"""Security profiles: a partner's self-assessment against the Minimum Security Criteria.

* ``SecurityProfile`` — one per partner: its review state and a version counter that every write
  bumps, so a stale or second submission is refused (two tabs submitting the same draft).
* ``ProfileAnswer`` — the latest answer to one criterion (Yes / Yes – best practice / No / N/A
  and a narrative). It records the criteria version and the criterion row it answered, so an
  answer given to an older version stays readable as asked; earlier answers are in the audit
  trail and in each submission's snapshot.
* ``EvidenceFile`` — a file supporting an answer, stored under MEDIA_ROOT with a random name,
  checked by ``ctpat.core.uploads`` and served only by a permission-checked view.
* ``ProfileSubmission`` — one submission to the SCSS and its decision (approve / return with
  reasons), with a snapshot of the answers and gaps as submitted.
* ``AnnualReview`` — the annual security-profile review for one anniversary: the annual risk
  assessment that starts it, and whether it was submitted inside its window (DOMAIN.md §3.1).

A profile belongs to the partner: its own users and CBP staff see it; nobody else does.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ctpat.accounts import roles
from ctpat.core.models import PublicIdModel
from ctpat.core.uploads import ScanStatus
from ctpat.partners.models import Partner

from .choices import Answer, Decision, ProfileStatus, ReviewStatus, SubmissionKind


def _own_or_cbp(viewer, path: str, action: str):
    """CBP staff read every profile; a partner's users read and change their own."""
    if action == "view" and roles.has_perm(viewer, "profile.view_all"):
        return True
    if action != "view" and roles.has_perm(viewer, "profile.decide"):
        return True
    if viewer.organization_id is None:
        return False
    return Q(**{f"{path}organization_id": viewer.organization_id})


class SecurityProfile(PublicIdModel):
    PUBLIC_ID_PREFIX = "SP"

    partner = models.OneToOneField(
        Partner, on_delete=models.PROTECT, related_name="security_profile"
    )
    status = models.CharField(
        max_length=16, choices=ProfileStatus.choices, default=ProfileStatus.DRAFT
    )
    lock_version = models.PositiveIntegerField(
        default=1, help_text="Bumped by every write; a submit names the version it saw."
    )
    current_review = models.ForeignKey(
        "AnnualReview",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The annual review being worked on, if any.",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["partner__organization__name"]

    def __str__(self) -> str:
        return f"Security profile of {self.partner}"

    @property
    def is_open(self) -> bool:
        """Draft or returned: the partner may change answers and submit."""
        return self.status in (ProfileStatus.DRAFT, ProfileStatus.RETURNED)

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return _own_or_cbp(viewer, "partner__", action)


class ProfileAnswer(PublicIdModel):
    PUBLIC_ID_PREFIX = "SPA"

    profile = models.ForeignKey(SecurityProfile, on_delete=models.PROTECT, related_name="answers")
    msc_id = models.CharField("Criterion ID", max_length=16)
    criterion = models.ForeignKey(
        "criteria.Criterion",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The criterion row (and so the version's wording) this answer answered.",
    )
    criteria_version = models.ForeignKey(
        "criteria.CriteriaVersion", on_delete=models.PROTECT, related_name="+"
    )
    answer = models.CharField(max_length=24, choices=Answer.choices)
    narrative = models.TextField(blank=True)
    answered_at = models.DateTimeField()
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["profile", "criterion__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "msc_id"], name="profile_answer_unique_msc")
        ]

    def __str__(self) -> str:
        return f"{self.msc_id}: {self.get_answer_display()}"

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return _own_or_cbp(viewer, "profile__partner__", action)


def _evidence_path(instance, filename: str) -> str:  # pragma: no cover - names are set by service
    return filename


class EvidenceFile(PublicIdModel):
    PUBLIC_ID_PREFIX = "SPE"

    profile = models.ForeignKey(SecurityProfile, on_delete=models.PROTECT, related_name="evidence")
    msc_id = models.CharField(
        "Criterion ID", max_length=16, blank=True, help_text="The criterion it supports, if one."
    )
    file = models.FileField(upload_to=_evidence_path, max_length=200)
    original_name = models.CharField(max_length=200)
    detected_type = models.CharField(max_length=16)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    scan_status = models.CharField(max_length=16, choices=ScanStatus.choices)
    scan_detail = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return _own_or_cbp(viewer, "profile__partner__", action)


class AnnualReview(PublicIdModel):
    PUBLIC_ID_PREFIX = "SPR"

    profile = models.ForeignKey(
        SecurityProfile, on_delete=models.PROTECT, related_name="annual_reviews"
    )
    anniversary_date = models.DateField()
    window_opens = models.DateField()
    status = models.CharField(
        max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.IN_PROGRESS
    )
    # The annual risk assessment that starts the review (DOMAIN.md §3.1: "begins with an annual
    # risk assessment").
    risks_reviewed = models.TextField(help_text="The risks reviewed and what was concluded.")
    supply_chain_changes = models.TextField(
        blank=True, help_text="Changes in the supply chain since the last review."
    )
    assessed_on = models.DateField()
    assessed_by_name = models.CharField(max_length=200, help_text="Who carried out the assessment.")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField()
    first_submitted_on = models.DateField(
        null=True, blank=True, help_text="Inside the window: it counts as the annual review."
    )

    class Meta:
        ordering = ["-anniversary_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "anniversary_date"], name="annual_review_one_per_anniversary"
            )
        ]

    def __str__(self) -> str:
        return f"Annual review for {self.anniversary_date:%Y-%m-%d} of {self.profile.partner}"

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return _own_or_cbp(viewer, "profile__partner__", action)


class ProfileSubmission(PublicIdModel):
    PUBLIC_ID_PREFIX = "SPS"

    profile = models.ForeignKey(
        SecurityProfile, on_delete=models.PROTECT, related_name="submissions"
    )
    kind = models.CharField(max_length=16, choices=SubmissionKind.choices)
    annual_review = models.ForeignKey(
        AnnualReview, null=True, blank=True, on_delete=models.PROTECT, related_name="submissions"
    )
    criteria_version = models.ForeignKey(
        "criteria.CriteriaVersion", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answers_snapshot = models.JSONField(default=list, help_text="The answers as submitted.")
    should_gaps = models.JSONField(default=list, blank=True)
    completeness = models.JSONField(default=dict, blank=True)
    decision = models.CharField(max_length=8, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} submitted {self.submitted_at:%Y-%m-%d}"

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return _own_or_cbp(viewer, "profile__partner__", action)

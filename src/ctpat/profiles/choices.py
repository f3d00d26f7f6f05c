"""Stable choice values for security profiles. Never rename a value, only its label."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Answer(models.TextChoices):
    """An answer to one criterion.

    source: DOMAIN.md §3.2 / §6 item 3 — the portal's worksheet answer enum
    {No, Yes, Yes – Best Practice, Not Applicable} (PORTAL-UI `validation-form`).
    """

    YES = "yes", _("Yes")
    YES_BEST_PRACTICE = "yes_best_practice", _("Yes – best practice")
    NO = "no", _("No")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ProfileStatus(models.TextChoices):
    """A security profile's review state: the partner edits a draft (or a returned profile),
    submits it, and the SCSS approves it or returns it with reasons (DOMAIN.md §3.1)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")


class SubmissionKind(models.TextChoices):
    PROFILE = "profile", _("Security profile")
    ANNUAL_REVIEW = "annual_review", _("Annual security-profile review")


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return for changes")


class ReviewStatus(models.TextChoices):
    """The annual review: started with the risk assessment, submitted, decided."""

    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")


class GapKind(models.TextChoices):
    MUST = "must", _("Must-gap")
    SHOULD = "should", _("Should-gap")


class GapReason(models.TextChoices):
    ANSWERED_NO = "answered_no", _("answered No")
    UNANSWERED = "unanswered", _("not answered")

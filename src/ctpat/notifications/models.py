"""In-app notifications and the outbox of e-mail waiting to be (or already) sent.

An ``OutboundEmail`` row is written in the same transaction as the change that causes it, so
an e-mail is never lost: the row stays ``queued`` until a worker has handed it to the mail
server, and ends ``failed`` (visible to CBP program admins, who can requeue it) only after
``constants.EMAIL_MAX_ATTEMPTS`` tries.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ctpat.accounts import roles
from ctpat.core.models import PublicIdModel

from .choices import EmailStatus
from .constants import (
    DEDUPE_KEY_MAX_LENGTH,
    KIND_MAX_LENGTH,
    LINK_MAX_LENGTH,
    OUTBOX_PERMISSION,
    SUBJECT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)


class OutboundEmail(PublicIdModel):
    """One e-mail to one address, and what became of it."""

    PUBLIC_ID_PREFIX = "EML"

    to = models.EmailField()
    subject = models.CharField(max_length=SUBJECT_MAX_LENGTH)
    body = models.TextField()
    kind = models.CharField(max_length=KIND_MAX_LENGTH, help_text="Why it was sent.")
    dedupe_key = models.CharField(
        max_length=DEDUPE_KEY_MAX_LENGTH,
        unique=True,
        help_text="The same key is never queued twice (callers that retry stay idempotent).",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The user it was sent to, when it went to a ctpat user.",
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The organization the e-mail concerns.",
    )
    status = models.CharField(
        max_length=16, choices=EmailStatus.choices, default=EmailStatus.QUEUED, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When a queued e-mail is due to be tried (again)."
    )
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"E-mail {self.public_id} ({self.kind})"

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        # The outbox is an operations view across every tenant: CBP program admins only.
        return roles.has_perm(viewer, OUTBOX_PERMISSION)


class Notification(PublicIdModel):
    """A message for one user, shown in ctpat (and usually e-mailed too)."""

    PUBLIC_ID_PREFIX = "NTF"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The recipient's organization when it was sent.",
    )
    kind = models.CharField(max_length=KIND_MAX_LENGTH)
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    body = models.TextField(blank=True)
    link = models.CharField(
        max_length=LINK_MAX_LENGTH, blank=True, help_text="A path inside ctpat, e.g. /partners/…"
    )
    read_at = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=DEDUPE_KEY_MAX_LENGTH, blank=True)
    email = models.ForeignKey(
        OutboundEmail, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_unique_recipient_dedupe_key",
            )
        ]

    def __str__(self) -> str:
        # Shown in the audit trail, which the recipient's colleagues may read: no title.
        return f"Notification {self.public_id} ({self.kind})"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        # A notification is its recipient's alone, whatever their role.
        return Q(recipient_id=viewer.pk)

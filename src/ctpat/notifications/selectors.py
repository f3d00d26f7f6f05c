"""Reads for notifications and the e-mail outbox; tenant isolation via ``restrict``."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from ctpat.core.errors import NotFoundError

from .choices import EmailStatus
from .models import Notification, OutboundEmail


def notification_list(*, viewer, unread_only: bool = False) -> QuerySet[Notification]:
    """The viewer's own notifications, newest first (nobody sees anyone else's)."""
    qs = Notification.objects.restrict(viewer)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def notification_get(*, viewer, public_id: str) -> Notification:
    notification = notification_list(viewer=viewer).filter(public_id=public_id).first()
    if notification is None:
        raise NotFoundError("No such notification.")
    return notification


def notification_unread_count(*, viewer) -> int:
    return notification_list(viewer=viewer, unread_only=True).order_by().count()


def outbound_email_list(*, viewer, status: str = "") -> QuerySet[OutboundEmail]:
    qs = OutboundEmail.objects.restrict(viewer).select_related("organization", "recipient")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def outbound_email_get(*, viewer, public_id: str) -> OutboundEmail:
    email = outbound_email_list(viewer=viewer).filter(public_id=public_id).first()
    if email is None:
        raise NotFoundError("No such e-mail.")
    return email


def outbound_email_status_counts(*, viewer) -> dict[str, int]:
    """How many e-mails the viewer may see are in each status (every status, zeros too)."""
    rows = (
        OutboundEmail.objects.restrict(viewer)
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    counts = dict.fromkeys(EmailStatus.values, 0)
    counts.update(dict(rows))
    return counts

"""Background tasks (Django Tasks, run by `ctpat worker`). Every task is idempotent."""

from __future__ import annotations

import logging

from django.tasks import task
from django.utils import timezone

from .constants import EMAIL_OVERDUE_AFTER, EMAIL_QUEUE

logger = logging.getLogger(__name__)


@task(queue_name=EMAIL_QUEUE)
def send_outbound_email(email_id: str) -> str:
    """Send the queued e-mail ``email_id`` (an ``OutboundEmail`` public id), at most once.

    Running it again, or twice at the same time, does nothing more: the attempt locks the row
    and only a queued, due e-mail is sent. Returns what happened: ``sent``, ``queued`` (a retry
    is scheduled), ``failed`` (out of attempts), or why nothing was done (``sent``, ``failed``,
    ``not_due``, ``not_found``).
    """
    from ctpat.core.errors import NotFoundError

    from . import services

    try:
        email = services.outbound_email_attempt(actor=None, public_id=email_id)
    except services.EmailNotDeliverable as exc:
        return f"skipped:{exc.code}"
    except NotFoundError:
        logger.warning("E-mail %s no longer exists.", email_id)
        return "skipped:not_found"
    return email.status


def enqueue_overdue_emails(*, now=None) -> int:
    """Enqueue again every queued e-mail whose attempt is long overdue; returns how many.

    Covers a task lost between commit and enqueue (a crash, a full disk). Enqueuing writes only
    the task table; a duplicate task is harmless because the attempt is idempotent.
    """
    from .choices import EmailStatus
    from .models import OutboundEmail
    from .services import enqueue_delivery

    cutoff = (now or timezone.now()) - EMAIL_OVERDUE_AFTER
    overdue = OutboundEmail.objects.filter(
        status=EmailStatus.QUEUED, next_attempt_at__lte=cutoff
    ).values_list("public_id", flat=True)
    count = 0
    for public_id in overdue.iterator():
        enqueue_delivery(public_id)
        count += 1
    return count

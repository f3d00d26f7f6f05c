"""Writes for notifications and outgoing e-mail. Each is one transaction with its audit event.

* ``notification_send`` makes in-app notifications and their e-mail rows together, then
  enqueues the delivery task once the transaction has committed.
* ``outbound_email_queue`` is the same for an e-mail to an address that is not a ctpat user.
* ``outbound_email_attempt`` is one delivery attempt, run by the task: it locks the row, sends
  and records the outcome (sent, retry scheduled, or failed for good) as one audit event.
* ``outbound_email_requeue`` gives a failed (or stuck) e-mail a fresh set of attempts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.utils import timezone

from ctpat.accounts import roles
from ctpat.core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from ctpat.core.ids import new_public_id
from ctpat.core.services import audit_record, service, snapshot

from . import rules
from .choices import EmailStatus
from .constants import (
    BODY_MAX_LENGTH,
    DEDUPE_KEY_MAX_LENGTH,
    EMAIL_BODY_MAX_LENGTH,
    EMAIL_DUE_TOLERANCE,
    EMAIL_MAX_ATTEMPTS,
    EMAIL_RETRY_BASE_DELAY,
    ERROR_MAX_LENGTH,
    OUTBOX_PERMISSION,
    SUBJECT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)
from .models import Notification, OutboundEmail

logger = logging.getLogger(__name__)

EMAIL_STATE_FIELDS = ("status", "attempts", "next_attempt_at", "sent_at", "last_error")
EMAIL_FOOTER = "\n\n--\nThis message was sent by ctpat. Please do not reply to it.\n"


# --- Checks shared by the services ---------------------------------------------------------


def _clean_kind(kind: str) -> str:
    kind = (kind or "").strip()
    if not rules.is_valid_kind(kind):
        raise DomainError(
            "A notification kind is a short lower-case code such as 'svi.request'.",
            code="invalid_kind",
            fields={"kind": ["Use lower-case letters, digits, '.', '_' or '-'."]},
        )
    return kind


def _clean_text(value: str, *, field: str, max_length: int, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(
            f"The {field} is required.", code=f"{field}_required", fields={field: ["Required."]}
        )
    if len(value) > max_length:
        raise DomainError(
            f"The {field} is longer than {max_length} characters.",
            code="too_long",
            fields={field: [f"At most {max_length} characters."]},
        )
    return value


def _clean_link(link: str) -> str:
    link = (link or "").strip()
    if not rules.is_local_link(link):
        raise DomainError(
            "A notification links to a page inside ctpat, e.g. /partners/CT-….",
            code="invalid_link",
            fields={"link": ["Give a path that starts with a single '/'."]},
        )
    return link


def _clean_dedupe_key(key: str) -> str:
    key = (key or "").strip()
    # Room for the ":USR-…" suffix added per recipient.
    return _clean_text(
        key, field="dedupe_key", max_length=DEDUPE_KEY_MAX_LENGTH - 30, required=False
    )


def _one_line(text: str) -> str:
    """A header value: no line breaks (they would start a new header)."""
    return " ".join((text or "").split())


def _site_url(link: str) -> str:
    """An absolute URL for an e-mail when the site's address is configured, else the path."""
    base = getattr(settings, "CTPAT_SITE_URL", "") or ""
    return base.rstrip("/") + link if base else link


def notification_email_body(*, title: str, body: str, link: str) -> str:
    parts = [title]
    if body:
        parts.append(body)
    if link:
        parts.append(f"Open it in ctpat: {_site_url(link)}")
    return "\n\n".join(parts) + EMAIL_FOOTER


# --- Queuing e-mail --------------------------------------------------------------------------


def enqueue_delivery(email_public_id: str, *, run_after=None) -> None:
    """Hand an e-mail to the task queue (call it on commit; the task is idempotent)."""
    from .tasks import send_outbound_email

    task = send_outbound_email
    if run_after is not None:
        if not task.get_backend().supports_defer:
            # A backend that cannot delay (e.g. the immediate one) would retry at once;
            # leave the row queued: `ctpat worker` / `requeue_emails` pick up overdue e-mail.
            logger.warning("Task backend cannot defer; e-mail %s waits.", email_public_id)
            return
        task = task.using(run_after=run_after)
    task.enqueue(email_public_id)


def _enqueue_on_commit(email: OutboundEmail, *, run_after=None) -> None:
    public_id = email.public_id
    # robust: a failed enqueue is logged, not raised; the row stays queued and the overdue
    # sweep (`ctpat worker`, `requeue_emails`) enqueues it again.
    transaction.on_commit(lambda: enqueue_delivery(public_id, run_after=run_after), robust=True)


def _email_insert(
    *, to: str, subject: str, body: str, kind: str, dedupe_key: str, organization, recipient
) -> OutboundEmail:
    """Insert a queued e-mail row; IntegrityError if its dedupe key exists (call in a savepoint)."""
    public_id = new_public_id(OutboundEmail.PUBLIC_ID_PREFIX)
    email = OutboundEmail(
        public_id=public_id,
        to=to,
        subject=_one_line(subject)[:SUBJECT_MAX_LENGTH],
        body=body,
        kind=kind,
        dedupe_key=dedupe_key or public_id,
        organization=organization,
        recipient=recipient,
        status=EmailStatus.QUEUED,
        next_attempt_at=timezone.now(),
    )
    email.save()
    return email


def _validated_address(to: str) -> str:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    to = (to or "").strip()
    try:
        validate_email(to)
    except ValidationError as exc:
        raise DomainError(
            "Enter a valid e-mail address.",
            code="invalid_email",
            fields={"to": ["Enter a valid e-mail address."]},
        ) from exc
    return to


@service
def outbound_email_queue(
    *,
    actor,
    to: str,
    subject: str,
    body: str,
    kind: str,
    organization=None,
    dedupe_key: str = "",
) -> OutboundEmail:
    """Queue one e-mail to ``to``; it is sent by the worker after this transaction commits.

    With a ``dedupe_key`` that was queued before, nothing new is queued: the earlier e-mail is
    returned (and the repeat is recorded).
    """
    to = _validated_address(to)
    kind = _clean_kind(kind)
    subject = _clean_text(subject, field="subject", max_length=SUBJECT_MAX_LENGTH, required=True)
    body = _clean_text(body, field="body", max_length=EMAIL_BODY_MAX_LENGTH, required=True)
    dedupe_key = _clean_dedupe_key(dedupe_key)
    try:
        with transaction.atomic():
            email = _email_insert(
                to=to,
                subject=subject,
                body=body,
                kind=kind,
                dedupe_key=dedupe_key,
                organization=organization,
                recipient=None,
            )
    except IntegrityError:
        existing = OutboundEmail.objects.get(dedupe_key=dedupe_key)
        audit_record(actor=actor, action="email.deduplicated", obj=existing, after={"kind": kind})
        return existing
    audit_record(
        actor=actor,
        action="email.queue",
        obj=email,
        after=snapshot(email, ("to", "kind", "status")),
    )
    _enqueue_on_commit(email)
    return email


# --- Notifications ---------------------------------------------------------------------------


def _active_distinct(recipients: Iterable) -> list:
    seen, users = set(), []
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        users.append(user)
    return users


@service
def notification_send(
    *,
    actor,
    recipients: Iterable,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    email: bool = True,
    dedupe_key: str = "",
) -> list[Notification]:
    """Notify each active user in ``recipients`` in ctpat and, with ``email``, by e-mail.

    One transaction: the notifications, their e-mail rows and an audit event per notification
    commit together, and the e-mail is enqueued only once they have. A ``dedupe_key`` makes the
    call idempotent per recipient: a recipient who already has a notification with that key
    gets nothing new. Returns the notifications created.
    """
    kind = _clean_kind(kind)
    title = _clean_text(title, field="title", max_length=TITLE_MAX_LENGTH, required=True)
    body = _clean_text(body, field="body", max_length=BODY_MAX_LENGTH, required=False)
    link = _clean_link(link)
    dedupe_key = _clean_dedupe_key(dedupe_key)
    users = _active_distinct(recipients)
    if not users:
        raise DomainError("Nobody to notify.", code="no_recipients")
    created: list[Notification] = []
    duplicates: list[Notification] = []
    for user in users:
        try:
            with transaction.atomic():
                outbound = None
                if email and user.email:
                    outbound = _email_insert(
                        to=user.email,
                        subject=title,
                        body=notification_email_body(title=title, body=body, link=link),
                        kind=kind,
                        dedupe_key=f"{dedupe_key}:{user.public_id}" if dedupe_key else "",
                        organization=user.organization,
                        recipient=user,
                    )
                notification = Notification(
                    recipient=user,
                    organization=user.organization,
                    kind=kind,
                    title=title,
                    body=body,
                    link=link,
                    dedupe_key=dedupe_key,
                    email=outbound,
                )
                notification.save()
        except IntegrityError:
            existing = Notification.objects.filter(recipient=user, dedupe_key=dedupe_key).first()
            if existing is not None:
                duplicates.append(existing)
            continue
        audit_record(
            actor=actor,
            action="notification.send",
            obj=notification,
            organization=user.organization,
            after={
                "recipient": user.public_id,
                "kind": kind,
                "link": link,
                "email": outbound.public_id if outbound else None,
            },
        )
        if outbound is not None:
            _enqueue_on_commit(outbound)
        created.append(notification)
    if not created:
        if not duplicates:
            raise ConflictError("These e-mails were queued before.", code="duplicate")
        # Every recipient had it already: record the repeat (a service always leaves a trace).
        first = duplicates[0]
        audit_record(
            actor=actor,
            action="notification.deduplicated",
            obj=first,
            organization=first.organization,
            after={"kind": kind, "recipients": len(duplicates)},
        )
    return created


def _own_notification(actor, notification: Notification) -> Notification:
    if actor is None or notification.recipient_id != actor.pk:
        raise NotFoundError("No such notification.")
    return Notification.objects.select_for_update().get(pk=notification.pk)


@service
def notification_mark_read(*, actor, notification: Notification) -> Notification:
    notification = _own_notification(actor, notification)
    if notification.read_at is not None:
        raise ConflictError("This notification is already read.", code="already_read")
    notification.read_at = timezone.now()
    notification.save(update_fields=["read_at", "updated_at"])
    audit_record(
        actor=actor,
        action="notification.read",
        obj=notification,
        organization=notification.organization,
    )
    return notification


@service
def notification_mark_unread(*, actor, notification: Notification) -> Notification:
    notification = _own_notification(actor, notification)
    if notification.read_at is None:
        raise ConflictError("This notification is already unread.", code="already_unread")
    notification.read_at = None
    notification.save(update_fields=["read_at", "updated_at"])
    audit_record(
        actor=actor,
        action="notification.unread",
        obj=notification,
        organization=notification.organization,
    )
    return notification


@service
def notification_mark_all_read(*, actor) -> int:
    """Mark every unread notification of ``actor`` read; one audit event for the lot."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDeniedError()
    now = timezone.now()
    count = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=now, updated_at=now
    )
    if not count:
        raise ConflictError("You have no unread notifications.", code="nothing_unread")
    audit_record(
        actor=actor,
        action="notification.read_all",
        obj=actor,
        organization=actor.organization,
        after={"count": count},
    )
    return count


# --- Delivery --------------------------------------------------------------------------------


class EmailNotDeliverable(ConflictError):
    """The e-mail is not (or no longer) waiting for this attempt: sent, failed or not due."""


def _message_for(email: OutboundEmail) -> EmailMessage:
    from_email = settings.DEFAULT_FROM_EMAIL
    domain = from_email.rpartition("@")[2].strip("<> ") or "ctpat.invalid"
    # A stable Message-ID: should a crash make us send twice, mail software sees one message.
    return EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=from_email,
        to=[email.to],
        headers={"Message-ID": f"<{email.public_id}@{domain}>"},
    )


def retry_policy() -> tuple[int, timedelta]:
    """(attempts before giving up, first retry delay): constants, unless settings override."""
    max_attempts = getattr(settings, "CTPAT_EMAIL_MAX_ATTEMPTS", EMAIL_MAX_ATTEMPTS)
    base = getattr(settings, "CTPAT_EMAIL_RETRY_BASE_SECONDS", None)
    return max_attempts, EMAIL_RETRY_BASE_DELAY if base is None else timedelta(seconds=base)


def _deliver(email: OutboundEmail) -> None:
    """Hand the message to the configured mailer; raise if it was not accepted."""
    accepted = mailers.default.send_messages([_message_for(email)])
    if accepted != 1:
        raise RuntimeError("The mail backend did not accept the message.")


@service
def outbound_email_attempt(*, actor, public_id: str) -> OutboundEmail:
    """Try to send one queued e-mail, once, and record the outcome.

    The row is locked for the attempt (``select_for_update``; on SQLite the transaction holds
    the write lock), so two workers holding tasks for the same e-mail never both send it: the
    second finds it sent and gets ``EmailNotDeliverable``. A failure increments ``attempts``,
    keeps the error and schedules the next try with backoff (``rules.retry_delay``) or, after
    the last attempt (``retry_policy``), marks the e-mail failed. One audit event per attempt.
    """
    email = OutboundEmail.objects.select_for_update().filter(public_id=public_id).first()
    if email is None:
        raise NotFoundError("No such e-mail.")
    if email.status != EmailStatus.QUEUED:
        raise EmailNotDeliverable(f"E-mail {public_id} is {email.status}.", code=email.status)
    now = timezone.now()
    if email.next_attempt_at and email.next_attempt_at > now + EMAIL_DUE_TOLERANCE:
        # A stray early task (a requeue's or an overdue sweep's twin): the scheduled one follows.
        raise EmailNotDeliverable(f"E-mail {public_id} is not due yet.", code="not_due")
    before = snapshot(email, EMAIL_STATE_FIELDS)
    max_attempts, base_delay = retry_policy()
    email.attempts += 1
    try:
        _deliver(email)
    except Exception as exc:  # any mailer failure (SMTP, network, TLS, ...) is retried
        email.last_error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX_LENGTH]
        if rules.gives_up(email.attempts, max_attempts=max_attempts):
            email.status = EmailStatus.FAILED
            email.next_attempt_at = None
            action = "email.failed"
        else:
            email.next_attempt_at = now + rules.retry_delay(email.attempts, base=base_delay)
            action = "email.retry_scheduled"
        logger.warning("E-mail %s attempt %s failed: %s", public_id, email.attempts, exc)
    else:
        email.status = EmailStatus.SENT
        email.sent_at = now
        email.next_attempt_at = None
        email.last_error = ""
        action = "email.sent"
    email.save()
    audit_record(
        actor=actor,
        action=action,
        obj=email,
        before=before,
        after=snapshot(email, EMAIL_STATE_FIELDS),
    )
    if email.status == EmailStatus.QUEUED:
        _enqueue_on_commit(email, run_after=email.next_attempt_at)
    return email


@service
def outbound_email_requeue(*, actor, email: OutboundEmail, reason: str = "") -> OutboundEmail:
    """Give a failed (or stuck queued) e-mail a fresh set of attempts, starting now."""
    if actor is not None and not roles.has_perm(actor, OUTBOX_PERMISSION):
        raise PermissionDeniedError("Only a CBP program admin can requeue e-mail.")
    email = OutboundEmail.objects.select_for_update().get(pk=email.pk)
    if email.status == EmailStatus.SENT:
        raise ConflictError("This e-mail has been sent.", code="already_sent")
    before = snapshot(email, EMAIL_STATE_FIELDS)
    email.status = EmailStatus.QUEUED
    email.attempts = 0
    email.next_attempt_at = timezone.now()
    email.save()
    audit_record(
        actor=actor,
        action="email.requeue",
        obj=email,
        before=before,
        after=snapshot(email, EMAIL_STATE_FIELDS),
        reason=reason,
    )
    _enqueue_on_commit(email)
    return email


def outbound_email_requeue_failed(*, actor, reason: str = "") -> int:
    """Requeue every failed e-mail, each in its own ``outbound_email_requeue`` transaction."""
    count = 0
    for email in OutboundEmail.objects.filter(status=EmailStatus.FAILED).order_by("id"):
        outbound_email_requeue(actor=actor, email=email, reason=reason)
        count += 1
    return count

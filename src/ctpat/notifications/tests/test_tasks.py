"""The e-mail task, run in-process (``Task.call``): idempotent, retried, failed after N.

``test_worker.py`` runs the same task through the real database worker.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from ctpat.core.models import AuditEvent
from ctpat.notifications import services
from ctpat.notifications.choices import EmailStatus
from ctpat.notifications.models import OutboundEmail
from ctpat.notifications.tasks import enqueue_overdue_emails, send_outbound_email


@pytest.fixture
def queued_email(alice):
    (notification,) = services.notification_send(
        actor=None,
        recipients=[alice],
        kind="svi.request",
        title="A request is waiting",
        body="Harbor Lane asks to verify your status.",
        link="/partners/svi/",
    )
    return notification.email


def email_events(email):
    return list(
        AuditEvent.objects.filter(object_id=email.public_id)
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_given_a_queued_email_when_the_task_runs_twice_then_one_mail_is_sent(queued_email):
    assert send_outbound_email.call(queued_email.public_id) == "sent"
    assert send_outbound_email.call(queued_email.public_id) == "skipped:sent"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [queued_email.to]
    assert message.subject == "A request is waiting"
    assert "Harbor Lane asks" in message.body
    # Stable Message-ID: a duplicate after a crash would be recognisably the same message.
    assert message.extra_headers["Message-ID"].startswith(f"<{queued_email.public_id}@")
    queued_email.refresh_from_db()
    assert queued_email.status == EmailStatus.SENT
    assert queued_email.attempts == 1 and queued_email.sent_at is not None
    assert email_events(queued_email) == ["email.sent"]
    event = AuditEvent.objects.get(action="email.sent")
    assert event.actor is None and event.actor_label == "system"


def test_given_the_mail_server_fails_once_then_the_error_is_kept_and_a_retry_scheduled(
    queued_email, flaky_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert send_outbound_email.call(queued_email.public_id) == EmailStatus.QUEUED
    queued_email.refresh_from_db()
    assert queued_email.status == EmailStatus.QUEUED
    assert queued_email.attempts == 1
    assert "SMTPServerDisconnected" in queued_email.last_error
    wait = queued_email.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < wait <= timedelta(minutes=1)
    (retry,) = DBTaskResult.objects.filter(task_path=send_outbound_email.module_path)
    assert retry.args_kwargs["args"] == [queued_email.public_id]
    assert retry.queue_name == "email"
    assert retry.run_after == queued_email.next_attempt_at
    assert mail.outbox == []
    # A task that turns up before the retry is due (a duplicate) does nothing.
    assert send_outbound_email.call(queued_email.public_id) == "skipped:not_due"
    assert email_events(queued_email) == ["email.retry_scheduled"]


def test_given_the_mail_server_keeps_failing_then_failed_after_the_last_attempt(
    queued_email, broken_mail, quick_retries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = [send_outbound_email.call(queued_email.public_id) for _ in range(4)]
    assert outcomes == ["queued", "queued", "failed", "skipped:failed"]
    queued_email.refresh_from_db()
    assert queued_email.status == EmailStatus.FAILED
    assert queued_email.attempts == 3
    assert queued_email.next_attempt_at is None
    assert "Connection refused" in queued_email.last_error
    assert email_events(queued_email) == [
        "email.retry_scheduled",
        "email.retry_scheduled",
        "email.failed",
    ]
    # Two retries were scheduled; none after giving up.
    assert DBTaskResult.objects.filter(task_path=send_outbound_email.module_path).count() == 2


def test_given_an_unknown_email_then_the_task_does_nothing(db):
    assert send_outbound_email.call("EML-NOSUCHTHING") == "skipped:not_found"


def test_overdue_queued_emails_are_enqueued_again(queued_email, alice):
    services.notification_send(
        actor=None, recipients=[alice], kind="other.kind", title="Another", email=True
    )
    assert enqueue_overdue_emails() == 0  # just queued: its task is on its way
    later = timezone.now() + timedelta(minutes=11)
    assert enqueue_overdue_emails(now=later) == 2
    tasks = DBTaskResult.objects.filter(task_path=send_outbound_email.module_path)
    assert tasks.count() == 2
    assert {t.run_after for t in tasks} == {get_date_max()}  # due at once
    send_outbound_email.call(queued_email.public_id)
    assert enqueue_overdue_emails(now=later) == 1  # a sent e-mail is never enqueued again


def test_requeue_emails_command_requeues_failed_mail_as_a_cli_change(
    queued_email, broken_mail, settings
):
    from django.core.management import call_command

    settings.CTPAT_EMAIL_MAX_ATTEMPTS = 1
    send_outbound_email.call(queued_email.public_id)
    call_command("requeue_emails")
    queued_email.refresh_from_db()
    assert queued_email.status == EmailStatus.QUEUED
    event = AuditEvent.objects.get(action="email.requeue")
    assert event.source == "cli"
    assert OutboundEmail.objects.filter(status=EmailStatus.FAILED).count() == 0

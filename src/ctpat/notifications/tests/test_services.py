"""Notification and e-mail services, through the real database and task queue."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from ctpat.core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from ctpat.core.models import AuditEvent
from ctpat.notifications import services
from ctpat.notifications.choices import EmailStatus
from ctpat.notifications.models import Notification, OutboundEmail
from ctpat.notifications.tasks import send_outbound_email


def send(actor=None, recipients=(), **kw):
    kw.setdefault("kind", "svi.request")
    kw.setdefault("title", "Harbor Lane asks to verify your status")
    kw.setdefault("body", "Open the request to accept or decline it.")
    kw.setdefault("link", "/partners/svi/")
    return services.notification_send(actor=actor, recipients=list(recipients), **kw)


def email_tasks():
    return DBTaskResult.objects.filter(task_path=send_outbound_email.module_path)


# --- notification_send -----------------------------------------------------------------------


def test_given_two_users_when_notified_then_each_gets_a_notification_an_email_and_a_task(
    alice, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = send(recipients=[alice, bob, alice])
    assert [n.recipient for n in created] == [alice, bob]
    emails = OutboundEmail.objects.order_by("to")
    assert [e.to for e in emails] == [alice.email, bob.email]
    assert {e.status for e in emails} == {EmailStatus.QUEUED}
    assert "Open it in ctpat: /partners/svi/" in emails[0].body
    assert created[0].email == emails.get(to=alice.email)
    assert created[0].organization == alice.organization
    # The task carries only the e-mail's public id: the row is the source of truth.
    assert sorted(t.args_kwargs["args"][0] for t in email_tasks()) == sorted(
        e.public_id for e in emails
    )
    events = AuditEvent.objects.filter(action="notification.send")
    assert events.count() == 2
    assert {e.organization for e in events} == {alice.organization}


def test_given_a_dedupe_key_when_sent_twice_then_nothing_new_and_the_repeat_is_recorded(alice):
    first = send(recipients=[alice], dedupe_key="svi-request:SVI-1")
    again = send(recipients=[alice], dedupe_key="svi-request:SVI-1")
    assert len(first) == 1 and again == []
    assert Notification.objects.count() == 1
    assert OutboundEmail.objects.count() == 1
    assert AuditEvent.objects.filter(action="notification.deduplicated").count() == 1


def test_given_a_dedupe_key_when_a_new_recipient_is_added_then_only_they_are_notified(alice, bob):
    send(recipients=[alice], dedupe_key="k1")
    created = send(recipients=[alice, bob], dedupe_key="k1")
    assert [n.recipient for n in created] == [bob]
    assert OutboundEmail.objects.count() == 2


def test_given_the_callers_transaction_rolls_back_then_no_notification_email_or_task_remains(
    alice, django_capture_on_commit_callbacks
):
    before = AuditEvent.objects.count()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send(recipients=[alice])
        raise RuntimeError("the change that caused the notification failed")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert not OutboundEmail.objects.exists()
    assert not email_tasks().exists()
    assert AuditEvent.objects.count() == before


def test_given_email_false_or_no_address_then_only_the_in_app_notification(alice, bob):
    bob.email = ""
    bob.save()
    send(recipients=[alice], email=False)
    send(recipients=[bob], kind="other.kind")
    assert Notification.objects.count() == 2
    assert not OutboundEmail.objects.exists()


def test_given_an_inactive_user_then_they_are_skipped(alice, bob):
    bob.is_active = False
    bob.save()
    created = send(recipients=[alice, bob])
    assert [n.recipient for n in created] == [alice]
    with pytest.raises(DomainError) as err:
        send(recipients=[bob])
    assert err.value.code == "no_recipients"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        pytest.param({"link": "https://evil.example/"}, "invalid_link", id="foreign link"),
        pytest.param({"link": "//evil.example/"}, "invalid_link", id="protocol-relative link"),
        pytest.param({"kind": "Not A Kind"}, "invalid_kind", id="bad kind"),
        pytest.param({"title": "  "}, "title_required", id="no title"),
        pytest.param({"title": "x" * 201}, "too_long", id="long title"),
    ],
)
def test_given_bad_input_then_refused_and_nothing_written(alice, changes, code):
    with pytest.raises(DomainError) as err:
        send(recipients=[alice], **changes)
    assert err.value.code == code
    assert not Notification.objects.exists()


# --- read state ------------------------------------------------------------------------------


def test_given_my_notification_when_marked_read_and_unread_then_audited(alice):
    (n,) = send(recipients=[alice])
    n = services.notification_mark_read(actor=alice, notification=n)
    assert n.read_at is not None
    with pytest.raises(ConflictError):
        services.notification_mark_read(actor=alice, notification=n)
    n = services.notification_mark_unread(actor=alice, notification=n)
    assert n.read_at is None
    actions = list(
        AuditEvent.objects.filter(object_id=n.public_id)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["notification.send", "notification.read", "notification.unread"]


def test_given_someone_elses_notification_when_marking_it_then_not_found(alice, bob, mallory):
    (n,) = send(recipients=[alice])
    for other in (bob, mallory):
        with pytest.raises(NotFoundError):
            services.notification_mark_read(actor=other, notification=n)
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read_marks_only_mine_with_one_event(alice, bob):
    send(recipients=[alice, bob])
    send(recipients=[alice], kind="second.kind")
    assert services.notification_mark_all_read(actor=alice) == 2
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).count() == 1
    assert AuditEvent.objects.filter(action="notification.read_all").count() == 1
    with pytest.raises(ConflictError):
        services.notification_mark_all_read(actor=alice)


# --- e-mail to an address ----------------------------------------------------------------------


def test_outbound_email_queue_queues_once_per_dedupe_key(
    importer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.outbound_email_queue(
            actor=None,
            to="buyer@example.test",
            subject="Hello",
            body="Body",
            kind="test.mail",
            organization=importer.organization,
            dedupe_key="invite:1",
        )
        again = services.outbound_email_queue(
            actor=None,
            to="buyer@example.test",
            subject="Hello",
            body="Body",
            kind="test.mail",
            dedupe_key="invite:1",
        )
    assert again == first
    assert OutboundEmail.objects.count() == 1
    assert email_tasks().count() == 1
    # E-mail records are CBP operations data: their events belong to no tenant.
    assert AuditEvent.objects.get(action="email.queue").organization is None


def test_outbound_email_queue_refuses_a_bad_address(db):
    with pytest.raises(DomainError) as err:
        services.outbound_email_queue(
            actor=None, to="nope", subject="s", body="b", kind="test.mail"
        )
    assert err.value.code == "invalid_email"


# --- requeue -----------------------------------------------------------------------------------


def _failed_email(alice, broken_mail, settings):
    settings.CTPAT_EMAIL_MAX_ATTEMPTS = 1
    (n,) = send(recipients=[alice])
    assert send_outbound_email.call(n.email.public_id) == EmailStatus.FAILED
    return OutboundEmail.objects.get(pk=n.email.pk)


def test_given_a_failed_email_when_a_cbp_admin_requeues_it_then_it_is_queued_afresh(
    alice, cbp_admin, broken_mail, settings, django_capture_on_commit_callbacks
):
    email = _failed_email(alice, broken_mail, settings)
    assert email.status == EmailStatus.FAILED and email.attempts == 1
    with django_capture_on_commit_callbacks(execute=True):
        email = services.outbound_email_requeue(actor=cbp_admin, email=email, reason="SMTP fixed")
    assert (email.status, email.attempts) == (EmailStatus.QUEUED, 0)
    assert [email.public_id] in [t.args_kwargs["args"] for t in email_tasks()]
    event = AuditEvent.objects.get(action="email.requeue")
    assert event.reason == "SMTP fixed"
    assert event.before["status"] == "failed" and event.after["status"] == "queued"


@pytest.mark.parametrize("role", ["scss", "partner_officer"])
def test_only_a_cbp_admin_requeues(alice, broken_mail, settings, make_user, cbp_org, role):
    email = _failed_email(alice, broken_mail, settings)
    org = cbp_org if role == "scss" else alice.organization
    with pytest.raises(PermissionDeniedError):
        services.outbound_email_requeue(actor=make_user(role, organization=org), email=email)


def test_a_sent_email_cannot_be_requeued(alice, cbp_admin):
    (n,) = send(recipients=[alice])
    send_outbound_email.call(n.email.public_id)
    with pytest.raises(ConflictError) as err:
        services.outbound_email_requeue(actor=cbp_admin, email=n.email)
    assert err.value.code == "already_sent"


def test_requeue_failed_requeues_every_failed_email(alice, bob, broken_mail, settings):
    settings.CTPAT_EMAIL_MAX_ATTEMPTS = 1
    for n in send(recipients=[alice, bob]):
        send_outbound_email.call(n.email.public_id)
    assert services.outbound_email_requeue_failed(actor=None) == 2
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {EmailStatus.QUEUED}

"""End to end through the real database queue: services enqueue on commit, the worker
(`ctpat worker --batch`, django-tasks-db's db_worker) runs the task, the mail goes out."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django_tasks_db.models import DBTaskResult

from ctpat.notifications import services
from ctpat.notifications.choices import EmailStatus
from ctpat.notifications.models import OutboundEmail
from ctpat.notifications.tasks import send_outbound_email
from ctpat.notifications.testing import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def notify(*users, **kw):
    return services.notification_send(
        actor=None,
        recipients=users,
        kind=kw.pop("kind", "svi.request"),
        title=kw.pop("title", "A request is waiting"),
        link="/partners/svi/",
        **kw,
    )


def task_outcomes():
    return sorted(
        r.return_value
        for r in DBTaskResult.objects.filter(task_path=send_outbound_email.module_path)
    )


def test_given_notifications_when_the_worker_runs_then_every_email_is_sent_once(alice, bob):
    notify(alice, bob)
    assert mail.outbox == []  # nothing is sent in the request
    assert DBTaskResult.objects.ready().count() == 2
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, bob.email])
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}
    assert task_outcomes() == ["sent", "sent"]
    run_worker()  # nothing left to do
    assert len(mail.outbox) == 2


def test_given_the_same_email_enqueued_three_times_then_the_worker_sends_it_once(alice):
    (notification,) = notify(alice)
    services.enqueue_delivery(notification.email.public_id)
    services.enqueue_delivery(notification.email.public_id)
    run_worker()
    assert len(mail.outbox) == 1
    assert task_outcomes() == ["sent", "skipped:sent", "skipped:sent"]


def test_given_the_mail_server_fails_once_then_the_worker_retries_and_sends(
    alice, flaky_mail, quick_retries
):
    (notification,) = notify(alice)
    run_worker()
    assert len(mail.outbox) == 1
    email = OutboundEmail.objects.get(pk=notification.email.pk)
    assert (email.status, email.attempts, email.last_error) == (EmailStatus.SENT, 2, "")
    assert task_outcomes() == ["queued", "sent"]


def test_given_the_mail_server_is_down_then_failed_after_n_and_sent_after_a_requeue(
    alice, cbp_admin, broken_mail, quick_retries, settings
):
    (notification,) = notify(alice)
    run_worker()
    email = OutboundEmail.objects.get(pk=notification.email.pk)
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 3)
    assert not DBTaskResult.objects.ready().exists()  # nothing more is tried on its own
    assert mail.outbox == []
    # The server is back; a CBP admin requeues the e-mail.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    services.outbound_email_requeue(actor=cbp_admin, email=email)
    run_worker()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 1)
    assert len(mail.outbox) == 1


def test_a_certification_request_is_emailed_by_the_worker(importer_officer):
    from ctpat.partners import services as partner_services

    partner_services.certification_request_send(
        actor=importer_officer, company_name="Hanoi Ceramics", email="export@hanoi.example"
    )
    run_worker()
    (message,) = mail.outbox
    assert message.to == ["export@hanoi.example"]
    assert "Hanoi Ceramics" in message.body


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="row locks between connections: PostgreSQL"
)
def test_two_workers_sending_the_same_email_at_once_send_it_once(alice, settings):
    settings.MAILERS = {
        "default": {"BACKEND": "ctpat.notifications.tests.backends.SlowEmailBackend"}
    }
    (notification,) = notify(alice)
    public_id = notification.email.public_id
    outcomes = []
    start = threading.Barrier(2)

    def worker():
        try:
            start.wait()
            outcomes.append(send_outbound_email.call(public_id))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["sent", "skipped:sent"]
    assert len(mail.outbox) == 1
    assert connection.vendor == "postgresql"

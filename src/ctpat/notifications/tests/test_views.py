"""Notification pages: each user sees and changes only their own; the outbox is CBP admins'."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from ctpat.core.models import AuditEvent
from ctpat.notifications import services
from ctpat.notifications.choices import EmailStatus
from ctpat.notifications.constants import NOTIFICATION_PAGE_SIZE
from ctpat.notifications.context_processors import notifications_unread_count
from ctpat.notifications.models import Notification
from ctpat.notifications.tasks import send_outbound_email

HTMX = {"HTTP_HX_REQUEST": "true"}


def notify(user, title="A request is waiting", **kw):
    kw.setdefault("link", "/partners/svi/")
    (n,) = services.notification_send(
        actor=None, recipients=[user], kind=kw.pop("kind", "svi.request"), title=title, **kw
    )
    return n


def url(name, n):
    return reverse(f"notifications:{name}", kwargs={"notification_id": n.public_id})


# --- the list -------------------------------------------------------------------------------------


def test_the_list_shows_my_notifications_and_not_my_colleagues(login, alice, bob):
    notify(alice, title="For Alice only")
    notify(bob, title="For Bob only")
    page = login(alice).get(reverse("notifications:list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "For Alice only" in body and "For Bob only" not in body
    assert "1 unread" in body


def test_the_list_is_paginated_and_filters_unread(login, alice):
    for i in range(NOTIFICATION_PAGE_SIZE + 2):
        notify(alice, title=f"Message number {i}", dedupe_key=f"k{i}")
    services.notification_mark_read(actor=alice, notification=Notification.objects.last())
    client = login(alice)
    second = client.get(reverse("notifications:list"), {"page": 2})
    assert second.content.decode().count('id="notification-NTF-') == 2
    unread = client.get(reverse("notifications:list"), {"show": "unread", "page": 2})
    assert unread.content.decode().count('id="notification-NTF-') == 1


def test_an_htmx_filter_gets_the_list_partial(login, alice):
    notify(alice)
    response = login(alice).get(reverse("notifications:list"), {"show": "unread"}, **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="notification-list"')
    assert "<html" not in body


# --- read state -----------------------------------------------------------------------------------


def test_mark_read_over_htmx_swaps_the_row_and_updates_the_count(login, alice):
    n = notify(alice)
    notify(alice, title="Second", kind="other.kind")
    response = login(alice).post(url("mark_read", n), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="notification-{n.public_id}"' in body
    assert "Mark unread" in body
    assert 'id="notifications-unread-count"' in body and 'hx-swap-oob="true"' in body
    assert "1 unread" in body
    assert response["HX-Trigger"] == "ctpat:notifications-changed"
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_read_twice_and_unread_without_htmx_redirect_back(login, alice):
    n = notify(alice)
    client = login(alice)
    assert client.post(url("mark_read", n)).status_code == 302
    assert client.post(url("mark_read", n)).status_code == 302  # a double click is harmless
    assert AuditEvent.objects.filter(action="notification.read").count() == 1
    response = client.post(url("mark_unread", n), {"next": "/notifications/?show=unread"})
    assert response["Location"] == "/notifications/?show=unread"
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_read_ignores_a_next_url_on_another_site(login, alice):
    n = notify(alice)
    response = login(alice).post(url("mark_read", n), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notifications:list")


def test_open_marks_read_and_goes_to_the_link(login, alice):
    n = notify(alice, link="/partners/svi/")
    response = login(alice).post(url("open", n))
    assert response.status_code == 302 and response["Location"] == "/partners/svi/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_all_read(login, alice, bob):
    notify(alice)
    notify(alice, title="Second", kind="other.kind")
    notify(bob)
    client = login(alice)
    response = client.post(reverse("notifications:mark_all_read"), **HTMX)
    assert "Marked 2 notifications read." in response.content.decode()
    assert response["HX-Trigger"] == "ctpat:notifications-changed"
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).exists()
    again = client.post(reverse("notifications:mark_all_read"))
    assert again.status_code == 302


@pytest.mark.parametrize("name", ["mark_read", "mark_unread", "open"])
def test_someone_elses_notification_is_a_404_and_unchanged(login, alice, bob, mallory, name):
    n = notify(alice)
    for other in (bob, mallory):
        assert login(other).post(url(name, n)).status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_pages_need_a_login_and_writes_a_post(client, login, alice):
    n = notify(alice)
    assert client.get(reverse("notifications:list")).status_code == 302
    assert client.post(url("mark_read", n)).status_code == 302
    assert login(alice).get(url("mark_read", n)).status_code == 405


# --- the outbox ---------------------------------------------------------------------------------


@pytest.fixture
def failed_email(alice, broken_mail, settings):
    settings.CTPAT_EMAIL_MAX_ATTEMPTS = 1
    n = notify(alice)
    send_outbound_email.call(n.email.public_id)
    n.email.refresh_from_db()
    assert n.email.status == EmailStatus.FAILED
    return n.email


def test_a_cbp_admin_sees_the_outbox_with_status_attempts_and_errors(
    login, cbp_admin, failed_email
):
    client = login(cbp_admin)
    body = client.get(reverse("notifications:outbox")).content.decode()
    assert failed_email.to in body and "Connection refused" in body and "Requeue" in body
    assert "Failed (1)" in body
    only_sent = client.get(reverse("notifications:outbox"), {"status": "sent"})
    assert failed_email.to not in only_sent.content.decode()
    detail = client.get(
        reverse("notifications:outbox_detail", kwargs={"email_id": failed_email.public_id})
    )
    assert detail.status_code == 200 and failed_email.body in detail.content.decode()


def test_a_cbp_admin_requeues_a_failed_email_from_the_outbox(
    login, cbp_admin, failed_email, django_capture_on_commit_callbacks
):
    requeue = reverse("notifications:outbox_requeue", kwargs={"email_id": failed_email.public_id})
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cbp_admin).post(requeue, **HTMX)
    assert response.status_code == 200
    assert f'id="email-{failed_email.public_id}"' in response.content.decode()
    failed_email.refresh_from_db()
    assert failed_email.status == EmailStatus.QUEUED
    assert send_outbound_email.call(failed_email.public_id) == "failed"  # server still down


@pytest.mark.parametrize("role", ["scss", "nam", "partner_officer"])
def test_the_outbox_is_for_cbp_admins_only(login, make_user, cbp_org, alice, failed_email, role):
    org = alice.organization if role.startswith("partner") else cbp_org
    client = login(make_user(role, organization=org))
    email_kwargs = {"email_id": failed_email.public_id}
    assert client.get(reverse("notifications:outbox")).status_code == 403
    assert (
        client.get(reverse("notifications:outbox_detail", kwargs=email_kwargs)).status_code == 403
    )
    requeue = reverse("notifications:outbox_requeue", kwargs=email_kwargs)
    assert client.post(requeue).status_code == 403
    failed_email.refresh_from_db()
    assert failed_email.status == EmailStatus.FAILED


def test_an_unknown_email_is_a_404_for_a_cbp_admin(login, cbp_admin):
    page = reverse("notifications:outbox_detail", kwargs={"email_id": "EML-NOPE"})
    assert login(cbp_admin).get(page).status_code == 404


# --- the header count (context processor) --------------------------------------------------------


def test_the_unread_count_is_the_users_own_and_lazy(alice, bob, django_assert_num_queries):
    notify(alice)
    notify(alice, title="Second", kind="other.kind")
    notify(bob)
    request = RequestFactory().get("/")
    request.user = alice
    with django_assert_num_queries(0):
        context = notifications_unread_count(request)
    with django_assert_num_queries(1):
        assert str(context["notifications_unread_count"]) == "2"


def test_the_unread_count_is_zero_when_signed_out_or_before_two_factor(cbp_admin):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert notifications_unread_count(request) == {"notifications_unread_count": 0}
    request.user = cbp_admin  # no verified second factor on this request
    assert notifications_unread_count(request) == {"notifications_unread_count": 0}

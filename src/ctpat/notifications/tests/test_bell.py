"""The header's notifications bell: the viewer's own unread count on every page, one query."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ctpat.notifications import services

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def notify(user, n=1, kind="svi.request"):
    made = []
    for i in range(n):
        made += services.notification_send(
            actor=None,
            recipients=[user],
            kind=kind,
            title=f"Message {i}",
            link="/partners/svi/",
            dedupe_key=f"bell-{kind}-{i}",
        )
    return made


def bell_label(body: str) -> str | None:
    match = re.search(r'<a id="ctpat-bell"[^>]*aria-label="([^"]+)"', body)
    return match.group(1) if match else None


@pytest.mark.parametrize(
    "path", ["/", "/partners/", "/criteria/", "/notifications/"], ids=lambda p: p
)
def test_every_page_shows_the_bell_with_my_unread_count(path, login, alice):
    notify(alice, 3)
    body = login(alice).get(path).content.decode()
    assert bell_label(body) == "Notifications, 3 unread"
    assert 'href="/notifications/"' in body


def test_the_count_follows_reading_and_unreading(login, alice):
    first, second = notify(alice, 2)
    client = login(alice)
    assert bell_label(client.get("/").content.decode()) == "Notifications, 2 unread"
    client.post(reverse("notifications:mark_read", args=[first.public_id]))
    assert bell_label(client.get("/").content.decode()) == "Notifications, 1 unread"
    client.post(reverse("notifications:mark_all_read"))
    body = client.get("/").content.decode()
    assert bell_label(body) == "Notifications, 0 unread"
    assert "ctpat-bell__count" not in body  # no badge at zero
    client.post(reverse("notifications:mark_unread", args=[second.public_id]))
    assert bell_label(client.get("/").content.decode()) == "Notifications, 1 unread"


def test_an_htmx_mark_read_sends_the_new_bell_out_of_band(login, alice):
    first, _ = notify(alice, 2)
    response = login(alice).post(reverse("notifications:mark_read", args=[first.public_id]), **HTMX)
    body = response.content.decode()
    assert re.search(r'<a id="ctpat-bell"[^>]*hx-swap-oob="true"', body)
    assert bell_label(body) == "Notifications, 1 unread"


def test_the_count_never_includes_another_users_notifications(login, alice, bob, mallory):
    notify(bob, 4)
    notify(mallory, 2)
    notify(alice, 1)
    assert bell_label(login(alice).get("/").content.decode()) == "Notifications, 1 unread"
    assert bell_label(login(mallory).get("/").content.decode()) == "Notifications, 2 unread"


def test_no_bell_for_anonymous_visitors_or_before_two_factor(client, cbp_admin):
    assert bell_label(client.get(reverse("login")).content.decode()) is None
    client.force_login(cbp_admin)  # a CBP role that has not passed its second factor
    response = client.get(reverse("two_factor_setup"))
    assert bell_label(response.content.decode()) is None


def test_the_bell_costs_one_count_query(login, alice):
    notify(alice, 5)
    client = login(alice)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("criteria:catalog"))
    counts = [
        q["sql"]
        for q in queries.captured_queries
        if "notifications_notification" in q["sql"] and "COUNT" in q["sql"].upper()
    ]
    assert len(counts) == 1
    assert "read_at" in counts[0] and "recipient_id" in counts[0]

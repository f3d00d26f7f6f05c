"""Notification API: the caller's own notifications only."""

from __future__ import annotations

from ctpat.core.models import AuditEvent
from ctpat.notifications import services

LIST = "/api/notifications/"


def notify(user, title="A request is waiting", kind="svi.request"):
    (n,) = services.notification_send(
        actor=None, recipients=[user], kind=kind, title=title, link="/partners/svi/"
    )
    return n


def test_list_is_my_own_notifications_newest_first(api_client, alice, bob):
    notify(alice, title="First")
    notify(alice, title="Second", kind="other.kind")
    notify(bob, title="For Bob")
    response = api_client(alice).get(LIST)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert [r["title"] for r in data["results"]] == ["Second", "First"]
    first = data["results"][1]
    assert set(first) == {
        "public_id",
        "kind",
        "title",
        "body",
        "link",
        "is_read",
        "read_at",
        "created_at",
    }
    assert first["link"] == "/partners/svi/" and first["is_read"] is False


def test_list_filters_unread_and_kind_and_refuses_bad_values(api_client, alice):
    n = notify(alice)
    notify(alice, title="Other", kind="other.kind")
    services.notification_mark_read(actor=alice, notification=n)
    client = api_client(alice)
    assert client.get(LIST, {"unread": "true"}).json()["count"] == 1
    assert client.get(LIST, {"unread": "false"}).json()["count"] == 1
    assert client.get(LIST, {"kind": "svi.request"}).json()["count"] == 1
    bad = client.get(LIST, {"unread": "yes"})
    assert bad.status_code == 400


def test_mark_read_and_unread_are_idempotent(api_client, alice):
    n = notify(alice)
    client = api_client(alice)
    read = f"{LIST}{n.public_id}/read/"
    first = client.post(read, {}, format="json")
    assert first.status_code == 200 and first.json()["is_read"] is True
    assert client.post(read, format="json").json()["is_read"] is True
    assert AuditEvent.objects.filter(action="notification.read").count() == 1
    unread = client.post(f"{LIST}{n.public_id}/unread/", format="json")
    assert unread.json()["is_read"] is False and unread.json()["read_at"] is None


def test_mark_read_refuses_a_body(api_client, alice):
    n = notify(alice)
    response = api_client(alice).post(f"{LIST}{n.public_id}/read/", {"x": 1}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_fields"


def test_someone_elses_notification_is_a_404(api_client, alice, mallory, bob):
    n = notify(alice)
    for other in (bob, mallory):
        client = api_client(other)
        assert client.get(f"{LIST}{n.public_id}/").status_code == 404
        response = client.post(f"{LIST}{n.public_id}/read/", format="json")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    n.refresh_from_db()
    assert n.read_at is None


def test_read_all(api_client, alice, bob):
    notify(alice)
    notify(alice, title="Other", kind="other.kind")
    notify(bob)
    client = api_client(alice)
    assert client.post(f"{LIST}read-all/", format="json").json() == {"marked": 2}
    assert client.post(f"{LIST}read-all/", format="json").json() == {"marked": 0}
    assert api_client(bob).get(LIST, {"unread": "true"}).json()["count"] == 1


def test_a_token_is_needed(client, db):
    assert client.get(LIST).status_code in (401, 403)

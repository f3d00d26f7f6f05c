"""E-mails link back with absolute URLs built from CTPAT_SITE_URL; a system check asks for it."""

from __future__ import annotations

import pytest

from ctpat.core.checks import check_site_url
from ctpat.notifications import services
from ctpat.notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db


def test_the_email_body_holds_the_absolute_link(alice, settings):
    settings.CTPAT_SITE_URL = "https://ctpat.example.gov"
    (notification,) = services.notification_send(
        actor=None,
        recipients=[alice],
        kind="svi.request",
        title="A connection request is waiting",
        link="/partners/svi/",
    )
    email = OutboundEmail.objects.get(pk=notification.email_id)
    assert "Open it in ctpat: https://ctpat.example.gov/partners/svi/" in email.body
    assert notification.link == "/partners/svi/"  # in-app links stay paths


def test_a_trailing_slash_on_the_site_url_does_not_double(alice, settings):
    settings.CTPAT_SITE_URL = "https://ctpat.example.gov/"
    body = services.notification_email_body(title="T", body="", link="/notifications/")
    assert "https://ctpat.example.gov/notifications/" in body
    assert "gov//" not in body


@pytest.mark.parametrize(
    ("site_url", "demo", "testing", "expected"),
    [
        ("", False, False, ["ctpat.W010"]),
        ("", True, False, []),
        ("", False, True, []),
        ("https://ctpat.example.gov", False, False, []),
        ("http://127.0.0.1:8000", False, False, []),
        ("ctpat.example.gov", False, False, ["ctpat.E010"]),
        ("ftp://ctpat.example.gov", False, False, ["ctpat.E010"]),
    ],
    ids=[
        "missing in production warns",
        "missing in the demo is fine",
        "missing in tests is fine",
        "https address",
        "demo address",
        "no scheme is an error",
        "not http is an error",
    ],
)
def test_the_site_url_check(site_url, demo, testing, expected, settings):
    settings.CTPAT_SITE_URL = site_url
    settings.DEMO_MODE = demo
    settings.TESTING = testing
    assert [message.id for message in check_site_url()] == expected


def test_the_demo_command_sets_the_site_url_to_its_address(monkeypatch, tmp_path):
    """`ctpat demo --port 8123` links e-mails to http://127.0.0.1:8123 (set before Django)."""
    import os

    from ctpat.config import cli

    monkeypatch.delenv("CTPAT_SITE_URL", raising=False)
    seen = {}

    def stop(*args, **kwargs):
        seen["site_url"] = os.environ.get("CTPAT_SITE_URL")
        raise SystemExit(0)

    monkeypatch.setattr(cli, "_setup_django", stop)
    for name in ("CTPAT_DATA_DIR", "CTPAT_DEMO", "ALLOWED_HOSTS"):
        monkeypatch.setenv(name, os.environ.get(name, ""))  # restored after the test
    with pytest.raises(SystemExit):
        cli.main(["demo", "--data-dir", str(tmp_path), "--port", "8123", "--no-serve"])
    assert seen["site_url"] == "http://127.0.0.1:8123"

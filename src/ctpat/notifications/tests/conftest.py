"""Fixtures for the notification tests: users to notify, and mail backends that misbehave."""

from __future__ import annotations

import pytest

from .backends import FailingEmailBackend, FlakyEmailBackend

TEST_BACKENDS = "ctpat.notifications.tests.backends"


@pytest.fixture
def alice(importer, make_user):
    return make_user("partner_officer", organization=importer.organization, username="alice")


@pytest.fixture
def bob(importer, make_user):
    return make_user("partner_compliance", organization=importer.organization, username="bob")


@pytest.fixture
def mallory(manufacturer, make_user):
    """A user of another company."""
    return make_user("partner_officer", organization=manufacturer.organization, username="mallory")


@pytest.fixture
def flaky_mail(settings):
    """The mailer refuses the first message, then delivers to ``mail.outbox``."""
    FlakyEmailBackend.failures_left = 1
    settings.MAILERS = {"default": {"BACKEND": f"{TEST_BACKENDS}.FlakyEmailBackend"}}
    return FlakyEmailBackend


@pytest.fixture
def broken_mail(settings):
    """The mailer refuses every message."""
    settings.MAILERS = {"default": {"BACKEND": f"{TEST_BACKENDS}.FailingEmailBackend"}}
    return FailingEmailBackend


@pytest.fixture
def quick_retries(settings):
    """Retries are due at once, and the third failure is the last."""
    settings.CTPAT_EMAIL_RETRY_BASE_SECONDS = 0
    settings.CTPAT_EMAIL_MAX_ATTEMPTS = 3

"""Shared pytest fixtures: users of every role, partners, authenticated clients."""

from __future__ import annotations

import os

os.environ.setdefault("CTPAT_TESTING", "true")

import pytest

# Browser fixtures (Chromium, axe) for any test module that drives a page; the suite's order
# (seeded rows survive transactional tests; CTPAT_TEST_ORDER=reverse|shuffle).
pytest_plugins = ["tests.browser.fixtures", "tests.ordering"]


@pytest.fixture
def make_partner(db):
    from ctpat.testing import make_partner

    return make_partner


@pytest.fixture
def make_user(db):
    from ctpat.testing import make_user

    return make_user


@pytest.fixture
def cbp_org(db):
    from ctpat.testing import make_organization

    return make_organization("cbp", name="CBP CTPAT Office")


@pytest.fixture
def cbp_admin(cbp_org, make_user):
    return make_user("cbp_admin", organization=cbp_org)


@pytest.fixture
def scss(cbp_org, make_user):
    return make_user("scss", organization=cbp_org)


@pytest.fixture
def importer(make_partner):
    return make_partner(
        name="Acme Imports Inc.", entity_type="importer", country="US", status="certified"
    )


@pytest.fixture
def manufacturer(make_partner):
    return make_partner(
        name="Shanghai Widget Factory",
        entity_type="foreign_manufacturer",
        country="CN",
        invited=True,  # outside Mexico and Canada a foreign manufacturer joins by invitation
        status="certified",
    )


@pytest.fixture
def importer_officer(importer, make_user):
    return make_user("partner_officer", organization=importer.organization)


@pytest.fixture
def manufacturer_officer(manufacturer, make_user):
    return make_user("partner_officer", organization=manufacturer.organization)


def _verified_client(client, user):
    """Log ``user`` in; CBP roles also pass their second factor."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    if user.needs_two_factor:
        from ctpat.accounts.services import totp_device_create_confirmed

        device = totp_device_create_confirmed(actor=None, user=user)
        # Mark the session verified exactly as django-otp's login() does.
        from django.test import RequestFactory

        request = RequestFactory().get("/")
        request.session = client.session
        request.user = user
        otp_login(request, TOTPDevice.objects.get(pk=device.pk))
        request.session.save()
    return client


@pytest.fixture
def login(client):
    """``login(user)`` returns the test client logged in (and 2FA-verified) as ``user``."""

    def _login(user, c=None):
        from django.test import Client

        return _verified_client(c or Client(), user)

    return _login


@pytest.fixture
def api_client(db):
    """``api_client(user)`` returns a DRF client authenticated with a real hashed token."""
    from rest_framework.test import APIClient

    def _make(user):
        from ctpat.accounts.services import api_token_create, totp_device_create_confirmed

        if user.needs_two_factor:
            totp_device_create_confirmed(actor=None, user=user)
        _, key = api_token_create(actor=user, name="test")
        c = APIClient()
        c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return c

    return _make

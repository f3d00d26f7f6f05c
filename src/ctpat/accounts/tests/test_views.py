"""Sign-in, the second factor for CBP roles, and API tokens, driven through the pages."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctpat.accounts.models import ApiToken
from ctpat.accounts.services import api_token_create, totp_device_create_confirmed
from ctpat.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


# --- Sign in / out -------------------------------------------------------------------------


def test_given_anonymous_visitor_when_opening_login_then_form_with_labels_renders():
    response = Client().get(reverse("login"))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'for="id_username"' in html and 'for="id_password"' in html
    assert "style=" not in html


def test_given_anonymous_visitor_when_opening_dashboard_then_redirected_to_login():
    response = Client().get("/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_given_partner_user_when_signing_in_then_dashboard_follows(importer_officer):
    client = Client()

    response = client.post(
        reverse("login"), {"username": importer_officer.username, "password": TEST_PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_given_wrong_password_when_signing_in_then_error_is_shown(importer_officer):
    response = Client().post(
        reverse("login"), {"username": importer_officer.username, "password": "wrong-password"}
    )

    assert response.status_code == 200
    assert "The user name or password is not correct." in response.content.decode()


def test_given_repeated_wrong_passwords_when_signing_in_then_lockout_page(
    importer_officer, settings
):
    client = Client()
    data = {"username": importer_officer.username, "password": "wrong-password"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), data)

    response = client.post(reverse("login"), {**data, "password": TEST_PASSWORD})

    assert response.status_code == 429
    html = response.content.decode()
    assert "Sign-in is paused" in html
    assert "Too many failed sign-in attempts" in html


def test_given_signed_in_user_when_logout_by_get_then_refused_and_by_post_then_signed_out(
    login, importer_officer
):
    client = login(importer_officer)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


# --- Second factor -------------------------------------------------------------------------


def test_given_cbp_user_without_second_factor_when_opening_a_page_then_redirected_to_setup(scss):
    client = Client()
    client.force_login(scss)

    response = client.get(reverse("partners:list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_setup"))
    assert "next=/partners/" in response.url


def test_given_cbp_user_when_opening_setup_then_qr_svg_and_secret_are_shown(scss):
    client = Client()
    client.force_login(scss)

    response = client.get(reverse("two_factor_setup"))

    assert response.status_code == 200
    html = response.content.decode()
    device = TOTPDevice.objects.get(user=scss, confirmed=False)
    assert re.search(r'<svg class="ctpat-qr[^"]*"', html)
    assert '<path d="M' in html
    secret = html.split('id="totp-secret">')[1].split("<")[0].replace(" ", "")
    assert device.config_url.split("secret=")[1].startswith(secret)
    assert "style=" not in html
    assert "<script>" not in html


def test_given_setup_page_when_reloaded_then_same_secret_is_kept(scss):
    client = Client()
    client.force_login(scss)

    client.get(reverse("two_factor_setup"))
    client.get(reverse("two_factor_setup"))

    assert TOTPDevice.objects.filter(user=scss).count() == 1


def test_given_correct_code_when_confirming_setup_then_verified_and_sent_on(scss):
    client = Client()
    client.force_login(scss)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=scss)

    response = client.post(
        reverse("two_factor_setup"), {"code": current_code(device), "next": "/partners/"}
    )

    assert response.status_code == 302
    assert response.url == "/partners/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("partners:list")).status_code == 200


def test_given_wrong_code_when_confirming_setup_then_error_and_not_confirmed(scss):
    client = Client()
    client.force_login(scss)
    client.get(reverse("two_factor_setup"))

    response = client.post(reverse("two_factor_setup"), {"code": "000000"})

    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    assert not TOTPDevice.objects.get(user=scss).confirmed


def test_given_confirmed_device_when_signing_in_then_verify_page_accepts_only_right_code(scss):
    device = totp_device_create_confirmed(actor=None, user=scss)
    client = Client()
    client.force_login(scss)
    assert client.get("/").url.startswith(reverse("two_factor_verify"))

    wrong = client.post(reverse("two_factor_verify"), {"code": "123456"})
    assert wrong.status_code == 200
    assert "not correct" in wrong.content.decode()

    device.refresh_from_db()
    device.throttle_reset()
    right = client.post(reverse("two_factor_verify"), {"code": current_code(device), "next": "/"})
    assert right.status_code == 302
    assert client.get("/").status_code == 200


def test_given_partner_user_when_opening_setup_then_sent_back(login, importer_officer):
    response = login(importer_officer).get(reverse("two_factor_setup"))

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=importer_officer).exists()


# --- API tokens ----------------------------------------------------------------------------


def test_given_user_when_creating_a_token_then_key_is_shown_once_and_only_digest_stored(
    login, importer_officer
):
    client = login(importer_officer)

    response = client.post(reverse("accounts:tokens"), {"name": "ERP sync", "days_valid": "30"})

    assert response.status_code == 200
    html = response.content.decode()
    token = ApiToken.objects.get(user=importer_officer)
    key = html.split('id="new-token-key" type="text" value="')[1].split('"')[0]
    assert key.startswith(token.key_prefix)
    assert token.key_digest != key
    assert "no-store" in response["Cache-Control"]
    assert key not in client.get(reverse("accounts:tokens")).content.decode()


def test_given_blank_name_when_creating_a_token_then_error_and_nothing_created(
    login, importer_officer
):
    response = login(importer_officer).post(
        reverse("accounts:tokens"), {"name": " ", "days_valid": "30"}
    )

    assert response.status_code == 200
    assert "usa-error-message" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_given_token_when_revoked_with_htmx_then_partial_shows_it_revoked(login, importer_officer):
    token, _ = api_token_create(actor=importer_officer, name="old")
    client = login(importer_officer)

    response = client.post(
        reverse("accounts:token_revoke", args=[token.public_id]), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'id="token-list"' in html
    assert "is revoked" in html
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_given_someone_elses_token_when_revoking_then_404_and_unchanged(
    login, importer_officer, manufacturer_officer
):
    token, _ = api_token_create(actor=manufacturer_officer, name="theirs")

    response = login(importer_officer).post(
        reverse("accounts:token_revoke", args=[token.public_id])
    )

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_given_tokens_page_then_lists_only_own_tokens(
    login, importer_officer, manufacturer_officer
):
    api_token_create(actor=importer_officer, name="mine")
    api_token_create(actor=manufacturer_officer, name="theirs")

    html = login(importer_officer).get(reverse("accounts:tokens")).content.decode()

    assert "mine" in html
    assert "theirs" not in html

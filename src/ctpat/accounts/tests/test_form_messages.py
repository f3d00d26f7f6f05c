"""Log-in, second-factor and token forms report every error at once, in full sentences."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ctpat.accounts.forms import ApiTokenCreateForm, LoginForm, TwoFactorCodeForm

pytestmark = pytest.mark.django_db


def _all_messages(form) -> list[str]:
    return [message for messages in form.errors.values() for message in messages]


def _sentences(messages):
    for message in messages:
        assert message[:1].isupper() and message.rstrip().endswith("."), message


def test_an_empty_log_in_names_both_missing_fields_at_once():
    form = LoginForm(data={"username": "", "password": ""})
    assert not form.is_valid()
    assert form.errors["username"] == ["Enter your user name."]
    assert form.errors["password"] == ["Enter your password."]


def test_a_wrong_password_is_a_full_sentence_on_the_page(importer_officer):
    response = Client().post(
        reverse("login"), {"username": importer_officer.username, "password": "nope-nope-nope"}
    )
    assert "The user name or password is not correct. Both are case-sensitive." in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the 6-digit code from your authenticator app."),
        ("123", "Enter all 6 digits your authenticator app shows."),
        ("123456789", "Enter the 6 digits your authenticator app shows, and nothing else."),
        ("12345a", "Enter the 6 digits your authenticator app shows."),
    ],
    ids=["empty", "short", "long", "letters"],
)
def test_two_factor_code_messages(code, message):
    form = TwoFactorCodeForm(data={"code": code})
    assert not form.is_valid()
    assert form.errors["code"] == [message]


def test_the_token_form_reports_every_field_at_once():
    form = ApiTokenCreateForm(data={"name": "n" * 101, "days_valid": "7"})
    assert not form.is_valid()
    assert form.errors["name"] == [
        "The token name can be at most 100 characters long (it has 101)."
    ]
    assert form.errors["days_valid"] == ["Choose one of the listed validity periods."]
    empty = ApiTokenCreateForm(data={})
    assert not empty.is_valid() and set(empty.errors) == {"name", "days_valid"}
    _sentences(_all_messages(form) + _all_messages(empty))

"""Forms for signing in, the second factor and API tokens."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from ctpat.core.textfields import LongTextField

from .services import MAX_TOKEN_DAYS, USER_ACTION_REASON_MAX_LENGTH

TOKEN_VALIDITY_CHOICES = [
    (30, "30 days"),
    (90, "90 days"),
    (180, "180 days"),
    (MAX_TOKEN_DAYS, f"{MAX_TOKEN_DAYS} days"),
]


class LoginForm(AuthenticationForm):
    """Django's form (it passes ``request`` to authenticate, which django-axes needs)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "The user name or password is not correct. Both are case-sensitive.",
        "inactive": "This account is inactive. Ask your organization's CTPAT administrator.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your user name."
        self.fields["password"].error_messages["required"] = "Enter your password."
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label="6-digit code from your authenticator app",
        min_length=6,
        max_length=8,
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app.",
            "min_length": "Enter all 6 digits your authenticator app shows.",
            "max_length": "Enter the 6 digits your authenticator app shows, and nothing else.",
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("Enter the 6 digits your authenticator app shows.")
        return code


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        error_messages={
            "required": "Give the token a name so you can recognise it later.",
            "max_length": "The token name can be at most %(limit_value)d characters long "
            "(it has %(show_value)d).",
        },
        help_text="What the token is for, e.g. “ERP nightly sync”, so you can recognise it later.",
    )
    days_valid = forms.TypedChoiceField(
        label="Valid for",
        choices=TOKEN_VALIDITY_CHOICES,
        coerce=int,
        initial=90,
        error_messages={
            "required": "Choose how long the token stays valid.",
            "invalid_choice": "Choose one of the listed validity periods.",
        },
        help_text="The token stops working after this many days. You can revoke it at any time.",
    )


class UserSearchForm(forms.Form):
    q = forms.CharField(
        label="Name, user name, e-mail, organization or user id", required=False, max_length=200
    )


class UserActionReasonForm(forms.Form):
    """The reason a CBP program admin gives for revoking a user's tokens or (de)activating
    them; kept in the audit trail."""

    reason = LongTextField(
        label="Reason",
        max_length=USER_ACTION_REASON_MAX_LENGTH,
        required=True,
        rows=3,
        error_messages={"required": "Give the reason: it is kept in the audit trail."},
    )

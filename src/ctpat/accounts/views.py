"""Sign in and out, the TOTP second factor for CBP roles, and personal API tokens."""

from __future__ import annotations

import base64

import qrcode
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

from ctpat.core.errors import DomainError, NotFoundError
from ctpat.core.htmx import render_page_or_partial
from ctpat.core.lists import list_page
from ctpat.core.views import (
    add_domain_error,
    domain_errors_as_http,
    require_perm,
    safe_next_url,
)

from . import roles, selectors, services
from .forms import (
    ApiTokenCreateForm,
    LoginForm,
    TwoFactorCodeForm,
    UserActionReasonForm,
    UserSearchForm,
)
from .models import ApiToken


def _next_url(request: HttpRequest) -> str:
    """The ``next`` parameter if it points into this site, else the dashboard."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    return safe_next_url(request, candidate, reverse("dashboard"))


# --- Sign in / out -------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET), back to the sign-in page."""


# --- Second factor -------------------------------------------------------------------------


def _qr_svg_path(uri: str) -> tuple[str, int]:
    """The QR code's SVG path data and its size in modules (border included).

    We draw the <svg> element ourselves so it carries a class and an accessible name and no
    presentation that the Content-Security-Policy would refuse.
    """
    image = qrcode.make(uri, image_factory=SvgPathImage, border=2)
    return image.path.get("d"), image.width + 2 * image.border


def _confirmed_devices(user) -> list:
    return list(devices_for_user(user, confirmed=True))


def _secret_for_display(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    next_url = _next_url(request)
    if not roles.requires_two_factor(user):
        messages.info(request, "Your role does not use a second sign-in factor.")
        return redirect(next_url)
    if _confirmed_devices(user):
        if user.is_verified():
            return redirect(next_url)
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': next_url})}")

    restart = request.method == "POST" and request.POST.get("action") == "restart"
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None or restart:
        device = services.totp_device_start(actor=user)

    form = TwoFactorCodeForm(request.POST if request.method == "POST" and not restart else None)
    if form.is_bound and form.is_valid():
        if services.totp_device_confirm(actor=user, device=device, token=form.cleaned_data["code"]):
            otp_login(request, device)
            messages.success(request, "Two-factor authentication is set up. You are signed in.")
            return redirect(next_url)
        form.add_error(
            "code",
            "That code did not match. Check that your phone's clock is right and enter the "
            "code your app shows now.",
        )

    uri = device.config_url
    path_data, size = _qr_svg_path(uri)
    context = {
        "form": form,
        "next": next_url,
        "qr_path": path_data,
        "qr_size": size,
        "otpauth_uri": uri,
        "secret": _secret_for_display(device),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    next_url = _next_url(request)
    if not roles.requires_two_factor(user) or user.is_verified():
        return redirect(next_url)
    devices = _confirmed_devices(user)
    if not devices:
        return redirect(f"{reverse('two_factor_setup')}?{urlencode({'next': next_url})}")

    form = TwoFactorCodeForm(request.POST or None)
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["code"]
        throttled = False
        for device in devices:
            allowed, _info = device.verify_is_allowed()
            if not allowed:
                throttled = True
                continue
            # verify_token records failures: django-otp slows down repeated wrong codes.
            if device.verify_token(code):
                otp_login(request, device)
                return redirect(next_url)
        if throttled:
            form.add_error(
                "code",
                "Too many wrong codes. Wait a minute, then enter the code your app shows now.",
            )
        else:
            form.add_error(
                "code",
                "That code is not correct or has expired. Enter the code your app shows now.",
            )
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


# --- API tokens ----------------------------------------------------------------------------


def _own_tokens(user):
    return ApiToken.objects.restrict(user).order_by("-created_at")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenCreateForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, key = services.api_token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                days_valid=form.cleaned_data["days_valid"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            # Shown in this response only: the key is never stored or shown again.
            created = {"token": token, "key": key}
            form = ApiTokenCreateForm()
    context = {"form": form, "created": created, "tokens": _own_tokens(request.user)}
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
@domain_errors_as_http
def token_revoke(request: HttpRequest, token_id: str) -> HttpResponse:
    token = _own_tokens(request.user).filter(public_id=token_id).first()
    if token is None:
        raise NotFoundError("No such token.")
    services.api_token_revoke(actor=request.user, token=token)
    notice = f"Token “{token.name}” is revoked; programs using it can no longer connect."
    if request.htmx:
        return render_page_or_partial(
            request,
            "accounts/tokens.html",
            "accounts/partials/token_list.html",
            {"tokens": _own_tokens(request.user), "notice": notice},
        )
    messages.success(request, notice)
    return redirect("accounts:tokens")


# --- Users (CBP program admins) --------------------------------------------------------------

USER_PAGE_SIZE = 50


@login_required
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    """CBP program admins find a user to revoke their API tokens or deactivate them."""
    require_perm(request.user, "user.manage")
    form = UserSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    users = selectors.user_list(viewer=request.user, query=query)
    return list_page(
        request,
        items=users,
        page_size=USER_PAGE_SIZE,
        template="accounts/users.html",
        context={"form": form},
    )


def _user_page(request, user, *, forms_by_action=None, status=200) -> HttpResponse:
    forms_by_action = forms_by_action or {}
    context = {
        "managed": user,
        "tokens": selectors.user_tokens(viewer=request.user, user=user),
        "revoke_form": forms_by_action.get("revoke") or UserActionReasonForm(prefix="revoke"),
        "active_form": forms_by_action.get("active") or UserActionReasonForm(prefix="active"),
        "is_self": user.pk == request.user.pk,
    }
    return render(request, "accounts/user_detail.html", context, status=status)


@login_required
@require_GET
@domain_errors_as_http
def user_detail(request: HttpRequest, user_id: str) -> HttpResponse:
    require_perm(request.user, "user.manage")
    return _user_page(request, selectors.user_get(viewer=request.user, public_id=user_id))


def _user_action(request, user_id: str, action: str, call, done) -> HttpResponse:
    require_perm(request.user, "user.manage")
    user = selectors.user_get(viewer=request.user, public_id=user_id)
    prefix = "revoke" if action == "revoke" else "active"
    form = UserActionReasonForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            result = call(user, form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, done(user, result))
            return redirect("accounts:user_detail", user_id=user.public_id)
    return _user_page(request, user, forms_by_action={prefix: form}, status=400)


@login_required
@require_POST
@domain_errors_as_http
def user_tokens_revoke(request: HttpRequest, user_id: str) -> HttpResponse:
    def call(user, reason):
        return services.user_api_tokens_revoke(actor=request.user, user=user, reason=reason)

    def done(user, revoked):
        if not revoked:
            return f"{user.username} had no active API tokens; nothing was revoked."
        count = "1 API token" if len(revoked) == 1 else f"{len(revoked)} API tokens"
        return f"Revoked {count} of {user.username}: programs using them stop working at once."

    return _user_action(request, user_id, "revoke", call, done)


@login_required
@require_POST
@domain_errors_as_http
def user_deactivate(request: HttpRequest, user_id: str) -> HttpResponse:
    def call(user, reason):
        return services.user_deactivate(actor=request.user, user=user, reason=reason)

    def done(user, _):
        return (
            f"{user.username} is deactivated: they are signed out and their API tokens are revoked."
        )

    return _user_action(request, user_id, "active", call, done)


@login_required
@require_POST
@domain_errors_as_http
def user_reactivate(request: HttpRequest, user_id: str) -> HttpResponse:
    def call(user, reason):
        return services.user_reactivate(actor=request.user, user=user, reason=reason)

    def done(user, _):
        return f"{user.username} can sign in again. Their old API tokens stay revoked."

    return _user_action(request, user_id, "active", call, done)

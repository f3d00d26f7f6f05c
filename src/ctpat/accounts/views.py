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
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

from ctpat.core.errors import DomainError, NotFoundError
from ctpat.core.htmx import render_page_or_partial
from ctpat.core.views import add_domain_error, domain_errors_as_http, safe_next_url

from . import roles, services
from .forms import ApiTokenCreateForm, LoginForm, TwoFactorCodeForm
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

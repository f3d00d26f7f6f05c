"""Writes for organizations, users, API tokens and second factors."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctpat.core.countries import country_codes
from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.services import audit_record, service, snapshot
from ctpat.core.textlimits import require_within

from . import roles
from .choices import OrganizationKind
from .models import ApiToken, Organization, User, hash_token

ORGANIZATION_FIELDS = ("name", "kind", "country", "program_name", "is_active")
USER_FIELDS = ("username", "email", "first_name", "last_name", "role", "organization", "is_active")
MAX_TOKEN_DAYS = 365
# The longest token name (ApiToken.name); a longer one is refused, never cut.
TOKEN_NAME_MAX_LENGTH = 100


def _require(actor, code: str) -> None:
    if actor is not None and not roles.has_perm(actor, code):
        raise PermissionDeniedError()


def _normalise_country(country: str) -> str:
    value = (country or "").strip().upper()
    if value not in country_codes():
        raise DomainError(
            f"'{country}' is not an ISO 3166-1 alpha-2 country code (e.g. US, CA, MX, CN).",
            code="invalid_country",
            fields={"country": ["Not an ISO 3166-1 alpha-2 country code."]},
        )
    return value


@service
def organization_create(
    *, actor, name: str, kind: str, country: str, program_name: str = ""
) -> Organization:
    """Create a tenant. ``actor=None`` is the system (installation, demo seeding)."""
    _require(actor, "organization.manage")
    name = (name or "").strip()
    if not name:
        raise DomainError(
            "An organization needs a name.",
            code="name_required",
            fields={"name": ["This field is required."]},
        )
    if len(name) > Organization._meta.get_field("name").max_length:
        raise DomainError(
            "An organization name can have at most 200 characters.",
            code="name_too_long",
            fields={"name": ["At most 200 characters."]},
        )
    if kind not in OrganizationKind.values:
        raise DomainError(f"There is no organization kind '{kind}'.", code="invalid_kind")
    if Organization.objects.filter(kind=kind, name__iexact=name).exists():
        raise ConflictError(
            f"An organization named '{name}' already exists.", code="duplicate_organization"
        )
    org = Organization(
        name=name, kind=kind, country=_normalise_country(country), program_name=program_name
    )
    org.save()
    audit_record(
        actor=actor,
        action="organization.create",
        obj=org,
        organization=org,
        after=snapshot(org, ORGANIZATION_FIELDS),
    )
    return org


@service
def user_create(
    *,
    actor,
    organization: Organization,
    username: str,
    email: str,
    role: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    _require(actor, "user.manage")
    if not roles.role_fits_organization(role, organization.kind):
        raise DomainError(
            f"The role '{role}' does not fit a {organization.get_kind_display().lower()}.",
            code="role_does_not_fit_organization",
            fields={"role": ["This role is not available for this kind of organization."]},
        )
    username = (username or "").strip()
    if not username:
        raise DomainError("A user needs a username.", code="username_required")
    if User.objects.filter(username__iexact=username).exists():
        raise ConflictError(f"The username '{username}' is taken.", code="duplicate_username")
    user = User(
        username=username,
        email=(email or "").strip().lower(),
        first_name=first_name,
        last_name=last_name,
        organization=organization,
        role=role,
        is_staff=role in roles.PERMISSIONS["admin_site"],
    )
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError(
                " ".join(exc.messages), code="weak_password", fields={"password": exc.messages}
            ) from exc
        user.set_password(password)
    user.save()
    audit_record(
        actor=actor,
        action="user.create",
        obj=user,
        organization=organization,
        after=snapshot(user, USER_FIELDS),
    )
    return user


@service
def user_set_role(*, actor, user: User, role: str, reason: str) -> User:
    _require(actor, "user.manage")
    if not roles.role_fits_organization(role, user.organization.kind):
        raise DomainError(
            "This role does not fit the user's organization.", code="role_does_not_fit_organization"
        )
    before = snapshot(user, USER_FIELDS)
    user.role = role
    user.is_staff = role in roles.PERMISSIONS["admin_site"]
    user.save(update_fields=["role", "is_staff"])
    audit_record(
        actor=actor,
        action="user.set_role",
        obj=user,
        organization=user.organization,
        before=before,
        after=snapshot(user, USER_FIELDS),
        reason=reason,
    )
    return user


@service
def superuser_create(*, actor, username: str, email: str, password: str) -> User:
    """The installation's first CBP program admin (``ctpat createadmin``)."""
    org = Organization.objects.filter(kind=OrganizationKind.CBP).order_by("created_at").first()
    if org is None:
        org = organization_create(
            actor=actor,
            name="U.S. Customs and Border Protection — CTPAT",
            kind=OrganizationKind.CBP,
            country="US",
        )
    user = user_create(
        actor=actor,
        organization=org,
        username=username,
        email=email,
        role="cbp_admin",
        password=password,
    )
    # Deliberately not a Django superuser: a superuser could edit records in the admin
    # without an audit event. The CBP program admin role carries every ctpat permission.
    return user


@service
def api_token_create(
    *, actor: User, name: str, days_valid: int | None = 90
) -> tuple[ApiToken, str]:
    """Create a token for ``actor``. Returns the token and its key, shown only this once."""
    name = (name or "").strip()
    if not name:
        raise DomainError(
            "Give the token a name so you can recognise it later.",
            code="name_required",
            fields={"name": ["This field is required."]},
        )
    if len(name) > TOKEN_NAME_MAX_LENGTH:  # refused, never cut (issue 7)
        message = (
            f"The token's name is too long: it has {len(name)} characters and at most "
            f"{TOKEN_NAME_MAX_LENGTH} are allowed."
        )
        raise DomainError(message, code="too_long", fields={"name": [message]})
    if days_valid is not None and not 1 <= days_valid <= MAX_TOKEN_DAYS:
        raise DomainError(
            f"A token is valid for 1 to {MAX_TOKEN_DAYS} days.",
            code="invalid_validity",
            fields={"days_valid": ["Out of range."]},
        )
    if (
        actor.needs_two_factor
        and not TOTPDevice.objects.filter(user=actor, confirmed=True).exists()
    ):
        raise PermissionDeniedError(
            "Set up two-factor authentication before creating API tokens.",
            code="two_factor_required",
        )
    key = ApiToken.generate_key()
    token = ApiToken(
        user=actor,
        name=name,
        key_prefix=key[: ApiToken.KEY_PREFIX_LENGTH],
        key_digest=hash_token(key),
        expires_at=timezone.now() + timedelta(days=days_valid) if days_valid else None,
    )
    try:
        token.save()
    except IntegrityError as exc:  # pragma: no cover - 256-bit collision
        raise ConflictError("The new token's key matched an existing one. Try again.") from exc
    audit_record(
        actor=actor,
        action="api_token.create",
        obj=token,
        organization=actor.organization,
        after={"name": token.name, "key_prefix": token.key_prefix, "expires_at": token.expires_at},
    )
    return token, key


@service
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk and not roles.has_perm(actor, "user.manage"):
        raise PermissionDeniedError()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="api_token.revoke",
        obj=token,
        organization=token.user.organization,
        after={"revoked_at": token.revoked_at},
    )
    return token


# The longest reason a CBP admin gives for revoking a user's tokens or deactivating them.
USER_ACTION_REASON_MAX_LENGTH = 1000


def _user_action_reason(reason: str) -> str:
    reason = require_within(
        reason, field="reason", label="The reason", limit=USER_ACTION_REASON_MAX_LENGTH
    )
    if not reason:
        raise DomainError(
            "Give the reason: it is kept in the audit trail.",
            code="reason_required",
            fields={"reason": ["Give the reason."]},
        )
    return reason


def _revoke_all_tokens(user: User) -> list[str]:
    """Revoke every usable token of ``user`` now; returns their public ids."""
    now = timezone.now()
    revoked = []
    for token in ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True):
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        revoked.append(token.public_id)
    return revoked


@service
def user_api_tokens_revoke(*, actor, user: User, reason: str) -> list[str]:
    """A CBP program admin revokes every API token of ``user`` at once (a leaked key, a
    program that misbehaves). Returns the revoked tokens' public ids."""
    _require(actor, "user.manage")
    reason = _user_action_reason(reason)
    revoked = _revoke_all_tokens(user)
    audit_record(
        actor=actor,
        action="user.api_tokens_revoke",
        obj=user,
        organization=user.organization,
        after={"revoked_tokens": revoked},
        reason=reason,
    )
    return revoked


@service
def user_deactivate(*, actor, user: User, reason: str) -> User:
    """A CBP program admin deactivates ``user``: sign-in, the open sessions and every API
    token stop at once (the tokens are revoked too, so reactivating does not revive them)."""
    _require(actor, "user.manage")
    reason = _user_action_reason(reason)
    user = User.objects.select_for_update().get(pk=user.pk)
    if actor is not None and actor.pk == user.pk:
        raise DomainError(
            "You cannot deactivate your own account; ask another CBP program admin.",
            code="cannot_deactivate_self",
        )
    if not user.is_active:
        raise ConflictError("This user is already deactivated.", code="already_inactive")
    before = snapshot(user, USER_FIELDS)
    user.is_active = False
    user.save(update_fields=["is_active"])
    revoked = _revoke_all_tokens(user)
    audit_record(
        actor=actor,
        action="user.deactivate",
        obj=user,
        organization=user.organization,
        before=before,
        after={**snapshot(user, USER_FIELDS), "revoked_tokens": revoked},
        reason=reason,
    )
    return user


@service
def user_reactivate(*, actor, user: User, reason: str) -> User:
    """A CBP program admin lets a deactivated user sign in again (their old tokens stay
    revoked)."""
    _require(actor, "user.manage")
    reason = _user_action_reason(reason)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise ConflictError("This user is already active.", code="already_active")
    before = snapshot(user, USER_FIELDS)
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="user.reactivate",
        obj=user,
        organization=user.organization,
        before=before,
        after=snapshot(user, USER_FIELDS),
        reason=reason,
    )
    return user


@service
def totp_device_start(*, actor: User) -> TOTPDevice:
    """Begin enrolling an authenticator app: an unconfirmed TOTP device."""
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=actor, name="Authenticator app", confirmed=False)
    audit_record(
        actor=actor,
        action="two_factor.start",
        obj=actor,
        organization=actor.organization,
        after={"device": device.persistent_id},
    )
    return device


@service
def totp_device_confirm(*, actor: User, device: TOTPDevice, token: str) -> bool:
    ok = device.user_id == actor.pk and device.verify_token((token or "").strip())
    if ok:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    audit_record(
        actor=actor,
        action="two_factor.confirm" if ok else "two_factor.confirm_failed",
        obj=actor,
        organization=actor.organization,
        after={"confirmed": ok},
    )
    return ok


@service
def totp_device_create_confirmed(*, actor, user: User) -> TOTPDevice:
    """For installation and the demo: give ``user`` a confirmed TOTP device."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    audit_record(
        actor=actor,
        action="two_factor.provision",
        obj=user,
        organization=user.organization,
        after={"device": device.persistent_id},
    )
    return device

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone

from ctpat.core.ids import new_public_id
from ctpat.core.models import PublicIdModel

from . import roles
from .choices import OrganizationKind, Role


class Organization(PublicIdModel):
    """A tenant: a partner company, a CBP office, an audit firm or an MRA customs administration."""

    PUBLIC_ID_PREFIX = "ORG"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=OrganizationKind.choices)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 country code.")
    program_name = models.CharField(
        max_length=120, blank=True, help_text="For MRA customs administrations: their program."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="organization_name_idx")]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="organization_unique_kind_name")
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        if roles.has_perm(viewer, "organization.view_all"):
            return True
        if viewer.organization_id is None:
            return False
        return models.Q(pk=viewer.organization_id)


class CtpatUserManager(UserManager):
    pass


class User(AbstractUser):
    """A person. Belongs to one organization with one role (see ``ctpat.accounts.roles``)."""

    public_id = models.CharField(max_length=24, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(max_length=32, choices=Role.choices, blank=True)
    phone = models.CharField(max_length=40, blank=True)

    objects = CtpatUserManager()

    class Meta:
        ordering = ["username"]

    def save(self, *args, **kwargs):
        if not self.public_id:
            self.public_id = new_public_id("USR")
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else "No role"

    @property
    def is_cbp(self) -> bool:
        return roles.is_cbp(self)

    @property
    def needs_two_factor(self) -> bool:
        return roles.requires_two_factor(self)


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(PublicIdModel):
    """An API token. Only its SHA-256 digest is stored; the key is shown once at creation."""

    PUBLIC_ID_PREFIX = "TOK"
    KEY_PREFIX_LENGTH = 8

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_prefix = models.CharField(max_length=KEY_PREFIX_LENGTH, db_index=True)
    key_digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return models.Q(user_id=viewer.pk)

    @staticmethod
    def generate_key() -> str:
        return secrets.token_urlsafe(32)

    @property
    def is_usable(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()

"""The API's view of the calling user."""

from __future__ import annotations

from rest_framework import serializers

from ctpat.accounts import roles
from ctpat.accounts.choices import OrganizationKind, Role
from ctpat.core.api.serializers import StrictCharField, StrictSerializer
from ctpat.partners import selectors as partner_selectors


class OrganizationSerializer(serializers.Serializer):
    public_id = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=OrganizationKind.choices, read_only=True)
    country = serializers.CharField(read_only=True)


class MeSerializer(serializers.Serializer):
    public_id = serializers.CharField(read_only=True)
    username = serializers.CharField(read_only=True)
    first_name = serializers.CharField(read_only=True)
    last_name = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, allow_blank=True, read_only=True)
    role_label = serializers.CharField(read_only=True)
    organization = OrganizationSerializer(read_only=True, allow_null=True)
    partner = serializers.SerializerMethodField(
        help_text="Public id of the caller's CTPAT account, if their organization is a partner."
    )
    permissions = serializers.SerializerMethodField(
        help_text="Permission codes (``ctpat.accounts.roles.PERMISSIONS``) the caller holds."
    )
    needs_two_factor = serializers.BooleanField(read_only=True)

    def get_partner(self, user) -> str | None:
        partner = partner_selectors.partner_for_user(user)
        return partner.public_id if partner else None

    def get_permissions(self, user) -> list[str]:
        return sorted(code for code in roles.PERMISSIONS if roles.has_perm(user, code))


class ManagedUserSerializer(serializers.Serializer):
    """A user as the CBP program admins who manage users see them (never a token key)."""

    public_id = serializers.CharField(read_only=True)
    username = serializers.CharField(read_only=True)
    first_name = serializers.CharField(read_only=True)
    last_name = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, allow_blank=True, read_only=True)
    organization = OrganizationSerializer(read_only=True, allow_null=True)
    is_active = serializers.BooleanField(read_only=True)
    active_api_tokens = serializers.SerializerMethodField(
        help_text="How many of the user's API tokens are neither revoked nor expired."
    )

    def get_active_api_tokens(self, user) -> int:
        return sum(1 for t in user.api_tokens.all() if t.is_usable)


class UserActionSerializer(StrictSerializer):
    reason = StrictCharField(max_length=1000, help_text="Why; kept in the audit trail. Required.")


class TokensRevokedSerializer(serializers.Serializer):
    user = ManagedUserSerializer(read_only=True)
    revoked_tokens = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Public ids of the tokens."
    )

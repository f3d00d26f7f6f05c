"""Partner registry API representations and request bodies.

Output serializers are plain (no ModelSerializer magic) so the schema says exactly what is
sent. Request bodies derive from ``StrictSerializer``: unknown fields are refused.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from ctpat.core.api.serializers import (
    StrictCharField,
    StrictEmailField,
    StrictSerializer,
    StrictURLField,
)
from ctpat.core.countries import country_codes
from ctpat.partners.choices import EntityType, IdentifierKind, MembershipStatus, SVIStatus

# --- Shared fields ----------------------------------------------------------------------------


def _country_field(**kwargs):
    return serializers.ChoiceField(choices=sorted(country_codes()), **kwargs)


def profile_fields() -> dict[str, serializers.Field]:
    """The editable profile (``services.EDITABLE_PROFILE_FIELDS``), lengths as in the model."""
    return {
        "dba_name": StrictCharField(max_length=200, allow_blank=True, required=False),
        "city": StrictCharField(max_length=120, allow_blank=True, required=False),
        "address": StrictCharField(max_length=300, allow_blank=True, required=False),
        "website": StrictURLField(max_length=200, allow_blank=True, required=False),
        "primary_contact_name": StrictCharField(max_length=200, allow_blank=True, required=False),
        "primary_contact_email": StrictEmailField(max_length=254, allow_blank=True, required=False),
        "primary_contact_phone": StrictCharField(max_length=40, allow_blank=True, required=False),
    }


class PartnerRefSerializer(serializers.Serializer):
    public_id = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


# --- Partners --------------------------------------------------------------------------------


class PartnerSerializer(serializers.Serializer):
    """A partner as its own company and CBP see it."""

    public_id = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    dba_name = serializers.CharField(read_only=True)
    entity_type = serializers.ChoiceField(choices=EntityType.choices, read_only=True)
    country = serializers.CharField(read_only=True)
    city = serializers.CharField(read_only=True)
    address = serializers.CharField(read_only=True)
    website = serializers.CharField(read_only=True)
    primary_contact_name = serializers.CharField(read_only=True)
    primary_contact_email = serializers.CharField(read_only=True)
    primary_contact_phone = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=MembershipStatus.choices, read_only=True)
    tier = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="1, 2 or 3 (Tier I-III); null below certified."
    )
    status_changed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    applied_on = serializers.DateField(read_only=True, allow_null=True)
    certification_date = serializers.DateField(read_only=True, allow_null=True)
    last_validation_date = serializers.DateField(read_only=True, allow_null=True)
    suspended_on = serializers.DateField(read_only=True, allow_null=True)
    withdrawn_on = serializers.DateField(read_only=True, allow_null=True)
    removed_on = serializers.DateField(read_only=True, allow_null=True)
    assigned_scss = serializers.CharField(
        source="assigned_scss.public_id",
        read_only=True,
        allow_null=True,
        help_text="Public id of the assigned SCSS, if any.",
    )
    svi_auto_accept = serializers.BooleanField(read_only=True)
    svi_share_more = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


SVI_SHARE_MORE_FIELDS = (
    "tier",
    "primary_contact_name",
    "primary_contact_email",
    "primary_contact_phone",
)


class PartnerSVISerializer(serializers.Serializer):
    """A partner as an SVI connection sees it: its CTPAT status, and nothing else unless the
    partner chose to share its tier and primary contact (``svi_share_more``)."""

    public_id = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    entity_type = serializers.ChoiceField(choices=EntityType.choices, read_only=True)
    country = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(
        choices=MembershipStatus.choices,
        read_only=True,
        source="shared_status",
        help_text="A tiered status reads 'certified' unless the partner shares its tier.",
    )
    tier = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Only when the partner shares it."
    )
    primary_contact_name = serializers.CharField(
        read_only=True, help_text="Only when the partner shares it."
    )
    primary_contact_email = serializers.CharField(
        read_only=True, help_text="Only when the partner shares it."
    )
    primary_contact_phone = serializers.CharField(
        read_only=True, help_text="Only when the partner shares it."
    )

    def to_representation(self, partner):
        data = super().to_representation(partner)
        if not partner.svi_share_more:
            for name in SVI_SHARE_MORE_FIELDS:
                data.pop(name, None)
        return data


class PartnerSVISerializerSchema(OpenApiSerializerExtension):
    """The optional fields are not required, and nothing else may appear: that is what tells
    the limited view apart from the full one in ``PartnerAnyView``'s ``oneOf``."""

    target_class = PartnerSVISerializer

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_basic_serializer(self.target, direction)
        schema["required"] = [
            f for f in schema.get("required", []) if f not in SVI_SHARE_MORE_FIELDS
        ]
        schema["additionalProperties"] = False
        return schema


def partner_any_view(many: bool = False) -> PolymorphicProxySerializer:
    """Schema of a partner in a response: the full view or the SVI-limited one."""
    return PolymorphicProxySerializer(
        component_name="PartnerAnyView",
        serializers=[PartnerSerializer, PartnerSVISerializer],
        resource_type_field_name=None,
        many=many,
    )


class IdentifierInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=IdentifierKind.choices)
    value = StrictCharField(max_length=64)


class PartnerCreateSerializer(StrictSerializer):
    name = StrictCharField(max_length=200)
    entity_type = serializers.ChoiceField(choices=EntityType.choices)
    country = _country_field(
        help_text="ISO 3166-1 alpha-2 code: where a manufacturer is incorporated, otherwise "
        "the staffed business office. Each entity type joins only from the countries CBP names "
        "for it (refusal codes `country_not_eligible`, `invitation_required`)."
    )
    invitation = StrictCharField(
        max_length=24,
        allow_blank=True,
        required=False,
        help_text="A CBP invitation (INV-…) for a foreign manufacturer outside Mexico and "
        "Canada or a foreign-based port operator. Without it an open invitation for the same "
        "company name, type and country is used.",
    )
    identifiers = serializers.ListField(
        child=IdentifierInputSerializer(),
        max_length=20,
        required=False,
        help_text="Business entity identifiers; the entity type's required kinds are needed "
        "before the partner can apply.",
    )

    def get_fields(self):
        return {**super().get_fields(), **profile_fields()}


class PartnerUpdateSerializer(StrictSerializer):
    reason = StrictCharField(
        max_length=1000, allow_blank=True, required=False, help_text="Why, for the audit trail."
    )

    def get_fields(self):
        return {**profile_fields(), **super().get_fields()}


# --- Status transitions ----------------------------------------------------------------------


class TransitionCreateSerializer(StrictSerializer):
    target = serializers.ChoiceField(choices=MembershipStatus.choices)
    reason = StrictCharField(
        max_length=2000,
        allow_blank=True,
        required=False,
        help_text="Required for suspension, removal, withdrawal and for lowering a tier.",
    )
    effective_date = serializers.DateField(
        required=False,
        help_text="CBP only: when the change took effect (not in the future). Default today.",
    )


class StatusChangeSerializer(serializers.Serializer):
    from_status = serializers.ChoiceField(
        choices=MembershipStatus.choices,
        allow_blank=True,
        read_only=True,
        help_text="Empty at registration.",
    )
    to_status = serializers.ChoiceField(choices=MembershipStatus.choices, read_only=True)
    effective_date = serializers.DateField(read_only=True)
    actor = serializers.CharField(source="actor_label", read_only=True)
    reason = serializers.CharField(read_only=True)
    recorded_at = serializers.DateTimeField(source="created_at", read_only=True)


class TransitionStateSerializer(serializers.Serializer):
    partner = serializers.CharField(read_only=True, help_text="The partner's public id.")
    status = serializers.ChoiceField(choices=MembershipStatus.choices, read_only=True)
    allowed_targets = serializers.ListField(
        child=serializers.ChoiceField(choices=MembershipStatus.choices),
        read_only=True,
        help_text="Statuses the caller may move the partner to today.",
    )
    history = StatusChangeSerializer(many=True, read_only=True)


class ValidationRecordSerializer(StrictSerializer):
    validated_on = serializers.DateField(
        help_text="The day the (re)validation was completed; restarts the 4-year cycle."
    )
    reason = StrictCharField(max_length=2000, allow_blank=True, required=False)


class TransitionResultSerializer(serializers.Serializer):
    partner = PartnerSerializer(read_only=True)
    change = StatusChangeSerializer(read_only=True)


# --- Identifiers -------------------------------------------------------------------------


class IdentifierSerializer(serializers.Serializer):
    """A business entity identifier. An SSN-based IOR number is masked: it is personal data."""

    public_id = serializers.CharField(read_only=True)
    partner = serializers.CharField(
        source="partner.public_id", read_only=True, help_text="The partner's public id."
    )
    kind = serializers.ChoiceField(choices=IdentifierKind.choices, read_only=True)
    value = serializers.SerializerMethodField()
    is_active = serializers.BooleanField(read_only=True)
    note = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def get_value(self, identifier) -> str:
        return identifier.display_value


class IdentifierCreateSerializer(StrictSerializer):
    partner = StrictCharField(max_length=24, help_text="The partner's public id.")
    kind = serializers.ChoiceField(choices=IdentifierKind.choices)
    value = StrictCharField(max_length=64)
    note = StrictCharField(max_length=200, allow_blank=True, required=False)


class ReasonSerializer(StrictSerializer):
    reason = StrictCharField(max_length=1000, allow_blank=True, required=False)


# --- Status verification (SVI) -------------------------------------------------------------


class SVIConnectionSerializer(serializers.Serializer):
    public_id = serializers.CharField(read_only=True)
    requester = PartnerRefSerializer(read_only=True)
    target = PartnerRefSerializer(read_only=True)
    target_name_hidden = serializers.BooleanField(
        read_only=True,
        help_text="True when the request was made by account number and the target has not "
        "accepted: the requester then sees the target's account number with an empty name.",
    )
    requested_by_number = serializers.BooleanField(read_only=True)
    status = serializers.ChoiceField(choices=SVIStatus.choices, read_only=True)
    message = serializers.CharField(read_only=True)
    decision_reason = serializers.CharField(read_only=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        viewer = getattr(request, "user", None)
        from ctpat.accounts import roles

        hidden = instance.target_name_hidden and not roles.has_perm(viewer, "partner.view_all")
        data["target_name_hidden"] = hidden
        if hidden:
            data["target"] = {**data["target"], "name": ""}
        return data


class SVIConnectionCreateSerializer(StrictSerializer):
    target = StrictCharField(
        max_length=24, help_text="Public id of a company found in the SVI directory."
    )
    message = StrictCharField(max_length=500, allow_blank=True, required=False)


class SVINumberRequestSerializer(StrictSerializer):
    number = StrictCharField(
        max_length=40,
        help_text="The exact CTPAT account number (CT-…) the business partner gave. A number "
        "that cannot be connected gets the same 404 answer whoever holds it.",
    )
    message = StrictCharField(max_length=500, allow_blank=True, required=False)


class SVIReasonSerializer(StrictSerializer):
    reason = StrictCharField(max_length=500, allow_blank=True, required=False)


class SVIDirectoryQuerySerializer(serializers.Serializer):
    q = StrictCharField(
        max_length=100,
        allow_blank=True,
        required=False,
        help_text="Company name or account number. Without it the list is "
        "empty: the directory is searched, not browsed.",
    )


class SVIDirectoryEntrySerializer(serializers.Serializer):
    public_id = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    entity_type = serializers.ChoiceField(choices=EntityType.choices, read_only=True)
    country = serializers.CharField(read_only=True)


# --- CBP invitations -------------------------------------------------------------------------


class CountryInvitationSerializer(serializers.Serializer):
    public_id = serializers.CharField(read_only=True)
    company_name = serializers.CharField(read_only=True)
    entity_type = serializers.ChoiceField(choices=EntityType.choices, read_only=True)
    country = serializers.CharField(read_only=True)
    reason = serializers.CharField(read_only=True)
    partner = PartnerRefSerializer(read_only=True, allow_null=True)
    state = serializers.SerializerMethodField()
    invited_by = serializers.CharField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    withdrawn_at = serializers.DateTimeField(read_only=True, allow_null=True)
    withdrawal_reason = serializers.CharField(read_only=True)

    def get_state(self, obj) -> str:
        if not obj.is_active:
            return "withdrawn"
        return "used" if obj.partner_id else "open"


class CountryInvitationCreateSerializer(StrictSerializer):
    partner = StrictCharField(
        max_length=24,
        allow_blank=True,
        required=False,
        help_text="Account number of a registered company; its type and country are used.",
    )
    company_name = StrictCharField(max_length=200, allow_blank=True, required=False)
    entity_type = serializers.ChoiceField(choices=EntityType.choices, required=False)
    country = StrictCharField(max_length=2, allow_blank=True, required=False)
    # Blank is checked by the service, so that every missing field is reported at once.
    reason = StrictCharField(max_length=2000, allow_blank=True, required=False)

"""Security-profile API representations and request bodies (plain serializers, exact schema)."""

from __future__ import annotations

from rest_framework import serializers

from ctpat.core.api.serializers import StoredFileSerializer, StrictCharField, StrictSerializer
from ctpat.criteria.choices import Level, TableStatus
from ctpat.profiles import rules
from ctpat.profiles.choices import Answer, Decision, GapKind, GapReason, ProfileStatus


class SecurityProfileGapSerializer(serializers.Serializer):
    msc_id = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=GapKind.choices, read_only=True)
    reason = serializers.ChoiceField(choices=GapReason.choices, read_only=True)
    level = serializers.ChoiceField(choices=Level.choices, read_only=True)
    on_date = serializers.DateField(read_only=True)
    message = serializers.CharField(read_only=True)


class SecurityProfileSerializer(serializers.Serializer):
    public_id = serializers.CharField(read_only=True)
    partner = serializers.CharField(read_only=True, help_text="The partner's public id.")
    partner_name = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=ProfileStatus.choices, read_only=True)
    lock_version = serializers.IntegerField(
        read_only=True, help_text="Send it back as `expected_version` when submitting."
    )
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    approved_at = serializers.DateTimeField(read_only=True, allow_null=True)


class SecurityProfileDetailSerializer(SecurityProfileSerializer):
    criteria_version = serializers.CharField(read_only=True, allow_null=True)
    on_date = serializers.DateField(read_only=True, help_text="The date the gaps are judged on.")
    applicable = serializers.IntegerField(read_only=True)
    answered = serializers.IntegerField(read_only=True)
    must_gaps = SecurityProfileGapSerializer(many=True, read_only=True)
    should_gaps = SecurityProfileGapSerializer(many=True, read_only=True)
    review_window_opens = serializers.DateField(read_only=True, allow_null=True)
    review_window_closes = serializers.DateField(
        read_only=True, allow_null=True, help_text="The certification anniversary."
    )
    criteria_table = serializers.ChoiceField(
        choices=TableStatus.choices,
        read_only=True,
        help_text="The company's entity-type table in the current criteria: `none` (nothing to "
        "assess: the profile cannot be submitted), `partial` (CBP publishes the full table in "
        "the CTPAT Public Library; only some rows are loaded) or `full`.",
    )
    can_submit = serializers.BooleanField(
        read_only=True, help_text="False while nothing is assessable or must-gaps remain."
    )
    submit_blockers = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Why the profile cannot be submitted now, as sentences (empty when it can).",
    )
    review_still_to_do = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        allow_null=True,
        help_text="Annual review in progress: the criterion IDs still to answer or confirm "
        "(null without a review).",
    )


class SecurityProfileChangeSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    effective_from = serializers.DateField(read_only=True, allow_null=True)


class SecurityProfileAnswerRowSerializer(serializers.Serializer):
    msc_id = serializers.CharField(read_only=True)
    category = serializers.IntegerField(read_only=True)
    text = serializers.CharField(read_only=True, help_text="The current version's wording.")
    level = serializers.ChoiceField(choices=Level.choices, read_only=True, allow_null=True)
    answer = serializers.ChoiceField(choices=Answer.choices, read_only=True, allow_null=True)
    narrative = serializers.CharField(read_only=True)
    answered_at = serializers.DateTimeField(read_only=True, allow_null=True)
    answered_version = serializers.CharField(
        read_only=True, allow_null=True, help_text="The criteria version the answer answered."
    )
    gap = serializers.ChoiceField(choices=GapKind.choices, read_only=True, allow_null=True)
    changes_since_answer = SecurityProfileChangeSerializer(many=True, read_only=True)


class SecurityProfileAnswerUpdateSerializer(StrictSerializer):
    msc_id = StrictCharField(max_length=16)
    answer = serializers.ChoiceField(choices=Answer.choices)
    narrative = StrictCharField(
        max_length=rules.NARRATIVE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class SecurityProfileSubmitSerializer(StrictSerializer):
    expected_version = serializers.IntegerField(
        min_value=1, required=False, help_text="The `lock_version` you saw; a mismatch is a 409."
    )


class SecurityProfileDecisionSerializer(StrictSerializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    reason = StrictCharField(
        max_length=rules.RETURN_REASON_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class SecurityProfileSubmissionSerializer(serializers.Serializer):
    public_id = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True)
    criteria_version = serializers.CharField(read_only=True, source="criteria_version.label")
    decision = serializers.CharField(read_only=True)
    decision_reason = serializers.CharField(read_only=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)


class EvidenceFileSerializer(StoredFileSerializer):
    download_route = "api-security-profile-evidence-download"
    download_parent = "profile"
    download_id_kwarg = "evidence_id"

    msc_id = serializers.CharField(
        read_only=True, help_text="The criterion it supports; empty for the whole profile."
    )
    detected_type = serializers.CharField(
        read_only=True, help_text="Detected from the content, not from the name."
    )
    sha256 = serializers.CharField(read_only=True)


class EvidenceUploadSerializer(StrictSerializer):
    file = serializers.FileField(
        help_text="Type and size limits: CTPAT_EVIDENCE_ALLOWED_TYPES and "
        "CTPAT_EVIDENCE_MAX_BYTES; the content must match the extension."
    )
    msc_id = StrictCharField(
        max_length=16,
        required=False,
        allow_blank=True,
        default="",
        help_text="A criterion of the current version the file supports; empty for none.",
    )

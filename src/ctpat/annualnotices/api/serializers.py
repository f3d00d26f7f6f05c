"""Annual Notification Letter API representations."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ctpat.annualnotices.choices import ChangeType, ImportStatus, LetterStatus, PeriodStatus
from ctpat.annualnotices.models import NAME_MAX_LENGTH, NOTE_MAX_LENGTH, PHONE_MAX_LENGTH
from ctpat.annualnotices.services import MAX_CHANGES
from ctpat.core.api.serializers import StrictCharField, StrictSerializer
from ctpat.tradecompliance.api.serializers import ForcedLaborStatusSerializer
from ctpat.tradecompliance.choices import MembershipOrigin, MembershipStatus


class AnlChangeSerializer(StrictSerializer):
    change_type = serializers.ChoiceField(choices=ChangeType.choices)
    description = StrictCharField(max_length=2000)
    effective_on = serializers.DateField()


class AnlLetterSerializer(serializers.Serializer):
    public_id = serializers.CharField(read_only=True)
    membership = serializers.CharField(read_only=True, source="membership.public_id")
    account_number = serializers.CharField(read_only=True, source="membership.account_number")
    company = serializers.CharField(read_only=True, source="membership.partner.name")
    period = serializers.IntegerField(read_only=True, help_text="0 = the first letter.")
    due_on = serializers.DateField(read_only=True)
    status = serializers.ChoiceField(choices=LetterStatus.choices, read_only=True)
    certifies_compliance = serializers.BooleanField(read_only=True)
    no_changes = serializers.BooleanField(read_only=True)
    changes = AnlChangeSerializer(many=True, read_only=True, source="changes.all")
    compliance_contact_name = serializers.CharField(read_only=True)
    compliance_contact_email = serializers.CharField(read_only=True)
    compliance_contact_phone = serializers.CharField(read_only=True)
    officer_name = serializers.CharField(read_only=True)
    officer_title = serializers.CharField(read_only=True)
    officer_email = serializers.CharField(read_only=True)
    signed_name = serializers.CharField(read_only=True)
    signed_by = serializers.CharField(read_only=True, source="signed_by.public_id", allow_null=True)
    signed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    first_filed_on = serializers.DateField(read_only=True, allow_null=True)
    on_time = serializers.SerializerMethodField()
    review_note = serializers.CharField(read_only=True)
    overdue_flagged_on = serializers.DateField(read_only=True, allow_null=True)

    def get_on_time(self, letter) -> bool | None:
        """null until filed; then whether the first filing was on or before the due date."""
        if letter.first_filed_on is None:
            return None
        return letter.first_filed_on <= letter.due_on


class AnlLetterContentSerializer(StrictSerializer):
    certifies_compliance = serializers.BooleanField(default=False)
    no_changes = serializers.BooleanField(default=False)
    changes = AnlChangeSerializer(many=True, required=False, max_length=MAX_CHANGES)
    compliance_contact_name = StrictCharField(
        max_length=NAME_MAX_LENGTH, required=False, allow_blank=True
    )
    compliance_contact_email = StrictCharField(max_length=254, required=False, allow_blank=True)
    compliance_contact_phone = StrictCharField(
        max_length=PHONE_MAX_LENGTH, required=False, allow_blank=True
    )
    officer_name = StrictCharField(max_length=NAME_MAX_LENGTH, required=False, allow_blank=True)
    officer_title = StrictCharField(max_length=NAME_MAX_LENGTH, required=False, allow_blank=True)
    officer_email = StrictCharField(max_length=254, required=False, allow_blank=True)


class AnlLetterFileSerializer(AnlLetterContentSerializer):
    signed_name = StrictCharField(
        max_length=NAME_MAX_LENGTH, help_text="The company officer's typed full name."
    )


class AnlReviewSerializer(StrictSerializer):
    note = StrictCharField(
        max_length=NOTE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text="For a return: what the company must correct (required).",
    )


class AnlPeriodSerializer(serializers.Serializer):
    period = serializers.IntegerField(read_only=True)
    due_on = serializers.DateField(read_only=True)
    status = serializers.ChoiceField(choices=PeriodStatus.choices, read_only=True)
    letter = serializers.CharField(
        read_only=True, allow_null=True, source="letter.public_id", default=None
    )


class AnlScheduleSerializer(serializers.Serializer):
    membership = serializers.CharField(read_only=True, source="membership.public_id")
    account_number = serializers.CharField(read_only=True, source="membership.account_number")
    company = serializers.CharField(read_only=True, source="membership.partner.name")
    membership_status = serializers.ChoiceField(
        choices=MembershipStatus.choices, read_only=True, source="membership.status"
    )
    origin = serializers.ChoiceField(
        choices=MembershipOrigin.choices, read_only=True, source="membership.origin"
    )
    accepted_on = serializers.DateField(read_only=True, source="membership.accepted_on")
    ended = serializers.BooleanField(read_only=True)
    current = AnlPeriodSerializer(read_only=True, help_text="The letter to act on next.")
    filing_open = serializers.BooleanField(read_only=True)
    filing_opens_on = serializers.DateField(read_only=True)
    grace_ends_on = serializers.DateField(read_only=True)
    history = AnlPeriodSerializer(many=True, read_only=True)
    forced_labor_obligation = serializers.SerializerMethodField(
        help_text="The membership's forced-labor requirements: met at application, met, open "
        "or overdue (members accepted before the cut-off owe them by the deadline)."
    )

    @extend_schema_field(ForcedLaborStatusSerializer)
    def get_forced_labor_obligation(self, item) -> dict:
        from ctpat.tradecompliance import selectors as tc_selectors

        view = tc_selectors.forced_labor_for(item.membership, today=item.today)
        return ForcedLaborStatusSerializer(view).data


class AnlPilotImportSerializer(serializers.Serializer):
    public_id = serializers.CharField(read_only=True)
    file_name = serializers.CharField(read_only=True)
    uploaded_by = serializers.CharField(
        read_only=True, source="uploaded_by.public_id", allow_null=True
    )
    created_at = serializers.DateTimeField(read_only=True)
    row_count = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=ImportStatus.choices, read_only=True)
    errors = serializers.ListField(child=serializers.DictField(), read_only=True)
    rows = serializers.SerializerMethodField()
    committed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    memberships = serializers.ListField(child=StrictCharField(), read_only=True)

    def get_rows(self, record) -> list[dict]:
        """What the import does (or did): one entry per row, IOR numbers masked if SSN-based."""
        return [
            {
                "row": r["row"],
                "partner": r["partner_id"],
                "partner_name": r["partner_name"],
                "ior_numbers": r["ior_display"],
                "accepted_on": r["accepted_on"],
            }
            for r in record.rows
        ]


class AnlPilotUploadSerializer(StrictSerializer):
    file_name = StrictCharField(max_length=200, help_text="e.g. participants.csv")
    content_base64 = StrictCharField(
        help_text="The file's bytes, base64-encoded (UTF-8 CSV; see the format in the docs)."
    )

"""API representations of suspension cases, answers, appeals and their documents."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from ctpat.core.api.serializers import StrictCharField, StrictSerializer
from ctpat.partners.choices import MembershipStatus

from ..choices import AppealOutcome, AppealSubject, DecisionKind, RequiredAction

# Trade Compliance membership statuses not already among the Security ones.
TC_MEMBERSHIP_STATUSES = [("active", "Active (Trade Compliance membership)")]

TEXT = {"allow_blank": True, "required": False, "trim_whitespace": False}


class EnforcementDocumentSerializer(serializers.Serializer):
    public_id = serializers.CharField(read_only=True)
    original_name = serializers.CharField(read_only=True)
    file_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)
    scan_status = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, obj) -> str:
        path = reverse("api-enforcement-document-download", kwargs={"public_id": obj.public_id})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class SuspensionAnswerSerializer(serializers.Serializer):
    public_id = serializers.CharField(read_only=True)
    action_answers = serializers.DictField(child=serializers.CharField(), read_only=True)
    note = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    documents = EnforcementDocumentSerializer(many=True, read_only=True, source="documents.all")


class SuspensionCaseSerializer(serializers.Serializer):
    public_id = serializers.CharField(read_only=True)
    partner = serializers.CharField(source="partner.public_id", read_only=True)
    state = serializers.CharField(read_only=True)
    suspended_on = serializers.DateField(read_only=True)
    response_due = serializers.DateField(
        read_only=True, help_text="Last day to answer (CTPAT_SUSPENSION_RESPONSE_DAYS, a policy)."
    )
    letter = serializers.CharField(read_only=True)
    required_actions = serializers.ListField(
        child=serializers.ChoiceField(choices=RequiredAction.choices), read_only=True
    )
    other_actions = serializers.CharField(read_only=True)
    false_information = serializers.BooleanField(read_only=True)
    status_before_suspension = serializers.CharField(read_only=True)
    closed_on = serializers.DateField(read_only=True)
    answers = SuspensionAnswerSerializer(many=True, read_only=True, source="answers.all")


class SuspensionCreateSerializer(StrictSerializer):
    partner = StrictCharField(help_text="The partner's public id (CT-…).")
    letter = StrictCharField(allow_blank=True, trim_whitespace=False)
    required_actions = serializers.ListField(
        child=serializers.ChoiceField(choices=RequiredAction.choices), required=False, default=list
    )
    other_actions = StrictCharField(**TEXT)
    false_information = serializers.BooleanField(required=False, default=False)


class ImmediateRemovalSerializer(StrictSerializer):
    partner = StrictCharField(help_text="The partner's public id (CT-…).")
    reason = StrictCharField(allow_blank=True, trim_whitespace=False)
    false_information = serializers.BooleanField(required=False, default=False)


class SuspensionAnswerCreateSerializer(StrictSerializer):
    """One field per required action the case names (``answer_<action>``), a note, documents."""

    answer_corrective_action_plan = StrictCharField(**TEXT)
    answer_unannounced_visits = StrictCharField(**TEXT)
    answer_vulnerabilities_addressed = StrictCharField(**TEXT)
    answer_other_actions = StrictCharField(**TEXT)
    note = StrictCharField(**TEXT)
    documents = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="multipart/form-data only: repeat the field for each file.",
    )


class SuspensionDecisionSerializer(StrictSerializer):
    decision = serializers.ChoiceField(choices=["reinstate", "remove"])
    reason = StrictCharField(allow_blank=True, trim_whitespace=False)


class AppealSerializer(serializers.Serializer):
    public_id = serializers.CharField(read_only=True)
    partner = serializers.CharField(source="partner.public_id", read_only=True)
    subject = serializers.ChoiceField(
        choices=AppealSubject.choices,
        read_only=True,
        help_text="Which record carries the decision appealed.",
    )
    tc_application = serializers.CharField(
        source="tc_application.public_id",
        read_only=True,
        default=None,
        help_text="The denied Trade Compliance application (subject tc_application).",
    )
    tc_membership = serializers.CharField(
        source="tc_membership.public_id",
        read_only=True,
        default=None,
        help_text="The Trade Compliance membership (subject tc_membership).",
    )
    decision = serializers.CharField(
        source="decision_label", read_only=True, help_text="The decision appealed, in words."
    )
    decision_kind = serializers.ChoiceField(choices=DecisionKind.choices, read_only=True)
    basis = serializers.CharField(
        read_only=True, help_text="benefits (967(a)) or false_information (967(b))."
    )
    decision_date = serializers.DateField(read_only=True)
    filed_on = serializers.DateField(read_only=True)
    filing_deadline = serializers.DateField(read_only=True)
    decision_due = serializers.DateField(
        read_only=True, help_text="180 days after filing (6 U.S.C. 967(c))."
    )
    days_left = serializers.SerializerMethodField()
    grounds = serializers.CharField(read_only=True)
    state = serializers.CharField(read_only=True)
    outcome = serializers.CharField(read_only=True)
    resulting_status = serializers.CharField(
        read_only=True,
        help_text="The status the decision set: the Security or Trade Compliance membership's, "
        "or the application's (approved, under_review); empty when upheld.",
    )
    resulting_label = serializers.CharField(read_only=True)
    decision_reason = serializers.CharField(read_only=True)
    decided_on = serializers.DateField(read_only=True)
    documents = EnforcementDocumentSerializer(many=True, read_only=True, source="documents.all")

    def get_days_left(self, obj) -> int | None:
        """Days left for CBP's decision (negative when late); null once decided."""
        from django.utils import timezone

        if obj.state != "filed":
            return None
        return (obj.decision_due - timezone.localdate()).days


class AppealCreateSerializer(StrictSerializer):
    partner = StrictCharField(
        help_text="Your company's public id; the decision in force is appealed."
    )
    subject = serializers.ChoiceField(
        choices=AppealSubject.choices,
        required=False,
        default=AppealSubject.SECURITY_MEMBERSHIP,
        help_text="security_membership (default): the suspension or removal in force; "
        "tc_application: the denial of your latest Trade Compliance application; "
        "tc_membership: the suspension or removal of your Trade Compliance membership.",
    )
    reference = StrictCharField(
        required=False,
        allow_blank=True,
        help_text="Optional check: the public id of the application (TCA-…) or membership "
        "(TCM-…) the decision concerns; refused if it is not the one in force.",
    )
    grounds = StrictCharField(allow_blank=True, trim_whitespace=False)
    documents = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="multipart/form-data only: repeat the field for each file.",
    )


class AppealDecisionSerializer(StrictSerializer):
    outcome = serializers.ChoiceField(choices=AppealOutcome.choices)
    reason = StrictCharField(allow_blank=True, trim_whitespace=False)
    resulting_status = serializers.ChoiceField(
        choices=[*MembershipStatus.choices, *TC_MEMBERSHIP_STATUSES],
        required=False,
        allow_blank=True,
        help_text="For a modified decision: the Security membership status, or for a Trade "
        "Compliance membership active or suspended. Not used for a denied application.",
    )

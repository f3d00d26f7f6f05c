"""Trade Compliance API representations and request bodies (plain serializers, exact schema)."""

from __future__ import annotations

from rest_framework import serializers

from ctpat.core.api.serializers import StoredFileSerializer, StrictCharField, StrictSerializer
from ctpat.partners.choices import EntityType, MembershipStatus
from ctpat.tradecompliance import questionset
from ctpat.tradecompliance.choices import (
    AnswerType,
    ApplicationStatus,
    ApplicationStepKind,
    Confidence,
    SectionKey,
)
from ctpat.tradecompliance.rules import ReasonCode, Requirement


class QuestionSerializer(serializers.Serializer):
    public_id = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True, help_text="Stable across versions, e.g. ELIG-04.")
    number = serializers.IntegerField(read_only=True, help_text="1, 2, ... within the section.")
    text = serializers.CharField(read_only=True)
    help_text = serializers.CharField(read_only=True)
    answer_type = serializers.ChoiceField(choices=AnswerType.choices, read_only=True)
    required = serializers.BooleanField(read_only=True)
    source = serializers.CharField(read_only=True)
    confidence = serializers.ChoiceField(
        choices=Confidence.choices,
        read_only=True,
        help_text="V seen in a public source, I inferred, K to confirm against the Handbook.",
    )
    msc_criteria = serializers.ListField(
        child=StrictCharField(),
        read_only=True,
        help_text="Minimum Security Criteria IDs that ask the same thing (answer once).",
    )


class SectionSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=SectionKey.choices, read_only=True)
    title = serializers.CharField(read_only=True)
    guidance = serializers.CharField(read_only=True, help_text="Handbook guidance, our words.")
    sources = serializers.ListField(child=StrictCharField(), read_only=True)
    questions = QuestionSerializer(many=True, read_only=True, source="questions.all")


class QuestionnaireVersionSerializer(serializers.Serializer):
    public_id = serializers.CharField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    label = serializers.CharField(read_only=True)
    notes = serializers.CharField(read_only=True)
    published_at = serializers.DateTimeField(read_only=True)
    is_current = serializers.SerializerMethodField()

    def get_is_current(self, version) -> bool:
        current = self.context.get("current")
        return current is not None and current.pk == version.pk


class QuestionnaireVersionDetailSerializer(QuestionnaireVersionSerializer):
    """A version with its sections in order; the view sets ``sections_list``
    (``selectors.questionnaire_sections``)."""

    sections = SectionSerializer(many=True, read_only=True, source="sections_list")


class EligibilityReasonSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=[(c.value, c.value) for c in ReasonCode], read_only=True)
    message = serializers.CharField(read_only=True)
    what_to_do = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True)
    question = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="The eligibility question's number, for `eligibility_answer_no`.",
    )


class CheckSerializer(serializers.Serializer):
    requirement = serializers.ChoiceField(
        choices=[(r.value, r.value) for r in Requirement], read_only=True
    )
    label = serializers.CharField(read_only=True)
    met = serializers.BooleanField(read_only=True)
    source = serializers.CharField(read_only=True)


class ReadinessPartnerSerializer(serializers.Serializer):
    public_id = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    entity_type = serializers.ChoiceField(choices=EntityType.choices, read_only=True)
    country = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=MembershipStatus.choices, read_only=True)


class ReadinessFactsSerializer(serializers.Serializer):
    import_history_start = serializers.DateField(read_only=True, allow_null=True)
    has_cbp_debt = serializers.BooleanField(
        read_only=True, allow_null=True, help_text="null until the company declares it."
    )
    is_non_resident_canadian = serializers.BooleanField(read_only=True)


class ReadinessSerializer(serializers.Serializer):
    """The caller's company: may it apply to Trade Compliance today, and if not, why not."""

    partner = ReadinessPartnerSerializer(read_only=True)
    eligible = serializers.BooleanField(read_only=True)
    code = serializers.CharField(
        read_only=True, help_text="`eligible`, or the first reason's code."
    )
    reasons = EligibilityReasonSerializer(many=True, read_only=True)
    checks = CheckSerializer(many=True, read_only=True)
    questionnaire_version = serializers.CharField(
        read_only=True, allow_null=True, help_text="Public id of the version the answers follow."
    )
    answers = serializers.DictField(
        child=serializers.BooleanField(),
        read_only=True,
        help_text="Saved eligibility answers by question code (true = Yes, false = No).",
    )
    facts = ReadinessFactsSerializer(
        read_only=True, help_text="The company's self-declared facts (not verified by CBP)."
    )
    program_opens_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="When applications open; null = open."
    )


# --- Applications --------------------------------------------------------------------------------


class MissingSerializer(serializers.Serializer):
    step = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True)
    message = serializers.CharField(read_only=True)


class AnswerSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    yes_no = serializers.BooleanField(read_only=True, allow_null=True)
    text = serializers.CharField(read_only=True)
    acknowledged = serializers.BooleanField(read_only=True)
    public_url = serializers.CharField(read_only=True)
    reused_from = serializers.DictField(
        read_only=True, help_text="Empty, or the security-profile answer it was taken from."
    )


class InformationRequestSerializer(serializers.Serializer):
    public_id = serializers.CharField(read_only=True)
    round = serializers.IntegerField(read_only=True)
    questions = serializers.CharField(read_only=True)
    requested_at = serializers.DateTimeField(read_only=True)
    response = serializers.CharField(read_only=True)
    responded_at = serializers.DateTimeField(read_only=True, allow_null=True)


class TimelineStepSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ApplicationStepKind.choices, read_only=True)
    at = serializers.DateTimeField(read_only=True)
    actor = serializers.CharField(read_only=True, source="actor_label")
    from_status = serializers.CharField(read_only=True)
    to_status = serializers.CharField(read_only=True)
    note = serializers.CharField(read_only=True)


class ApplicationSerializer(serializers.Serializer):
    public_id = serializers.CharField(read_only=True)
    partner = serializers.CharField(read_only=True, source="partner.public_id")
    partner_name = serializers.CharField(read_only=True, source="partner.name")
    status = serializers.ChoiceField(choices=ApplicationStatus.choices, read_only=True)
    questionnaire_version = serializers.CharField(read_only=True, source="version.public_id")
    questionnaire_number = serializers.IntegerField(read_only=True, source="version.number")
    ior_numbers = serializers.SerializerMethodField()
    assigned_nam = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    decision_reason = serializers.CharField(read_only=True)
    account_number = serializers.SerializerMethodField()
    mou_signed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    mou_signer_name = serializers.CharField(read_only=True)
    mou_text_version = serializers.CharField(read_only=True)

    def get_ior_numbers(self, application) -> list[str]:
        return [i.display_value for i in application.ior_numbers.all()]

    def get_assigned_nam(self, application) -> str | None:
        return application.assigned_nam.public_id if application.assigned_nam_id else None

    def get_account_number(self, application) -> str | None:
        return application.membership.account_number if application.membership_id else None


class ApplicationDetailSerializer(ApplicationSerializer):
    """An application with its answers, what is missing, CBP's rounds and the timeline (the
    view sets ``answers_list``, ``missing_list``, ``rounds_list``, ``timeline_list``)."""

    answers = AnswerSerializer(many=True, read_only=True, source="answers_list")
    missing = MissingSerializer(many=True, read_only=True, source="missing_list")
    information_requests = InformationRequestSerializer(
        many=True, read_only=True, source="rounds_list"
    )
    timeline = TimelineStepSerializer(many=True, read_only=True, source="timeline_list")


class AnswersSaveSerializer(StrictSerializer):
    answers = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        required=False,
        default=dict,
        help_text="Question code -> true/false (yes/no), text, or null to clear, e.g. "
        '{"ELIG-01": true, "IC-ORG": "…"}. Documents are uploaded in the web application.',
    )
    public_urls = serializers.DictField(
        child=StrictCharField(allow_blank=True, max_length=500),
        required=False,
        default=dict,
        help_text='e.g. {"FL-CODE": "https://www.example.com/code-of-conduct"}',
    )


class IorSelectSerializer(StrictSerializer):
    ior_numbers = serializers.ListField(
        child=StrictCharField(max_length=40), allow_empty=True, max_length=50
    )


class SignMouSerializer(StrictSerializer):
    signer_name = StrictCharField(max_length=200, allow_blank=True)
    acknowledged = serializers.ListField(
        child=StrictCharField(max_length=24), allow_empty=True, max_length=50
    )


class AssignSerializer(StrictSerializer):
    nam = StrictCharField(
        max_length=24, required=False, help_text="A NAM's user id; a NAM may leave it out."
    )


class QuestionsSerializer(StrictSerializer):
    questions = StrictCharField(max_length=10_000, allow_blank=True)


class ResponseSerializer(StrictSerializer):
    response = StrictCharField(max_length=10_000, allow_blank=True)


class ResponseWithDocumentsSerializer(ResponseSerializer):
    """The multipart form of a response: the text and any number of documents."""

    documents = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="Repeat the field for each file; the same type and size limits as uploads.",
    )


class ApplicationDocumentSerializer(StoredFileSerializer):
    download_route = "api-tc-application-document-download"
    download_parent = "application"
    download_id_kwarg = "document_id"

    code = serializers.CharField(
        read_only=True, help_text="The document question it answers; empty for a response's."
    )
    information_request_round = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        source="information_request.round",
        help_text="The round of CBP's questions it was sent with, if any.",
    )
    file_type = serializers.CharField(
        read_only=True, help_text="Detected from the content, not from the name."
    )


class DocumentUploadSerializer(StrictSerializer):
    code = StrictCharField(
        max_length=questionset.CODE_MAX_LENGTH, help_text="A document question's code: FL-CODE."
    )
    file = serializers.FileField(
        help_text="PDF, Word (.docx), PNG, JPEG or plain text, up to CTPAT_EVIDENCE_MAX_BYTES; "
        "the content must match the extension."
    )


class ApplicationReasonSerializer(StrictSerializer):
    reason = StrictCharField(max_length=5_000, allow_blank=True, required=False, default="")


# --- Forced-labor obligation of existing members -------------------------------------------------

FORCED_LABOR_STATUS_CHOICES = [
    ("met_at_application", "Met at application"),
    ("met", "Met"),
    ("open", "Open"),
    ("overdue", "Overdue"),
]


class ForcedLaborStatusSerializer(serializers.Serializer):
    """A membership's forced-labor standing (``selectors.ForcedLaborView``), as the ANL
    schedules carry it."""

    status = serializers.ChoiceField(
        choices=FORCED_LABOR_STATUS_CHOICES,
        read_only=True,
        help_text="Computed: `overdue` is an existing member not found compliant after the "
        "deadline; `met_at_application` a member accepted on or after the cut-off.",
    )
    deadline = serializers.DateField(read_only=True)
    obligation = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()

    def get_obligation(self, view) -> str | None:
        return view.obligation.public_id if view.obligation else None

    def get_state(self, view) -> str | None:
        return view.obligation.state if view.obligation else None


class ForcedLaborDocumentSerializer(StoredFileSerializer):
    download_route = "api-tc-forced-labor-obligation-document-download"
    download_parent = "obligation"
    download_id_kwarg = "document_id"

    code = serializers.CharField(read_only=True, help_text="FL-CODE or FL-EVIDENCE.")
    file_type = serializers.CharField(read_only=True)


class ForcedLaborObligationSerializer(serializers.Serializer):
    public_id = serializers.CharField(read_only=True)
    membership = serializers.CharField(read_only=True, source="membership.public_id")
    account_number = serializers.CharField(read_only=True, source="membership.account_number")
    company = serializers.CharField(read_only=True, source="membership.partner.name")
    accepted_on = serializers.DateField(read_only=True, source="membership.accepted_on")
    state = serializers.ChoiceField(
        choices=[("open", "Open"), ("submitted", "Submitted"), ("met", "Met")], read_only=True
    )
    status = serializers.SerializerMethodField(help_text="met, open or overdue (computed).")
    deadline = serializers.SerializerMethodField()
    statement = serializers.CharField(read_only=True)
    code_of_conduct_url = serializers.CharField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True)
    met_on = serializers.DateField(read_only=True)
    cbp_note = serializers.CharField(read_only=True)
    returned_count = serializers.IntegerField(read_only=True)
    documents = serializers.SerializerMethodField()

    def _view(self, obligation):
        from ctpat.tradecompliance import selectors

        return selectors.forced_labor_for(obligation.membership)

    def get_status(self, obligation) -> str:
        return self._view(obligation).status.value

    def get_deadline(self, obligation) -> str:
        return self._view(obligation).deadline.isoformat()

    def get_documents(self, obligation) -> list[dict]:
        return ForcedLaborDocumentSerializer(
            obligation.documents.all(), many=True, context=self.context
        ).data


class ForcedLaborSubmitSerializer(StrictSerializer):
    statement = StrictCharField(
        allow_blank=True, help_text="How the company meets the requirements (required)."
    )
    code_of_conduct_url = StrictCharField(required=False, allow_blank=True, default="")
    fl_code = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="FL-CODE: the code of conduct; repeat the field for each file.",
    )
    fl_evidence = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="FL-EVIDENCE: evidence it is carried out; repeat the field for each file.",
    )


class ForcedLaborDecideSerializer(StrictSerializer):
    decision = serializers.ChoiceField(choices=[("met", "Met"), ("return", "Return")])
    note = StrictCharField(required=False, allow_blank=True, default="")

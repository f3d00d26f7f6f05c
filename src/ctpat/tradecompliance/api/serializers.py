"""Trade Compliance API representations (read-only: plain serializers, exact schema)."""

from __future__ import annotations

from rest_framework import serializers

from ctpat.partners.choices import EntityType, MembershipStatus
from ctpat.tradecompliance.choices import AnswerType, Confidence, SectionKey
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
        child=serializers.CharField(),
        read_only=True,
        help_text="Minimum Security Criteria IDs that ask the same thing (answer once).",
    )


class SectionSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=SectionKey.choices, read_only=True)
    title = serializers.CharField(read_only=True)
    guidance = serializers.CharField(read_only=True, help_text="Handbook guidance, our words.")
    sources = serializers.ListField(child=serializers.CharField(), read_only=True)
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


class ReasonSerializer(serializers.Serializer):
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
    reasons = ReasonSerializer(many=True, read_only=True)
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

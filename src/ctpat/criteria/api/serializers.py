"""Criteria catalog API representations and query parameters.

Output serializers are plain, so the schema says exactly what is sent. Query parameters are
checked by serializers too: an empty or unknown value is a 400, never "no filter".
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ctpat.core import citations
from ctpat.core.api.serializers import StrictCharField
from ctpat.core.api.views import PUBLIC_ID_REGEX
from ctpat.criteria.choices import (
    Category,
    ChangeKind,
    FocusArea,
    Level,
    Program,
    Tag,
    VersionStatus,
)
from ctpat.partners.choices import EntityType


class PeriodSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices, read_only=True)
    effective_from = serializers.DateField(read_only=True)
    effective_to = serializers.DateField(
        read_only=True, allow_null=True, help_text="Last day (inclusive); null = open-ended."
    )


class UpcomingChangeSerializer(serializers.Serializer):
    date = serializers.DateField(read_only=True)
    level = serializers.ChoiceField(
        choices=Level.choices, read_only=True, allow_null=True, help_text="null: no longer applies."
    )


class CitationSerializer(serializers.Serializer):
    text = serializers.CharField(read_only=True, help_text="Title. Publisher, date.")
    url = serializers.CharField(read_only=True, help_text="Link; empty when none is known.")


class CatalogEntrySerializer(serializers.Serializer):
    """A criterion with its must/should on the requested date and the changes after it."""

    public_id = serializers.CharField(source="criterion.public_id", read_only=True)
    version = serializers.CharField(
        source="criterion.version.public_id", read_only=True, help_text="The version's public id."
    )
    msc_id = serializers.CharField(
        source="criterion.msc_id", read_only=True, help_text="Criterion ID, e.g. 3.9."
    )
    category = serializers.ChoiceField(
        source="criterion.category", choices=Category.choices, read_only=True
    )
    category_name = serializers.CharField(source="criterion.get_category_display", read_only=True)
    focus_area = serializers.ChoiceField(
        source="criterion.focus_area", choices=FocusArea.choices, read_only=True
    )
    text = serializers.CharField(source="criterion.text", read_only=True)
    text_is_summary = serializers.BooleanField(
        source="criterion.text_is_summary",
        read_only=True,
        help_text="True when the text is ctpat's summary, not CBP's wording.",
    )
    guidance = serializers.CharField(source="criterion.guidance", read_only=True)
    tags = serializers.ListField(
        source="criterion.tags", child=serializers.ChoiceField(choices=Tag.choices), read_only=True
    )
    program = serializers.ChoiceField(
        source="criterion.program", choices=Program.choices, read_only=True
    )
    entity_types = serializers.ListField(
        source="criterion.entity_types",
        child=serializers.ChoiceField(choices=EntityType.choices),
        read_only=True,
        help_text="Business entity types whose table lists this criterion.",
    )
    source = serializers.CharField(
        source="criterion.source",
        read_only=True,
        help_text="The public sources as stored: citation keys or citations written out, "
        "separated by `;`.",
    )
    citations = serializers.SerializerMethodField(
        help_text="The public sources as citations (title, publisher, date) with their links."
    )
    notes = serializers.CharField(source="criterion.notes", read_only=True)
    requirements = PeriodSerializer(source="criterion.periods", many=True, read_only=True)
    on = serializers.DateField(read_only=True, help_text="The date `level` is given for.")
    level = serializers.ChoiceField(
        choices=Level.choices,
        read_only=True,
        allow_null=True,
        help_text="must or should on `on`; null when the criterion is not in effect then.",
    )
    upcoming_changes = UpcomingChangeSerializer(source="upcoming_dicts", many=True, read_only=True)

    @extend_schema_field(CitationSerializer(many=True))
    def get_citations(self, entry) -> list[dict]:
        return [{"text": i.text, "url": i.url} for i in citations.resolve(entry.criterion.source)]


class CriteriaQuerySerializer(serializers.Serializer):
    entity_type = serializers.ChoiceField(
        choices=EntityType.choices, required=False, help_text="Only criteria in this type's table."
    )
    on = serializers.DateField(
        required=False, help_text="Date the must/should level is given for (default today)."
    )
    tag = serializers.ChoiceField(choices=Tag.choices, required=False)
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    level = serializers.ChoiceField(
        choices=Level.choices, required=False, help_text="Only criteria at this level on `on`."
    )
    program = serializers.ChoiceField(choices=Program.choices, required=False)
    q = StrictCharField(
        max_length=100, required=False, help_text="Criterion ID, or words in its text."
    )
    version = serializers.RegexField(
        PUBLIC_ID_REGEX,
        max_length=24,
        required=False,
        help_text="A version's public id (default: the current version).",
    )


class CriterionQuerySerializer(serializers.Serializer):
    on = serializers.DateField(
        required=False, help_text="Date the must/should level is given for (default today)."
    )


class ChangeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ChangeKind.choices, read_only=True)
    msc_id = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    entity_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EntityType.choices), read_only=True
    )
    effective_from = serializers.DateField(
        read_only=True, allow_null=True, help_text="When it takes effect; null = on publication."
    )
    member_facing = serializers.BooleanField(
        read_only=True, help_text="False for editorial corrections (sources, notes)."
    )
    before = serializers.JSONField(read_only=True, allow_null=True)
    after = serializers.JSONField(read_only=True, allow_null=True)


class CriteriaVersionSerializer(serializers.Serializer):
    public_id = serializers.CharField(read_only=True)
    number = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Publication order; null for a draft."
    )
    label = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=VersionStatus.choices, read_only=True)
    is_current = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    based_on = serializers.CharField(
        source="based_on.public_id",
        read_only=True,
        allow_null=True,
        help_text="Public id of the version a draft was copied from.",
    )
    notes = serializers.CharField(read_only=True)
    criteria_count = serializers.IntegerField(source="criteria_total", read_only=True)
    partial_entity_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EntityType.choices),
        read_only=True,
        help_text="Entity types whose table in this version is partial: CBP publishes the full "
        "table in the CTPAT Public Library; only the listed rows are loaded.",
    )

    def get_is_current(self, version) -> bool:
        current = self.context.get("current")
        return current is not None and current.pk == version.pk


class CriteriaVersionDetailSerializer(CriteriaVersionSerializer):
    previous = serializers.CharField(
        source="previous_version.public_id",
        read_only=True,
        allow_null=True,
        help_text="The version the changes are counted from (null for the first one).",
    )
    changes = ChangeSerializer(many=True, read_only=True)

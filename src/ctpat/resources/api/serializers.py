"""Resources API representations and request bodies."""

from __future__ import annotations

from rest_framework import serializers

from ctpat.core.api.serializers import StrictCharField
from ctpat.partners.api.serializers import PartnerRefSerializer
from ctpat.resources import rules
from ctpat.resources.choices import AUDIENCE_CHOICES, ResourceKind, ResourceState, Topic
from ctpat.resources.models import ResourceRevision, ResourceShare


class RevisionSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id", read_only=True)
    audiences = serializers.ListField(child=StrictCharField(), read_only=True)
    topics = serializers.ListField(child=StrictCharField(), read_only=True)

    class Meta:
        model = ResourceRevision
        fields = [
            "id",
            "number",
            "title",
            "summary",
            "body",
            "kind",
            "external_url",
            "audiences",
            "topics",
            "source",
            "status",
            "retired",
            "change_note",
            "created_at",
        ]
        read_only_fields = fields


class ResourceChangeSerializer(serializers.Serializer):
    field = StrictCharField()
    summary = StrictCharField()


class RevisionHistorySerializer(RevisionSerializer):
    changes = serializers.SerializerMethodField()

    class Meta(RevisionSerializer.Meta):
        fields = [*RevisionSerializer.Meta.fields, "changes"]
        read_only_fields = fields

    def get_changes(self, revision) -> list[dict]:
        previous = self.context.get("previous", {}).get(revision.pk)
        changes = rules.revision_changes(
            previous.as_dict() if previous is not None else None, revision.as_dict()
        )
        return ResourceChangeSerializer(changes, many=True).data


class ResourceSerializer(serializers.Serializer):
    """A resource as the caller reads it: the newest revision for CBP, the live one otherwise."""

    id = StrictCharField()
    state = serializers.ChoiceField(choices=ResourceState.choices)
    revision = RevisionSerializer()
    live_revision = serializers.IntegerField(
        allow_null=True, help_text="The revision number members read (null if none)."
    )
    shared_with_you_by = serializers.ListField(
        child=StrictCharField(), help_text="Brokers that shared it with your company."
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ResourceWriteSerializer(serializers.Serializer):
    title = StrictCharField(max_length=rules.TITLE_MAX_LENGTH * 2, allow_blank=True)
    kind = serializers.ChoiceField(choices=ResourceKind.choices)
    audiences = serializers.ListField(
        child=serializers.ChoiceField(choices=AUDIENCE_CHOICES), max_length=len(AUDIENCE_CHOICES)
    )
    summary = StrictCharField(required=False, allow_blank=True, max_length=5_000)
    body = StrictCharField(required=False, allow_blank=True, max_length=100_000)
    external_url = StrictCharField(required=False, allow_blank=True, max_length=2_000)
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=Topic.choices), required=False, max_length=20
    )
    source = StrictCharField(required=False, allow_blank=True, max_length=2_000)
    change_note = StrictCharField(required=False, allow_blank=True, max_length=2_000)
    publish = serializers.BooleanField(required=False, default=False)


class NoteSerializer(serializers.Serializer):
    change_note = StrictCharField(required=False, allow_blank=True, max_length=2_000)


class RetireSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=2_000, allow_blank=True)


class ResourceShareSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id", read_only=True)
    resource = serializers.CharField(source="resource.public_id", read_only=True)
    revision = serializers.IntegerField(source="revision.number", read_only=True)
    title = serializers.CharField(source="revision.title", read_only=True)
    broker = PartnerRefSerializer(read_only=True)
    client = PartnerRefSerializer(read_only=True)

    class Meta:
        model = ResourceShare
        fields = ["id", "resource", "revision", "title", "broker", "client", "note", "created_at"]
        read_only_fields = fields


class ResourceShareCreateSerializer(serializers.Serializer):
    resource = StrictCharField(max_length=24, help_text="The resource's public id.")
    clients = serializers.ListField(
        child=StrictCharField(max_length=24),
        max_length=rules.SHARE_MAX_CLIENTS,
        help_text="Public ids of your clients (partners with an accepted SVI connection).",
    )
    note = StrictCharField(required=False, allow_blank=True, max_length=5_000)

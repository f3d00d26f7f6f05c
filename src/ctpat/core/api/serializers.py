"""Serializer building blocks for every API: strict input and the audit trail's output."""

from __future__ import annotations

from collections.abc import Mapping

from rest_framework import serializers

from ctpat.core import audit_labels, permissions
from ctpat.core.errors import DomainError
from ctpat.core.models import AuditEvent


class StrictStringMixin:
    """Refuse numbers and booleans instead of silently converting them, and measure
    ``max_length`` before trimming whitespace, as the schema promises."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class StrictCharField(StrictStringMixin, serializers.CharField):
    default_error_messages = {"invalid": "Not a valid string."}


class StrictEmailField(StrictStringMixin, serializers.EmailField):
    pass


class StrictURLField(StrictStringMixin, serializers.URLField):
    pass


class StrictSerializer(serializers.Serializer):
    """An input serializer that refuses fields it does not declare.

    A misspelt field must not be silently dropped: the client would believe it changed
    something. At the top level the refusal is a 400 ``unknown_fields``; in a nested object it
    is an ordinary field error.
    """

    def _unknown_fields(self, data) -> list[str]:
        if not isinstance(data, Mapping):
            return []
        writable = {name for name, field in self.fields.items() if not field.read_only}
        return sorted(str(key) for key in data if key not in writable)

    def is_valid(self, *, raise_exception: bool = False) -> bool:
        unknown = self._unknown_fields(getattr(self, "initial_data", None))
        if unknown:
            raise DomainError(
                f"Unknown fields: {', '.join(unknown)}.",
                code="unknown_fields",
                fields={name: ["Unknown field."] for name in unknown},
            )
        return super().is_valid(raise_exception=raise_exception)

    def to_internal_value(self, data):
        unknown = self._unknown_fields(data)
        if unknown:
            raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)


class EmptySerializer(StrictSerializer):
    """The body of an action that takes no input: nothing, or ``{}``."""


class OrganizationRefSerializer(serializers.Serializer):
    public_id = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class AuditEventSerializer(serializers.ModelSerializer):
    """One audit event. The IP address is shown only to those who may read the whole log."""

    actor = serializers.CharField(source="actor_label", read_only=True)
    actor_organization = OrganizationRefSerializer(read_only=True, allow_null=True)
    organization = OrganizationRefSerializer(read_only=True, allow_null=True)
    counterparty = OrganizationRefSerializer(read_only=True, allow_null=True)
    before = serializers.JSONField(read_only=True, allow_null=True)
    after = serializers.JSONField(read_only=True, allow_null=True)
    ip_address = serializers.SerializerMethodField()
    action_label = serializers.SerializerMethodField(
        help_text="The action in words, e.g. 'Membership status changed'."
    )
    object_type_label = serializers.SerializerMethodField(
        help_text="The kind of record in words, e.g. 'Partner'."
    )

    class Meta:
        model = AuditEvent
        fields = [
            "public_id",
            "occurred_at",
            "actor",
            "actor_organization",
            "organization",
            "counterparty",
            "action",
            "action_label",
            "object_type",
            "object_type_label",
            "object_id",
            "object_repr",
            "before",
            "after",
            "reason",
            "service",
            "source",
            "request_id",
            "ip_address",
        ]
        read_only_fields = fields

    def get_action_label(self, event: AuditEvent) -> str:
        return audit_labels.action_label(event.action)

    def get_object_type_label(self, event: AuditEvent) -> str:
        return audit_labels.object_type_label(event.object_type)

    def get_ip_address(self, event: AuditEvent) -> str | None:
        request = self.context.get("request")
        if request is not None and permissions.has_perm(request.user, "audit.view_all"):
            return event.ip_address
        return None


class StoredFileSerializer(serializers.Serializer):
    """An uploaded file's record (evidence, an application document): never its content.

    ``download_url`` is the API address that returns the file. Subclasses name its route
    (``download_route``), the record the file belongs to (``download_parent``: its public id
    fills the route's ``public_id``) and the route's argument for the file's own public id
    (``download_id_kwarg``).
    """

    download_route = ""
    download_parent = ""
    download_id_kwarg = ""

    public_id = serializers.CharField(read_only=True)
    original_name = serializers.CharField(read_only=True, help_text="As the uploader named it.")
    size = serializers.IntegerField(read_only=True, help_text="In bytes.")
    scan_status = serializers.CharField(
        read_only=True, help_text="`not_scanned` when no virus scanner is configured."
    )
    uploaded_by = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)
    download_url = serializers.SerializerMethodField()

    def get_uploaded_by(self, obj) -> str | None:
        user = obj.uploaded_by
        if user is None:
            return None
        return user.get_full_name() or user.get_username()

    def get_download_url(self, obj) -> str:
        from django.urls import reverse

        kwargs = {
            "public_id": getattr(obj, self.download_parent).public_id,
            self.download_id_kwarg: obj.public_id,
        }
        path = reverse(self.download_route, kwargs=kwargs)
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

"""Notification API representations (plain serializers: the schema says exactly what is sent)."""

from __future__ import annotations

from rest_framework import serializers


class NotificationSerializer(serializers.Serializer):
    public_id = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True, help_text="A code such as `svi.request`.")
    title = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)
    link = serializers.CharField(
        read_only=True, help_text="A path inside ctpat the notification is about, or empty."
    )
    is_read = serializers.BooleanField(read_only=True)
    read_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)


class MarkAllReadResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField(
        read_only=True, help_text="How many notifications were marked read."
    )

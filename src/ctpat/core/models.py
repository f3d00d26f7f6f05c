"""Base models and the audit trail.

* ``PublicIdModel`` gives every record a stable public identifier used in URLs and the API.
* ``AuditedModel`` refuses writes made outside a service (``ctpat.core.services.service``),
  so every change is paired with an ``AuditEvent`` written in the same transaction.
* ``RestrictedQuerySet.restrict(viewer)`` is the single place tenant isolation is applied; each
  model says who may see it in ``visible_to(viewer)``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Upper
from django.utils import timezone

from .context import current_service
from .errors import UnauditedWriteError
from .ids import new_public_id


def _require_service(model_label: str, operation: str) -> None:
    if current_service() is None:
        raise UnauditedWriteError(
            f"{operation} on {model_label} outside a service: writes must go through a "
            "ctpat service so that they are audited."
        )


def _joins_to_many(qs: models.QuerySet) -> bool:
    """Whether ``qs`` joins a to-many relation, so a row could come back more than once.

    Rules written as subqueries (``pk__in``/``Exists``) join nothing and need no DISTINCT, which
    would otherwise make PostgreSQL sort or hash every visible row before paging.
    """
    for join in qs.query.alias_map.values():
        field = getattr(join, "join_field", None)
        if field is not None and (field.many_to_many or field.one_to_many):
            return True
    return False


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, viewer, action: str = "view"):
        """Only the rows ``viewer`` may see (or act on). Anonymous viewers see nothing."""
        if viewer is None or not getattr(viewer, "is_authenticated", False):
            return self.none()
        condition = self.model.visible_to(viewer, action)
        if condition is True:
            return self
        if condition is False or condition is None:
            return self.none()
        restricted = self.filter(condition)
        return restricted.distinct() if _joins_to_many(restricted) else restricted

    # Bulk writes bypass save(); they are guarded the same way.
    def update(self, **kwargs):
        _require_service(self.model._meta.label, "update()")
        return super().update(**kwargs)

    def delete(self):
        _require_service(self.model._meta.label, "delete()")
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        _require_service(self.model._meta.label, "bulk_create()")
        objs = list(objs)  # a generator would be used up by the loop below
        for obj in objs:
            if isinstance(obj, PublicIdModel) and not obj.public_id:
                obj.public_id = new_public_id(obj.PUBLIC_ID_PREFIX)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, *args, **kwargs):
        _require_service(self.model._meta.label, "bulk_update()")
        return super().bulk_update(objs, *args, **kwargs)


class AuditedModel(models.Model):
    """A model whose rows change only inside services."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        """A Q object, True (all rows) or False (none). Subclasses must decide."""
        return False

    def save(self, *args, **kwargs):
        _require_service(self._meta.label, "save()")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _require_service(self._meta.label, "delete()")
        return super().delete(*args, **kwargs)


class PublicIdModel(AuditedModel):
    PUBLIC_ID_PREFIX = "OBJ"

    public_id = models.CharField(max_length=24, unique=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.public_id:
            self.public_id = new_public_id(self.PUBLIC_ID_PREFIX)
        super().save(*args, **kwargs)

    def audit_label(self) -> str:
        return f"{self._meta.label_lower}:{self.public_id}"


class StoredFileModel(PublicIdModel):
    """An uploaded file kept under MEDIA_ROOT with a random name (``ctpat.core.uploads``): the
    uploader's file name is display data only, the type is detected from the content, and the
    file is downloaded only through its app's permission-checked view. Each app's file model
    adds what the file belongs to and its ``visible_to``."""

    file = models.FileField(max_length=200)
    original_name = models.CharField(max_length=200)
    file_type = models.CharField(max_length=16, help_text="Detected from the content.")
    size = models.PositiveBigIntegerField()
    scan_status = models.CharField(max_length=16)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


class AuditEventQuerySet(RestrictedQuerySet):
    def update(self, **kwargs):
        raise UnauditedWriteError("Audit events are append-only.")

    def delete(self):
        raise UnauditedWriteError("Audit events are append-only.")

    def bulk_update(self, objs, *args, **kwargs):
        raise UnauditedWriteError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One recorded change: who did what to which object, before/after, why, when.

    Append-only: an event can be created (inside a service) but never changed or deleted.
    """

    PUBLIC_ID_PREFIX = "EVT"

    public_id = models.CharField(max_length=24, unique=True, editable=False)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    actor_label = models.CharField(max_length=200, help_text="Actor's name at the time.")
    actor_organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        help_text="The tenant that owns the changed object.",
    )
    counterparty = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="counterparty_audit_events",
        help_text="A second organization the change concerns (e.g. the other SVI party).",
    )
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, db_index=True)
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(max_length=300)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    service = models.CharField(max_length=255)
    source = models.CharField(max_length=16, default="system")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "occurred_at"]),
            # The log's order (newest first, id breaks ties): keyset pages read it backwards.
            models.Index(fields=["occurred_at", "id"], name="audit_occurred_id_idx"),
            # The object filter (a history, the log by object) matches ids case-insensitively,
            # UPPER(object_id) = UPPER(%s), newest first: one index serves filter and order.
            models.Index(
                Upper("object_id"), F("occurred_at"), F("id"), name="audit_object_id_upper_idx"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
        )

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        from ctpat.core import permissions

        if permissions.has_perm(viewer, "audit.view_all"):
            return True
        if viewer.organization_id is None:
            return False
        return models.Q(organization_id=viewer.organization_id) | models.Q(
            counterparty_id=viewer.organization_id
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise UnauditedWriteError("Audit events are append-only.")
        _require_service("core.AuditEvent", "save()")
        if not self.public_id:
            self.public_id = new_public_id(self.PUBLIC_ID_PREFIX)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise UnauditedWriteError("Audit events are append-only.")

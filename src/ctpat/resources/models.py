"""The resources library: guidance, fact sheets, links, forms and training that CBP curates.

* ``Resource`` — one library entry, addressed by a stable public id (``RES-…``). It points at
  its newest revision (``latest_revision``, what CBP staff see and edit) and at the revision
  members see (``live_revision``: the newest published one, none while it is a draft or once
  it is retired).
* ``ResourceRevision`` — one immutable state of a resource. Every change a CBP program admin
  makes (create, revise, publish, retire) appends a revision; old ones stay readable.
* ``ResourceShare`` — a customs broker sharing a published resource with one of its clients
  (a partner it has an accepted SVI connection with). Private to the broker and that client;
  CBP sees all shares.

Published resources are shared reference data: everyone signed in reads them, except those
written only for CBP staff. Drafts and retired resources are for CBP staff.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ctpat.accounts import roles
from ctpat.core.models import PublicIdModel

from . import rules
from .choices import (
    AUDIENCE_LABELS,
    CBP_STAFF,
    ResourceKind,
    ResourceState,
    RevisionStatus,
    Topic,
)

STAFF_ONLY_TAGS = rules.tags_to_text([CBP_STAFF])


def member_visible_resources() -> Q:
    """Resources a member may read: live (published, not retired), not for CBP staff only."""
    return Q(live_revision__isnull=False) & ~Q(live_revision__audience_tags=STAFF_ONLY_TAGS)


class Resource(PublicIdModel):
    PUBLIC_ID_PREFIX = "RES"

    latest_revision = models.ForeignKey(
        "ResourceRevision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    live_revision = models.ForeignKey(
        "ResourceRevision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seed_key = models.CharField(
        max_length=80,
        blank=True,
        help_text="The row key in the shipped seed file this resource was loaded from.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["seed_key"], condition=~Q(seed_key=""), name="resource_unique_seed_key"
            )
        ]

    def __str__(self) -> str:
        title = self.latest_revision.title if self.latest_revision_id else ""
        return f"{self.public_id} {title}".strip()

    @property
    def state(self) -> str:
        latest = self.latest_revision
        if latest is not None and latest.retired:
            return ResourceState.RETIRED
        if self.live_revision_id is None:
            return ResourceState.DRAFT
        if self.live_revision_id != self.latest_revision_id:
            return ResourceState.UNPUBLISHED_CHANGES
        return ResourceState.PUBLISHED

    def get_state_display(self) -> str:
        return str(ResourceState(self.state).label)

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        """CBP staff see every resource; only program admins change them. Members (and every
        other signed-in user) read the live ones."""
        if action != "view":
            return roles.has_perm(viewer, "resources.edit")
        if roles.has_perm(viewer, "resources.view_drafts"):
            return True
        return member_visible_resources()


class ResourceRevision(PublicIdModel):
    PUBLIC_ID_PREFIX = "RRV"

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(help_text="1, 2, 3 … per resource.")
    title = models.CharField(max_length=rules.TITLE_MAX_LENGTH)
    summary = models.CharField(max_length=rules.SUMMARY_MAX_LENGTH, blank=True)
    body = models.TextField(blank=True, help_text="Plain text; shown escaped, paragraphs kept.")
    kind = models.CharField(max_length=16, choices=ResourceKind.choices)
    external_url = models.CharField(
        "External link", max_length=rules.URL_MAX_LENGTH, blank=True, help_text="Never fetched."
    )
    audience_tags = models.CharField(max_length=600, help_text='Stored as ",importer,…,".')
    topic_tags = models.CharField(max_length=300, blank=True)
    source = models.CharField("Source or citation", max_length=rules.SOURCE_MAX_LENGTH, blank=True)
    status = models.CharField(
        max_length=12, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT
    )
    retired = models.BooleanField(default=False)
    change_note = models.CharField(max_length=rules.CHANGE_NOTE_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["resource_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="resource_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.title} (revision {self.number})"

    @property
    def audiences(self) -> list[str]:
        return rules.tags_from_text(self.audience_tags)

    @property
    def topics(self) -> list[str]:
        return rules.tags_from_text(self.topic_tags)

    def audience_labels(self) -> list[str]:
        return [AUDIENCE_LABELS.get(a, a) for a in self.audiences]

    def topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [str(labels.get(t, t)) for t in self.topics]

    def as_dict(self) -> dict:
        """The compared content of this revision (``rules.REVISION_FIELDS``)."""
        return {
            "title": self.title,
            "summary": self.summary,
            "body": self.body,
            "kind": self.kind,
            "external_url": self.external_url,
            "audiences": self.audiences,
            "topics": self.topics,
            "source": self.source,
            "status": self.status,
            "retired": self.retired,
        }

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        """Revisions are never changed. CBP staff read them all; members the published
        revisions of the resources they can read, except a revision written only for CBP
        staff (a resource opened to members later keeps its internal first versions internal)."""
        if action != "view":
            return False
        if roles.has_perm(viewer, "resources.view_drafts"):
            return True
        return (
            Q(status=RevisionStatus.PUBLISHED, retired=False)
            & ~Q(audience_tags=STAFF_ONLY_TAGS)
            & Q(resource__in=Resource.objects.filter(member_visible_resources()))
        )


class ResourceShare(PublicIdModel):
    """A customs broker pointing one of its clients at a published resource, with a note."""

    PUBLIC_ID_PREFIX = "RSH"

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="shares")
    revision = models.ForeignKey(
        ResourceRevision,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The published revision the broker shared.",
    )
    broker = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="resource_shares_sent"
    )
    client = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="resource_shares_received"
    )
    note = models.TextField(blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(broker=models.F("client")), name="resource_share_not_self"
            ),
            models.UniqueConstraint(
                fields=["revision", "broker", "client"], name="resource_share_once_per_revision"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.broker} → {self.client}: {self.revision.title}"

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        """The broker and the client see their share; CBP sees every share. Nobody else."""
        if action != "view":
            return False
        if roles.has_perm(viewer, "resources.view_all_shares"):
            return True
        if viewer.organization_id is None:
            return False
        return Q(broker__organization_id=viewer.organization_id) | Q(
            client__organization_id=viewer.organization_id
        )

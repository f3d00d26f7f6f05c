"""Resources loaded from the shipped seed file cite public sources only (issue 7).

Installs that loaded the seed before show members a source naming internal development material
on each seeded resource. Revisions are never changed, so each such resource gets a new revision
copying its newest one with the shipped file's citation. If members were reading that newest
revision it is published in the same step, so they see the fix at once; a resource with
unpublished edits keeps them unpublished (the new revision carries them, with the citation).
One audit event per resource, by the system. Uses the historical models.
"""

from django.db import migrations
from django.utils import timezone

CHANGE_NOTE = "Sources cited as public citations."


def forward(apps, schema_editor):
    from ctpat.core.citations import internal_reference_problem
    from ctpat.core.ids import new_public_id
    from ctpat.resources import seed

    Resource = apps.get_model("resources", "Resource")
    ResourceRevision = apps.get_model("resources", "ResourceRevision")
    AuditEvent = apps.get_model("core", "AuditEvent")
    seeded = Resource.objects.exclude(seed_key="")
    if not seeded.exists():
        return
    sources = {row["seed_key"]: row["source"] for row in seed.read_seed()}
    for resource in seeded.order_by("pk"):
        latest = ResourceRevision.objects.filter(resource=resource).order_by("-number").first()
        new_source = sources.get(resource.seed_key)
        if latest is None or not new_source or not internal_reference_problem(latest.source):
            continue
        was_live = resource.live_revision_id == latest.pk
        now = timezone.now()
        revision = ResourceRevision.objects.create(
            public_id=new_public_id("RRV"),
            resource=resource,
            number=latest.number + 1,
            title=latest.title,
            summary=latest.summary,
            body=latest.body,
            kind=latest.kind,
            external_url=latest.external_url,
            audience_tags=latest.audience_tags,
            topic_tags=latest.topic_tags,
            source=new_source,
            status=latest.status,
            retired=latest.retired,
            change_note=CHANGE_NOTE,
            created_at=now,
        )
        resource.latest_revision = revision
        if was_live:
            resource.live_revision = revision
        resource.save(update_fields=["latest_revision", "live_revision", "updated_at"])
        AuditEvent.objects.create(
            public_id=new_public_id("EVT"),
            actor_label="system",
            action="resource.revise",
            object_type="resources.resource",
            object_id=resource.public_id,
            object_repr=f"{resource.public_id} {latest.title}"[:300],
            before={"revision": latest.number, "source": latest.source},
            after={"revision": revision.number, "source": new_source, "published": was_live},
            reason=CHANGE_NOTE,
            service="ctpat.resources.migrations.0002_public_citations",
            source="system",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("resources", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop, elidable=False),
    ]

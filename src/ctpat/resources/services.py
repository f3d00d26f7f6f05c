"""Writes for the resources library. Each is one transaction with its audit event.

Curation (CBP program admins; ``actor=None`` is the system, e.g. the seed loader):

* ``resource_create`` — a new resource and its revision 1 (a draft, or published at once),
* ``resource_revise`` — a new revision from the newest one with some fields changed (a draft
  unless published at once; members keep reading the live revision meanwhile),
* ``resource_publish`` — a new revision that makes the newest content live (also un-retires),
* ``resource_retire`` — a new revision marking the resource retired; members stop seeing it.

Revisions are never changed or deleted, so every earlier state stays readable.

Sharing: ``resource_share`` — a licensed customs broker's user shares a published resource with
one or more of the broker's clients. A *client* is a partner the broker has an accepted SVI
connection with (``partners.selectors.svi_connected_partners``), in either direction. Each
client's users are notified in ctpat and by e-mail.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from ctpat.accounts import roles
from ctpat.accounts.models import User
from ctpat.core import citations
from ctpat.core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from ctpat.core.services import audit_record, service
from ctpat.partners.models import Partner
from ctpat.partners.selectors import partner_for_user

from . import rules, selectors
from .choices import AUDIENCE_VALUES, ResourceKind, RevisionStatus, Topic
from .models import Resource, ResourceRevision, ResourceShare

CONTENT_FIELDS = (
    "title",
    "summary",
    "body",
    "kind",
    "external_url",
    "audiences",
    "topics",
    "source",
)
TEXT_LIMITS = {
    "title": rules.TITLE_MAX_LENGTH,
    "summary": rules.SUMMARY_MAX_LENGTH,
    "body": rules.BODY_MAX_LENGTH,
    "source": rules.SOURCE_MAX_LENGTH,
}


# --- Checks ----------------------------------------------------------------------------------


def _require(actor, code: str, message: str) -> None:
    """``actor`` None is the system (seed loading); people need the permission."""
    if actor is not None and not roles.has_perm(actor, code):
        raise PermissionDeniedError(message)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _tags(value, *, allowed, field: str, errors: dict) -> list[str]:
    if isinstance(value, str):
        value = [value] if value else []
    values = sorted({str(v).strip() for v in (value or ()) if str(v).strip()})
    unknown = [v for v in values if v not in allowed]
    if unknown:
        errors[field] = [f"Unknown {field.rstrip('s')} tag: {', '.join(unknown)}."]
    return values


def clean_content(values: dict) -> dict:
    """Check a resource's whole content; every problem is reported at once, by field."""
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    for name, limit in TEXT_LIMITS.items():
        text = str(values.get(name) or "").strip()
        if len(text) > limit:
            errors[name] = [
                f"The text can be at most {limit} characters long (it has {len(text)})."
            ]
        clean[name] = text
    if not clean["title"] and "title" not in errors:
        errors["title"] = ["Give the resource a title."]
    kind = values.get("kind") or ""
    if kind not in ResourceKind.values:
        errors["kind"] = ["Choose guidance, fact sheet, link, form or training."]
    clean["kind"] = kind
    url = str(values.get("external_url") or "").strip()
    if url:
        problem = rules.url_problem(url)
        if problem:
            errors["external_url"] = [problem]
    elif kind == ResourceKind.LINK:
        errors["external_url"] = ["A link needs the web address it points to."]
    clean["external_url"] = url
    clean["audiences"] = _tags(
        values.get("audiences"), allowed=AUDIENCE_VALUES, field="audiences", errors=errors
    )
    if not clean["audiences"] and "audiences" not in errors:
        errors["audiences"] = ["Choose who the resource is for (at least one audience)."]
    clean["topics"] = _tags(
        values.get("topics"), allowed=set(Topic.values), field="topics", errors=errors
    )
    # Members read these: only public sources, never internal development material.
    for name in ("source", "summary", "body"):
        problem = citations.internal_reference_problem(clean.get(name, ""))
        if problem and name not in errors:
            errors[name] = [problem]
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(
            f"The resource was not saved: {first}", code="invalid_resource", fields=errors
        )
    return clean


def _clean_change_note(note: str, *, required: bool = False, field: str = "change_note") -> str:
    note = (note or "").strip()
    if required and not note:
        message = "Say why: a reason is required."
        raise DomainError(message, code="reason_required", fields={field: [message]})
    if len(note) > rules.CHANGE_NOTE_MAX_LENGTH:
        message = f"The note can be at most {rules.CHANGE_NOTE_MAX_LENGTH} characters long."
        raise DomainError(message, code="too_long", fields={field: [message]})
    return note


def _locked(resource: Resource) -> Resource:
    """The resource, locked: revisions of one resource are numbered one at a time."""
    return (
        Resource.objects.select_for_update(of=("self",))
        .select_related("latest_revision", "live_revision")
        .get(pk=resource.pk)
    )


def _append_revision(
    resource: Resource,
    *,
    content: dict,
    status: str,
    retired: bool,
    change_note: str,
    actor,
) -> ResourceRevision:
    number = (resource.latest_revision.number if resource.latest_revision_id else 0) + 1
    revision = ResourceRevision(
        resource=resource,
        number=number,
        title=content["title"],
        summary=content["summary"],
        body=content["body"],
        kind=content["kind"],
        external_url=content["external_url"],
        audience_tags=rules.tags_to_text(content["audiences"]),
        topic_tags=rules.tags_to_text(content["topics"]),
        source=content["source"],
        status=status,
        retired=retired,
        change_note=change_note,
        created_by=_user(actor),
    )
    revision.save()
    resource.latest_revision = revision
    if status == RevisionStatus.PUBLISHED and not retired:
        resource.live_revision = revision
    elif retired:
        resource.live_revision = None
    resource.save()
    return revision


def _content_of(revision: ResourceRevision) -> dict:
    data = revision.as_dict()
    return {name: data[name] for name in CONTENT_FIELDS}


def _event_after(resource: Resource, revision: ResourceRevision) -> dict:
    return {"revision": revision.number, "state": resource.state, **revision.as_dict()}


# --- Curation --------------------------------------------------------------------------------


@service
def resource_create(
    *,
    actor,
    title: str,
    kind: str,
    audiences: Iterable[str],
    summary: str = "",
    body: str = "",
    external_url: str = "",
    topics: Iterable[str] = (),
    source: str = "",
    publish: bool = False,
    change_note: str = "",
    seed_key: str = "",
) -> Resource:
    """A new resource with its first revision, a draft unless ``publish``."""
    _require(actor, "resources.edit", "Only a CBP program admin adds resources.")
    if publish:
        _require(actor, "resources.publish", "Only a CBP program admin publishes resources.")
    content = clean_content(
        {
            "title": title,
            "kind": kind,
            "audiences": audiences,
            "summary": summary,
            "body": body,
            "external_url": external_url,
            "topics": topics,
            "source": source,
        }
    )
    change_note = _clean_change_note(change_note)
    seed_key = (seed_key or "").strip()
    if seed_key and Resource.objects.filter(seed_key=seed_key).exists():
        raise ConflictError(f"Seed resource {seed_key} is loaded already.", code="seed_loaded")
    resource = Resource(seed_key=seed_key, created_by=_user(actor))
    resource.save()
    revision = _append_revision(
        resource,
        content=content,
        status=RevisionStatus.PUBLISHED if publish else RevisionStatus.DRAFT,
        retired=False,
        change_note=change_note or "Created.",
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="resource.create",
        obj=resource,
        after=_event_after(resource, revision),
        reason=change_note,
    )
    return resource


@service
def resource_revise(
    *, actor, resource: Resource, change_note: str = "", publish: bool = False, **changes
) -> Resource:
    """A new revision: the newest content with ``changes`` applied (``CONTENT_FIELDS`` only).

    The new revision is a draft, so members keep reading the live one, unless ``publish``.
    """
    _require(actor, "resources.edit", "Only a CBP program admin edits resources.")
    if publish:
        _require(actor, "resources.publish", "Only a CBP program admin publishes resources.")
    unknown = sorted(set(changes) - set(CONTENT_FIELDS))
    if unknown:
        raise DomainError(
            f"These fields cannot be changed: {', '.join(unknown)}.", code="unknown_fields"
        )
    resource = _locked(resource)
    latest = resource.latest_revision
    before = _content_of(latest)
    content = clean_content({**before, **changes})
    change_note = _clean_change_note(change_note)
    if content == before and not (publish and resource.live_revision_id != latest.pk):
        raise DomainError("Nothing was changed.", code="no_changes")
    status = RevisionStatus.PUBLISHED if publish else RevisionStatus.DRAFT
    revision = _append_revision(
        resource,
        content=content,
        status=status,
        retired=latest.retired and not publish,
        change_note=change_note,
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="resource.revise",
        obj=resource,
        before={"revision": latest.number, **latest.as_dict()},
        after=_event_after(resource, revision),
        reason=change_note,
    )
    return resource


@service
def resource_publish(*, actor, resource: Resource, change_note: str = "") -> Resource:
    """Make the newest content live (a new, published revision). Un-retires a retired one."""
    _require(actor, "resources.publish", "Only a CBP program admin publishes resources.")
    resource = _locked(resource)
    latest = resource.latest_revision
    if resource.live_revision_id == latest.pk:
        raise ConflictError(
            "This resource is published and has no unpublished changes.", code="already_published"
        )
    change_note = _clean_change_note(change_note)
    content = clean_content(_content_of(latest))  # a rule may have tightened since
    revision = _append_revision(
        resource,
        content=content,
        status=RevisionStatus.PUBLISHED,
        retired=False,
        change_note=change_note or "Published.",
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="resource.publish",
        obj=resource,
        before={"revision": latest.number, "status": latest.status, "retired": latest.retired},
        after=_event_after(resource, revision),
        reason=change_note,
    )
    return resource


@service
def resource_retire(*, actor, resource: Resource, reason: str) -> Resource:
    """Take a resource out of the library: members no longer see it; CBP staff still do."""
    _require(actor, "resources.publish", "Only a CBP program admin retires resources.")
    reason = _clean_change_note(reason, required=True, field="reason")
    resource = _locked(resource)
    latest = resource.latest_revision
    if latest.retired:
        raise ConflictError("This resource is retired already.", code="already_retired")
    # The retired revision keeps what members last saw (unpublished edits are kept as well).
    revision = _append_revision(
        resource,
        content=_content_of(latest),
        status=latest.status,
        retired=True,
        change_note=reason,
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="resource.retire",
        obj=resource,
        before={"revision": latest.number, "retired": False},
        after=_event_after(resource, revision),
        reason=reason,
    )
    return resource


# --- Sharing ---------------------------------------------------------------------------------


def _sharing_broker(actor):
    if not roles.has_perm(actor, "resources.share"):
        raise PermissionDeniedError(
            "Only the users of a customs broker can share resources with clients.",
            code="not_a_broker",
        )
    broker = partner_for_user(actor)
    if broker is None or not rules.may_share(broker.entity_type):
        raise PermissionDeniedError(
            "Only the users of a licensed customs broker can share resources with clients.",
            code="not_a_broker",
        )
    return broker


@service
def resource_share(*, actor, resource: Resource, clients: Iterable, note: str = "") -> list:
    """Share ``resource`` (its live revision) with some of the broker's clients.

    A client is a partner with an accepted SVI connection to the broker. Refused for anyone but
    a customs broker's users (403 ``not_a_broker``), for a resource members cannot read, for a
    partner that is not a client (``not_a_client``), and for a client that already has this
    revision from this broker (``already_shared``).
    """
    broker = _sharing_broker(actor)
    # One share at a time per broker, so "already shared" is decided on settled data.
    Partner.objects.select_for_update().filter(pk=broker.pk).first()
    resource = selectors.resource_list(viewer=actor).filter(pk=resource.pk).first()
    if resource is None:
        raise NotFoundError("No such resource.")
    if resource.live_revision_id is None or rules.is_staff_only(resource.live_revision.audiences):
        raise ConflictError("Only published resources can be shared.", code="not_published")
    revision = resource.live_revision
    note = (note or "").strip()
    if len(note) > rules.SHARE_NOTE_MAX_LENGTH:
        message = f"At most {rules.SHARE_NOTE_MAX_LENGTH} characters."
        raise DomainError(message, code="too_long", fields={"note": [message]})
    chosen = list({c.pk: c for c in clients}.values())
    if not chosen:
        raise DomainError(
            "Choose at least one client to share with.",
            code="no_clients",
            fields={"clients": ["Choose at least one client."]},
        )
    if len(chosen) > rules.SHARE_MAX_CLIENTS:
        message = f"Share with at most {rules.SHARE_MAX_CLIENTS} clients at a time."
        raise DomainError(message, code="too_many_clients", fields={"clients": [message]})
    client_ids = {p.pk for p in selectors.broker_clients(broker=broker)}
    strangers = [c for c in chosen if c.pk not in client_ids]
    if strangers:
        message = (
            "You can share only with your clients (companies with an accepted status "
            f"verification connection to yours); not with {', '.join(str(c) for c in strangers)}."
        )
        raise DomainError(message, code="not_a_client", fields={"clients": [message]})
    again = ResourceShare.objects.filter(
        revision=revision, broker=broker, client__in=chosen
    ).select_related("client__organization")
    if again:
        names = ", ".join(sorted(str(s.client) for s in again))
        message = f"You already shared this version of the resource with {names}."
        raise ConflictError(message, code="already_shared", fields={"clients": [message]})
    link = reverse("resources:detail", kwargs={"resource_id": resource.public_id})
    shares = []
    for client in chosen:
        share = ResourceShare(
            resource=resource,
            revision=revision,
            broker=broker,
            client=client,
            note=note,
            shared_by=_user(actor),
        )
        share.save()
        audit_record(
            actor=actor,
            action="resource.share",
            obj=share,
            organization=broker.organization,
            counterparty=client.organization,
            after={
                "resource": resource.public_id,
                "revision": revision.number,
                "title": revision.title,
                "broker": broker.public_id,
                "client": client.public_id,
                "note": note,
            },
        )
        recipients = list(User.objects.filter(organization=client.organization, is_active=True))
        if recipients:
            from ctpat.notifications.services import notification_send

            notification_send(
                actor=actor,
                recipients=recipients,
                kind="resources.shared",
                title=f"{broker} shared a resource with you: {revision.title}"[:200],
                body=note,
                link=link,
                email=True,
                dedupe_key=f"resource-share:{share.public_id}",
            )
        shares.append(share)
    return shares

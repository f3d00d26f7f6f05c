"""Reads for the resources library. Tenant isolation is applied here, once, for UI and API.

CBP staff read the newest revision of every resource; everyone else reads the live (published)
revision of the resources members may see. ``display_revision`` picks the right one, and
``revision_prefix`` says which revision the list's search and filters look at.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from ctpat.accounts import roles
from ctpat.core.errors import NotFoundError
from ctpat.partners.models import Partner
from ctpat.partners.selectors import partner_for_user, svi_connected_partners

from . import rules
from .models import Resource, ResourceRevision, ResourceShare

LATEST = "latest_revision"
LIVE = "live_revision"


def sees_drafts(viewer) -> bool:
    return roles.has_perm(viewer, "resources.view_drafts")


def revision_prefix(viewer) -> str:
    """The revision the viewer reads of each resource: the newest (CBP) or the live one."""
    return LATEST if sees_drafts(viewer) else LIVE


def resource_list(*, viewer, action: str = "view") -> QuerySet[Resource]:
    return Resource.objects.restrict(viewer, action).select_related(
        "latest_revision", "live_revision"
    )


def resource_list_for_viewer(*, viewer) -> QuerySet[Resource]:
    """The library list: the viewer's own audience first, then by title."""
    prefix = revision_prefix(viewer)
    qs = resource_list(viewer=viewer)
    own = partner_for_user(viewer)
    if own is not None:
        needles = [rules.tag_needle(t) for t in rules.audiences_for_entity_type(own.entity_type)]
        match = Q()
        for needle in needles:
            match |= Q(**{f"{prefix}__audience_tags__contains": needle})
        first = Case(When(match, then=Value(0)), default=Value(1), output_field=IntegerField())
        qs = qs.annotate(for_viewer=first)
        return qs.order_by("for_viewer", f"{prefix}__title", "id")
    return qs.order_by(f"{prefix}__title", "id")


def resource_get(*, viewer, public_id: str, action: str = "view") -> Resource:
    resource = resource_list(viewer=viewer, action=action).filter(public_id=public_id).first()
    if resource is None:
        raise NotFoundError("No such resource.")
    return resource


def display_revision(*, viewer, resource: Resource) -> ResourceRevision:
    revision = getattr(resource, revision_prefix(viewer))
    if revision is None:  # pragma: no cover - resource_list only returns readable resources
        raise NotFoundError("No such resource.")
    return revision


def revision_list(*, viewer, resource: Resource) -> QuerySet[ResourceRevision]:
    return (
        ResourceRevision.objects.restrict(viewer)
        .filter(resource=resource)
        .select_related("created_by")
        .order_by("-number")
    )


def revision_get(*, viewer, resource: Resource, number: int) -> ResourceRevision:
    revision = revision_list(viewer=viewer, resource=resource).filter(number=number).first()
    if revision is None:
        raise NotFoundError("No such revision.")
    return revision


def revision_history(*, viewer, resource: Resource) -> list[dict]:
    """Each readable revision, newest first, with what changed since the one before it.

    A member compares published revisions with each other (drafts between them are CBP's).
    """
    revisions = list(revision_list(viewer=viewer, resource=resource))
    history = []
    for index, revision in enumerate(revisions):
        previous = revisions[index + 1] if index + 1 < len(revisions) else None
        changes = rules.revision_changes(
            previous.as_dict() if previous is not None else None, revision.as_dict()
        )
        history.append({"revision": revision, "previous": previous, "changes": changes})
    return history


# --- Sharing ---------------------------------------------------------------------------------


def is_sharing_broker(viewer) -> bool:
    """The viewer may share: a partner user whose company is a licensed customs broker."""
    if not roles.has_perm(viewer, "resources.share"):
        return False
    own = partner_for_user(viewer)
    return own is not None and rules.may_share(own.entity_type)


def broker_clients(*, broker: Partner) -> list[Partner]:
    """The broker's clients: partners with an accepted SVI connection to it, by name."""
    return sorted(
        {p.pk: p for _c, p in svi_connected_partners(partner=broker)}.values(),
        key=lambda p: p.name.lower(),
    )


def share_list(*, viewer, resource: Resource | None = None) -> QuerySet[ResourceShare]:
    qs = ResourceShare.objects.restrict(viewer).select_related(
        "resource", "revision", "broker__organization", "client__organization", "shared_by"
    )
    if resource is not None:
        qs = qs.filter(resource=resource)
    return qs


def share_get(*, viewer, public_id: str) -> ResourceShare:
    share = share_list(viewer=viewer).filter(public_id=public_id).first()
    if share is None:
        raise NotFoundError("No such resource share.")
    return share


def shares_received(*, viewer) -> QuerySet[ResourceShare]:
    """Shares to the viewer's own company, newest first, of resources it can still read."""
    own = partner_for_user(viewer)
    if own is None:
        return ResourceShare.objects.none()
    readable = resource_list(viewer=viewer).values("pk")
    return share_list(viewer=viewer).filter(client=own, resource__in=readable)


def shared_by_names(*, viewer, resources) -> dict[int, list[str]]:
    """resource pk -> names of the brokers that shared it with the viewer's company."""
    ids = [r.pk for r in resources]
    found: dict[int, list[str]] = {}
    if not ids:
        return found
    for share in shares_received(viewer=viewer).filter(resource_id__in=ids):
        names = found.setdefault(share.resource_id, [])
        if share.broker.name not in names:
            names.append(share.broker.name)
    return found

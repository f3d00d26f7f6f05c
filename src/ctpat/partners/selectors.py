"""Reads for the partner registry. Tenant isolation is applied here, once, for UI and API."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ctpat.accounts import roles
from ctpat.core.errors import NotFoundError

from .choices import SVIStatus
from .models import (
    CertificationRequest,
    CountryInvitation,
    Partner,
    PartnerIdentifier,
    StatusChange,
    SVIConnection,
)

FULL = "full"
SVI_LIMITED = "svi"


def partner_list(*, viewer, action: str = "view") -> QuerySet[Partner]:
    return (
        Partner.objects.restrict(viewer, action)
        .select_related("organization", "assigned_scss")
        .order_by("organization__name")
    )


def partner_get(*, viewer, public_id: str, action: str = "view") -> Partner:
    partner = partner_list(viewer=viewer, action=action).filter(public_id=public_id).first()
    if partner is None:
        raise NotFoundError("No such partner.")
    return partner


def partner_for_user(user) -> Partner | None:
    """The viewer's own CTPAT account, if their organization is a partner."""
    if not getattr(user, "organization_id", None):
        return None
    return Partner.objects.filter(organization_id=user.organization_id).first()


def partner_access_level(*, viewer, partner: Partner) -> str:
    """How much of ``partner`` the viewer may see: everything, or the SVI status view."""
    if roles.has_perm(viewer, "partner.view_all"):
        return FULL
    if viewer.organization_id == partner.organization_id:
        return FULL
    return SVI_LIMITED


def identifier_list(*, viewer, partner: Partner | None = None) -> QuerySet[PartnerIdentifier]:
    qs = PartnerIdentifier.objects.restrict(viewer).select_related("partner__organization")
    if partner is not None:
        qs = qs.filter(partner=partner)
    return qs


def identifier_get(*, viewer, public_id: str) -> PartnerIdentifier:
    identifier = identifier_list(viewer=viewer).filter(public_id=public_id).first()
    if identifier is None:
        raise NotFoundError("No such identifier.")
    return identifier


def status_history(*, viewer, partner: Partner) -> QuerySet[StatusChange]:
    return StatusChange.objects.restrict(viewer).filter(partner=partner).select_related("actor")


def svi_connection_list(*, viewer, partner: Partner | None = None) -> QuerySet[SVIConnection]:
    qs = SVIConnection.objects.restrict(viewer).select_related(
        "requester__organization", "target__organization", "requested_by", "decided_by"
    )
    if partner is not None:
        qs = qs.filter(Q(requester=partner) | Q(target=partner))
    return qs


def svi_connection_get(*, viewer, public_id: str) -> SVIConnection:
    connection = svi_connection_list(viewer=viewer).filter(public_id=public_id).first()
    if connection is None:
        raise NotFoundError("No such SVI connection.")
    return connection


def svi_pending_for(*, partner: Partner) -> QuerySet[SVIConnection]:
    return SVIConnection.objects.filter(target=partner, status=SVIStatus.PENDING).select_related(
        "requester__organization"
    )


def svi_connected_partners(*, partner: Partner) -> list[tuple[SVIConnection, Partner]]:
    accepted = SVIConnection.objects.filter(
        Q(requester=partner) | Q(target=partner), status=SVIStatus.ACCEPTED
    ).select_related("requester__organization", "target__organization")
    return [(c, c.other_party(partner)) for c in accepted]


def svi_candidate_targets(*, viewer, query: str = "") -> QuerySet[Partner]:
    """Companies a partner may ask to connect with: certified members, searchable by name.

    The SVI directory shows only a company's name, type and country until both consent.
    """
    from . import rules

    if not roles.has_perm(viewer, "svi.request"):
        return Partner.objects.none()
    own = partner_for_user(viewer)
    # Only a certified member may search, and only companies that consented to be listed.
    if own is None or not rules.svi_party_eligible(own.status):
        return Partner.objects.none()
    qs = (
        Partner.objects.filter(status__in=rules.SVI_ELIGIBLE_STATUSES, svi_directory_listed=True)
        .exclude(pk=own.pk)
        .select_related("organization")
    )
    if query:
        # Only what the directory shows (name, account number): matching the DBA name, which it
        # does not show, would let a searcher spell it out letter by letter.
        qs = qs.filter(Q(organization__name__icontains=query) | Q(public_id__iexact=query))
    return qs.order_by("organization__name")


def certification_request_list(*, viewer) -> QuerySet[CertificationRequest]:
    return CertificationRequest.objects.restrict(viewer).select_related("requester__organization")


def identifier_claims_elsewhere(*, viewer, partner: Partner) -> list[PartnerIdentifier]:
    """For CBP: active identifiers of ``partner`` that another partner also claims.

    Identifiers are unique per partner only (a global check would let partners probe each
    other's numbers), so CBP reviews these conflicts instead.
    """
    if not roles.has_perm(viewer, "partner.view_all"):
        return []
    own = PartnerIdentifier.objects.filter(partner=partner, is_active=True)
    claims = PartnerIdentifier.objects.filter(is_active=True).exclude(partner=partner)
    return list(
        claims.filter(kind__in=own.values("kind"), value__in=own.values("value")).select_related(
            "partner__organization"
        )
    )


# --- CBP invitations (eligibility by country) -------------------------------------------------


def invitation_list(*, viewer) -> QuerySet[CountryInvitation]:
    """CBP's invitations; partners see none, not even their own."""
    return CountryInvitation.objects.restrict(viewer).select_related(
        "partner__organization", "invited_by", "withdrawn_by"
    )


def invitation_get(*, viewer, public_id: str) -> CountryInvitation:
    invitation = invitation_list(viewer=viewer).filter(public_id=public_id).first()
    if invitation is None:
        raise NotFoundError("No such invitation.")
    return invitation


def invitation_open_choices(*, viewer) -> QuerySet[CountryInvitation]:
    """Open invitations not yet used by a registered company, for the registration form."""
    return invitation_list(viewer=viewer).filter(withdrawn_at__isnull=True, partner__isnull=True)


def invitation_open_for(*, name: str, entity_type: str, country: str) -> bool:
    """Whether exactly one open invitation matches a company about to register (the service
    uses it when no invitation is named). For form checks; not tenant data."""
    matches = CountryInvitation.objects.filter(
        withdrawn_at__isnull=True,
        partner__isnull=True,
        entity_type=entity_type,
        country=(country or "").upper(),
        company_name__iexact=" ".join((name or "").split()),
    )[:2]
    return len(matches) == 1

"""Eligibility by country and CBP's invitations of companies from outside their entity
type's countries."""

from __future__ import annotations

from django.utils import timezone

from ctpat.accounts import roles
from ctpat.core.countries import country_codes
from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.services import audit_record, service, snapshot

from .. import eligibility, rules
from ..choices import EntityType
from ..models import (
    CountryInvitation,
    Partner,
)
from ._shared import _user

# --- Eligibility by country and CBP invitations ---------------------------------------------


def country_limits() -> dict[str, tuple[str, ...]]:
    """This deployment's country limits for the entity types no CBP page confirmed."""
    from django.conf import settings

    return {
        EntityType.AIR_CARRIER: tuple(getattr(settings, "CTPAT_AIR_CARRIER_COUNTRIES", ())),
        EntityType.SEA_CARRIER: tuple(getattr(settings, "CTPAT_SEA_CARRIER_COUNTRIES", ())),
    }


def partner_country_decision(partner: Partner) -> rules.Decision:
    """Whether ``partner`` may join from its country: its type's rule, or CBP's invitation.

    Called when a pre-applicant applies (``partner_transition`` to applicant), so a withdrawn
    invitation stops an application that has not been made yet.
    """
    invited = partner.country_invitations.filter(
        withdrawn_at__isnull=True, entity_type=partner.entity_type, country=partner.country
    ).exists()
    return eligibility.entity_country_decision(
        partner.entity_type, partner.country, invited=invited, unconfirmed_limits=country_limits()
    )


def _open_invitations():
    return CountryInvitation.objects.filter(withdrawn_at__isnull=True, partner__isnull=True)


def _registration_invitation(name, entity_type, country, public_id):
    """The open invitation a registration uses: the one named, or the one for this company."""
    public_id = (public_id or "").strip().upper()
    if public_id:
        invitation = _open_invitations().select_for_update().filter(public_id=public_id).first()
        if invitation is None:
            raise DomainError(
                f"There is no open CBP invitation {public_id}; it may have been withdrawn or "
                "used by another company.",
                code="invitation_not_found",
                fields={"invitation": ["Choose an open invitation."]},
            )
        if (invitation.entity_type, invitation.country) != (entity_type, country):
            message = (
                f"Invitation {invitation.public_id} is for a "
                f"{invitation.get_entity_type_display().lower()} in {invitation.country_name}, "
                "not for the type and country entered."
            )
            raise DomainError(message, code="invitation_mismatch", fields={"invitation": [message]})
        return invitation
    if entity_type not in eligibility.INVITATION_TYPES:
        return None
    matches = list(
        _open_invitations()
        .select_for_update()
        .filter(
            entity_type=entity_type,
            country=country,
            company_name__iexact=" ".join((name or "").split()),
        )[:2]
    )
    return matches[0] if len(matches) == 1 else None


def _invitation_snapshot(invitation: CountryInvitation) -> dict:
    return snapshot(
        invitation,
        (
            "company_name",
            "entity_type",
            "country",
            "reason",
            "partner",
            "withdrawn_at",
            "withdrawal_reason",
        ),
    )


def _invitation_link(*, actor, invitation: CountryInvitation, partner: Partner) -> None:
    before = _invitation_snapshot(invitation)
    invitation.partner = partner
    invitation.save(update_fields=["partner", "updated_at"])
    audit_record(
        actor=actor,
        action="invitation.use",
        obj=invitation,
        organization=getattr(_user(actor), "organization", None),
        before=before,
        after=_invitation_snapshot(invitation),
    )


@service
def invitation_create(
    *,
    actor,
    entity_type: str = "",
    country: str = "",
    company_name: str = "",
    partner: Partner | None = None,
    reason: str = "",
) -> CountryInvitation:
    """Record CBP's invitation for a company outside its type's countries to join.

    For a company not yet registered give its name, type and country; for a registered one give
    ``partner`` (its type and country are used). Every problem is reported at once.
    """
    if actor is not None and not roles.has_perm(actor, "partner.invite"):
        raise PermissionDeniedError("Only a CBP program admin can invite a company.")
    errors: dict[str, list[str]] = {}
    company_name = " ".join((company_name or "").split())
    reason = (reason or "").strip()
    if partner is not None:
        entity_type, country, company_name = partner.entity_type, partner.country, partner.name
    country = (country or "").strip().upper()
    if entity_type not in eligibility.INVITATION_TYPES:
        names = " and ".join(
            sorted(EntityType(t).label.lower() + "s" for t in eligibility.INVITATION_TYPES)
        )
        errors["entity_type"] = [
            f"CBP invites only {names}; every other type joins from the countries its "
            "eligibility page names."
        ]
    if not country:
        errors["country"] = ["Choose the country the company is based in."]
    elif country not in country_codes():
        errors["country"] = [f"“{country}” is not an ISO 3166-1 two-letter country code."]
    elif entity_type in eligibility.INVITATION_TYPES:
        rule = eligibility.country_rule(entity_type)
        if country in rule.excluded:
            errors["country"] = [rule.excluded_reason]
        elif rule.countries and country in rule.countries:
            errors["country"] = [
                f"A {EntityType(entity_type).label.lower()} based in "
                f"{eligibility.country_name(country)} can join without an invitation."
            ]
    if partner is None and not company_name:
        errors["company_name"] = ["Enter the name of the company CBP invites."]
    if len(company_name) > 200:
        errors["company_name"] = ["The company name must be at most 200 characters long."]
    if not reason:
        errors["reason"] = ["The reason for the invitation is required."]
    if (
        partner is not None
        and partner.country_invitations.filter(withdrawn_at__isnull=True).exists()
    ):
        errors["partner"] = [f"{partner.name} already holds an open invitation."]
    if errors:
        raise DomainError(
            "The invitation cannot be recorded: "
            + " ".join(message for messages in errors.values() for message in messages),
            code="invalid",
            fields=errors,
        )
    invitation = CountryInvitation(
        company_name=company_name,
        entity_type=entity_type,
        country=country,
        reason=reason,
        partner=partner,
        invited_by=_user(actor),
    )
    invitation.save()
    audit_record(
        actor=actor,
        action="invitation.create",
        obj=invitation,
        organization=getattr(_user(actor), "organization", None),
        after=_invitation_snapshot(invitation),
        reason=reason,
    )
    return invitation


@service
def invitation_withdraw(*, actor, invitation: CountryInvitation, reason: str) -> CountryInvitation:
    """Withdraw an invitation: it no longer lets the company register or apply.

    A company that already applied or is a member keeps its status; CBP acts on that through
    the membership's own steps.
    """
    if actor is not None and not roles.has_perm(actor, "partner.invite"):
        raise PermissionDeniedError("Only a CBP program admin can withdraw an invitation.")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "The reason for withdrawing the invitation is required.",
            code="reason_required",
            fields={"reason": ["The reason for withdrawing the invitation is required."]},
        )
    invitation = CountryInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.withdrawn_at is not None:
        raise ConflictError("This invitation is already withdrawn.", code="already_withdrawn")
    before = _invitation_snapshot(invitation)
    invitation.withdrawn_at = timezone.now()
    invitation.withdrawn_by = _user(actor)
    invitation.withdrawal_reason = reason
    invitation.save(
        update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"]
    )
    audit_record(
        actor=actor,
        action="invitation.withdraw",
        obj=invitation,
        organization=getattr(_user(actor), "organization", None),
        before=before,
        after=_invitation_snapshot(invitation),
        reason=reason,
    )
    return invitation

"""CBP's Trade Compliance membership: ``membership_grant`` / ``membership_grant_many`` /
``membership_transition``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone

from ctpat.accounts import roles
from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.services import audit_record, service, snapshot
from ctpat.partners.choices import IdentifierKind
from ctpat.partners.models import Partner, PartnerIdentifier

from .. import rules, selectors
from ..choices import MembershipOrigin
from ..choices import MembershipStatus as MembershipStatusTC
from ..models import (
    AccountNumberSequence,
    TradeComplianceMembership,
)

# --- Trade Compliance membership -----------------------------------------------------------------

MEMBERSHIP_FIELDS = ("account_number", "accepted_on", "origin", "status", "suspended_on")


def _require_membership_manager(actor) -> None:
    if actor is not None and not roles.has_perm(actor, "tradecompliance.membership_manage"):
        raise PermissionDeniedError(
            "Only a CBP program admin or National Account Manager manages Trade Compliance "
            "memberships."
        )


def _next_account_numbers(count: int) -> list[str]:
    # One locked counter row serialises concurrent grants (created by migration 0006).
    sequence, _ = AccountNumberSequence.objects.select_for_update().get_or_create(pk=1)
    first = sequence.last + 1
    sequence.last += count
    sequence.save(update_fields=["last"])
    return [rules.account_number(n) for n in range(first, first + count)]


def _ior_identifiers(partner: Partner, ior_values: Iterable[str], active_iors: dict):
    """The partner's active IOR identifiers for ``ior_values`` (``active_iors``: value -> the
    partner's active IOR identifier); an unknown one is an error."""
    wanted = [v.strip() for v in ior_values if v and v.strip()]
    if not wanted:
        raise DomainError(
            "Select at least one Importer of Record number for the membership.",
            code="ior_required",
            fields={"ior_numbers": ["Select at least one Importer of Record number."]},
        )
    missing = [v for v in wanted if v not in active_iors]
    if missing:
        raise DomainError(
            f"{partner.name} has no active Importer of Record number {', '.join(missing)}.",
            code="unknown_ior",
            fields={"ior_numbers": [f"Not an IOR number of this company: {', '.join(missing)}."]},
        )
    return [active_iors[v] for v in dict.fromkeys(wanted)]


def _active_iors(partner: Partner) -> dict:
    return {i.value: i for i in partner.identifiers.filter(kind=IdentifierKind.IOR, is_active=True)}


def _refuse_held_iors(grants, chosen, partners) -> None:
    """One IOR number, one membership in force: refuse a grant covering a number another
    company's membership holds, or that two grants of the batch share. The identifiers
    carrying these numbers (every company's) are locked first, so two approvals at once
    cannot both take the same number."""
    values = sorted({i.value for iors in chosen for i in iors})
    list(
        PartnerIdentifier.objects.select_for_update()
        .filter(kind=IdentifierKind.IOR, value__in=values)
        .values_list("pk", flat=True)
    )
    in_force = selectors.ior_claims_in_force(values)
    problems = []
    claimed: dict[str, Partner] = {}
    for grant, iors in zip(grants, chosen, strict=True):
        partner = partners[grant.partner.pk]
        mine = {i.value for i in iors}
        for claim in in_force:
            if claim.value not in mine or claim.partner.pk == partner.pk:
                continue
            problems.append(
                f"{partner.name}: IOR number {claim.display_value} is already covered by "
                f"Trade Compliance membership {claim.membership.account_number} of "
                f"{claim.partner.name}."
            )
        for identifier in iors:
            other = claimed.setdefault(identifier.value, partner)
            if other.pk != partner.pk:
                problems.append(
                    f"{partner.name}: IOR number {identifier.display_value} is also granted to "
                    f"{other.name} in the same batch."
                )
    if problems:
        raise ConflictError(
            " ".join(problems) + " One IOR number can be covered by one membership at a time.",
            code="ior_held",
            fields={"ior_numbers": problems},
        )


@dataclass(frozen=True)
class Grant:
    """One company to make a Trade Compliance member (``membership_grant_many``)."""

    partner: Partner
    accepted_on: dt.date
    ior_numbers: tuple[str, ...]
    notes: str = ""


@service
def membership_grant(
    *,
    actor,
    partner: Partner,
    accepted_on: dt.date,
    origin: str,
    ior_numbers: Iterable[str],
    notes: str = "",
) -> TradeComplianceMembership:
    """Make ``partner`` a Trade Compliance member with the next account number."""
    grant = Grant(partner, accepted_on, tuple(ior_numbers), notes)
    return membership_grant_many(actor=actor, grants=[grant], origin=origin)[0]


@service
def membership_grant_many(
    *, actor, grants: Sequence[Grant], origin: str
) -> list[TradeComplianceMembership]:
    """Make every company in ``grants`` a Trade Compliance member, all or none, with account
    numbers in the order given: a fixed number of queries for the lot (the pilot migration grants
    thousands at once) plus one audit event per membership."""
    _require_membership_manager(actor)
    if origin not in MembershipOrigin.values:
        raise DomainError(f"Unknown membership origin: {origin}.", code="invalid_origin")
    if not grants:
        return []
    today = timezone.localdate()
    if any(g.accepted_on > today for g in grants):
        raise DomainError(
            "The acceptance date cannot be in the future.",
            code="future_date",
            fields={"accepted_on": ["The acceptance date cannot be in the future."]},
        )
    ids = [g.partner.pk for g in grants]
    if len(set(ids)) != len(ids):
        raise DomainError("A company can be granted one membership only.", code="duplicate_partner")
    partners = Partner.objects.select_for_update().select_related("organization").in_bulk(ids)
    members = set(
        TradeComplianceMembership.objects.filter(partner_id__in=ids).values_list(
            "partner_id", flat=True
        )
    )
    if members:
        names = ", ".join(sorted(partners[pk].name for pk in members))
        raise ConflictError(f"{names}: already a Trade Compliance member.", code="already_member")
    active_iors: dict[int, dict] = {pk: {} for pk in ids}
    for identifier in PartnerIdentifier.objects.filter(
        partner_id__in=ids, kind=IdentifierKind.IOR, is_active=True
    ):
        active_iors[identifier.partner_id][identifier.value] = identifier
    chosen = [
        _ior_identifiers(partners[g.partner.pk], g.ior_numbers, active_iors[g.partner.pk])
        for g in grants
    ]
    _refuse_held_iors(grants, chosen, partners)
    granted_by = actor if getattr(actor, "is_authenticated", False) else None
    memberships = [
        TradeComplianceMembership(
            partner=partners[g.partner.pk],
            account_number=number,
            accepted_on=g.accepted_on,
            origin=origin,
            status_changed_on=g.accepted_on,
            granted_by=granted_by,
            notes=g.notes.strip(),
        )
        for g, number in zip(grants, _next_account_numbers(len(grants)), strict=True)
    ]
    TradeComplianceMembership.objects.bulk_create(memberships)
    through = TradeComplianceMembership.ior_numbers.through
    through.objects.bulk_create(
        through(tradecompliancemembership_id=m.pk, partneridentifier_id=i.pk)
        for m, iors in zip(memberships, chosen, strict=True)
        for i in iors
    )
    obligations = _forced_labor_obligations_open(memberships)
    for membership, iors in zip(memberships, chosen, strict=True):
        obligation = obligations.get(membership.pk)
        audit_record(
            actor=actor,
            action="tradecompliance.membership_grant",
            obj=membership,
            organization=membership.partner.organization,
            after={
                **snapshot(membership, MEMBERSHIP_FIELDS),
                "ior_numbers": [i.display_value for i in iors],
                # Accepted before the cut-off (DOMAIN.md §7.4): the requirements are owed.
                "forced_labor_obligation": obligation.public_id if obligation else "",
            },
        )
    return memberships


def _forced_labor_obligations_open(memberships) -> dict:
    """An open forced-labor obligation for each membership accepted before the cut-off
    (``rules.forced_labor_obligation_applies``); {membership pk: obligation}."""
    from ctpat.core.ids import new_public_id

    from ..models import ForcedLaborObligation

    cutoff = selectors.forced_labor_cutoff()
    obligations = [
        ForcedLaborObligation(public_id=new_public_id("TFL"), membership=m)
        for m in memberships
        if rules.forced_labor_obligation_applies(m.accepted_on, cutoff=cutoff)
    ]
    ForcedLaborObligation.objects.bulk_create(obligations)
    return {o.membership_id: o for o in obligations}


@service
def membership_transition(
    *,
    actor,
    membership: TradeComplianceMembership,
    target: str,
    reason: str,
    effective_date: dt.date | None = None,
) -> TradeComplianceMembership:
    """Suspend, reinstate, remove or withdraw a Trade Compliance membership (with a reason)."""
    _require_membership_manager(actor)
    membership = TradeComplianceMembership.objects.select_for_update().get(pk=membership.pk)
    today = timezone.localdate()
    day = effective_date or today
    if day > today:
        raise DomainError("The date of the change cannot be in the future.", code="future_date")
    decision = rules.tc_transition_decision(
        membership.status,
        target,
        reason=reason or "",
        today=day,
        suspended_on=membership.suspended_on,
    )
    if not decision.allowed:
        error = ConflictError if decision.code == "illegal_transition" else DomainError
        raise error(decision.reason, code=decision.code)
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    membership.status = target
    membership.status_changed_on = day
    membership.suspended_on = day if target == MembershipStatusTC.SUSPENDED else None
    membership.save()
    audit_record(
        actor=actor,
        action="tradecompliance.membership_transition",
        obj=membership,
        organization=membership.partner.organization,
        before=before,
        after=snapshot(membership, MEMBERSHIP_FIELDS),
        reason=reason.strip(),
    )
    return membership

"""The partner registry: registering a company, its profile and SVI settings, status moves,
validations, the SCSS assignment and its identifiers."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from ctpat.accounts import roles
from ctpat.accounts.choices import OrganizationKind
from ctpat.accounts.services import organization_create
from ctpat.core.countries import country_codes
from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.services import audit_record, service, snapshot
from ctpat.core.textlimits import require_within

from .. import eligibility, rules
from ..choices import EntityType, IdentifierKind, MembershipStatus
from ..identifiers import IdentifierError, validate_identifier
from ..models import (
    Partner,
    PartnerIdentifier,
    StatusChange,
)
from ._shared import IDENTIFIER_NOTE_MAX, _label, _user
from .invitations import (
    _invitation_link,
    _registration_invitation,
    country_limits,
    partner_country_decision,
)

PARTNER_FIELDS = (
    "entity_type",
    "dba_name",
    "country",
    "city",
    "address",
    "website",
    "primary_contact_name",
    "primary_contact_email",
    "primary_contact_phone",
    "status",
    "status_before_suspension",
    "applied_on",
    "certification_date",
    "last_validation_date",
    "suspended_on",
    "withdrawn_on",
    "removed_on",
    "exit_ground",
    "status_before_removal",
    "assigned_scss",
    "svi_auto_accept",
    "svi_share_more",
    "svi_directory_listed",
)
EDITABLE_PROFILE_FIELDS = (
    "dba_name",
    "city",
    "address",
    "website",
    "primary_contact_name",
    "primary_contact_email",
    "primary_contact_phone",
)
# Status moves a partner's own company officer may make; all others are CBP decisions.
PARTNER_SELF_TRANSITIONS = frozenset(
    {
        (MembershipStatus.PRE_APPLICANT, MembershipStatus.APPLICANT),
        (MembershipStatus.PRE_APPLICANT, MembershipStatus.WITHDRAWN),
        (MembershipStatus.APPLICANT, MembershipStatus.WITHDRAWN),
        (MembershipStatus.CERTIFIED, MembershipStatus.WITHDRAWN),
        (MembershipStatus.VALIDATED, MembershipStatus.WITHDRAWN),
        (MembershipStatus.TIER_III, MembershipStatus.WITHDRAWN),
        (MembershipStatus.WITHDRAWN, MembershipStatus.PRE_APPLICANT),
        (MembershipStatus.REMOVED, MembershipStatus.PRE_APPLICANT),
    }
)


def _can_change_partner(actor, partner: Partner) -> bool:
    if actor is None:
        return True
    if roles.has_perm(actor, "partner.change_any"):
        return True
    return roles.has_perm(actor, "partner.change_own") and (
        actor.organization_id == partner.organization_id
    )


def _check_country(country: str) -> str:
    value = (country or "").strip().upper()
    if value not in country_codes():
        raise DomainError(
            f"'{country}' is not an ISO 3166-1 alpha-2 country code.",
            code="invalid_country",
            fields={"country": ["Enter a two-letter ISO country code, e.g. US, CA, MX, CN."]},
        )
    return value


def _validate_fields(partner: Partner) -> None:
    """Field-level checks (lengths, e-mail and URL formats) as a DomainError with fields."""
    from django.core.exceptions import ValidationError

    try:
        partner.full_clean(
            exclude=["organization", "assigned_scss", "public_id"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        fields = exc.message_dict
        summary = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in fields.items())
        raise DomainError(f"Please correct: {summary}", code="invalid", fields=fields) from exc


def _normalised_identifier(kind: str, value: str) -> str:
    if kind not in IdentifierKind.values:
        raise DomainError(
            f"Unknown identifier kind '{kind}'.",
            code="invalid_identifier_kind",
            fields={"kind": ["Unknown identifier kind."]},
        )
    try:
        return validate_identifier(kind, value)
    except IdentifierError as exc:
        raise DomainError(exc.message, code=exc.code, fields={"value": [exc.message]}) from exc


@service
def partner_register(
    *,
    actor,
    name: str,
    entity_type: str,
    country: str,
    identifiers: list[tuple[str, str]] = (),
    registered_on: date | None = None,
    invitation: str = "",
    **profile,
) -> Partner:
    """Register a company as a CTPAT pre-applicant (a new partner organization + account).

    ``registered_on`` lets CBP (or the system) enter a member whose history predates ctpat.
    The company must be based where its entity type may join (``eligibility``), or hold CBP's
    invitation: ``invitation`` names one (``INV-…``); without it an open invitation for the
    same company name, type and country is used.
    """
    if actor is not None and not roles.has_perm(actor, "partner.create"):
        raise PermissionDeniedError()
    if entity_type not in EntityType.values:
        raise DomainError(
            f"Unknown business entity type '{entity_type}'.",
            code="invalid_entity_type",
            fields={"entity_type": ["Choose a business entity type."]},
        )
    country = _check_country(country)
    used_invitation = _registration_invitation(name, entity_type, country, invitation)
    decision = eligibility.entity_country_decision(
        entity_type,
        country,
        invited=used_invitation is not None,
        unconfirmed_limits=country_limits(),
    )
    if not decision.allowed:
        message = " ".join(decision.reasons)
        raise DomainError(message, code=decision.code, fields={"country": [message]})
    unknown = set(profile) - set(EDITABLE_PROFILE_FIELDS)
    if unknown:
        raise DomainError(
            f"Unknown profile fields: {', '.join(sorted(unknown))}.", code="unknown_fields"
        )
    normalised = [(kind, _normalised_identifier(kind, value)) for kind, value in identifiers]
    profile = {k: (v or "").strip() if isinstance(v, str) else v for k, v in profile.items()}
    _validate_fields(Partner(entity_type=entity_type, country=country, **profile))
    registered_on = _check_effective_date(actor, registered_on, field="registered_on")
    org = organization_create(
        actor=actor, name=name, kind=OrganizationKind.PARTNER, country=country
    )
    partner = Partner(organization=org, entity_type=entity_type, country=country, **profile)
    partner.save()
    audit_record(
        actor=actor,
        action="partner.register",
        obj=partner,
        organization=org,
        after=snapshot(partner, PARTNER_FIELDS),
    )
    for kind, value in normalised:
        _identifier_insert(actor=actor, partner=partner, kind=kind, value=value, note="")
    if used_invitation is not None:
        _invitation_link(actor=actor, invitation=used_invitation, partner=partner)
    StatusChange(
        partner=partner,
        from_status="",
        to_status=partner.status,
        effective_date=registered_on,
        actor=_user(actor),
        actor_label=_label(actor),
        reason="Registered",
    ).save()
    return partner


def _check_effective_date(actor, when: date | None, *, field: str = "effective_date") -> date:
    """Today, or a past date that only CBP (or the system) may record."""
    today = timezone.localdate()
    if when is None or when == today:
        return today
    # Back-dating is a CBP decision (records of past events); the system may seed history.
    if actor is not None and not roles.has_perm(actor, "partner.transition_any"):
        raise PermissionDeniedError(
            "Only CBP can record a status change with a date other than today.",
            code="effective_date_not_allowed",
        )
    if when > today:
        raise DomainError(
            "A status change cannot be dated in the future.",
            code="future_date",
            fields={field: ["In the future."]},
        )
    if when < rules.PROGRAM_START:
        raise DomainError(
            f"CTPAT began on {rules.PROGRAM_START.isoformat()}; a status change cannot be "
            "dated earlier.",
            code="date_before_program",
            fields={field: ["Before the program began."]},
        )
    return when


@service
def partner_update_profile(*, actor, partner: Partner, reason: str = "", **changes) -> Partner:
    if not _can_change_partner(actor, partner):
        raise PermissionDeniedError()
    unknown = set(changes) - set(EDITABLE_PROFILE_FIELDS)
    if unknown:
        raise DomainError(
            f"These fields cannot be changed here: {', '.join(sorted(unknown))}.",
            code="unknown_fields",
        )
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    before = snapshot(partner, PARTNER_FIELDS)
    for field, value in changes.items():
        setattr(partner, field, (value or "").strip() if isinstance(value, str) else value)
    _validate_fields(partner)
    if snapshot(partner, PARTNER_FIELDS) == before:
        raise DomainError("Nothing changed.", code="no_changes")
    partner.save()
    audit_record(
        actor=actor,
        action="partner.update",
        obj=partner,
        organization=partner.organization,
        before=before,
        after=snapshot(partner, PARTNER_FIELDS),
        reason=reason,
    )
    return partner


@service
def partner_update_svi_settings(
    *,
    actor,
    partner: Partner,
    auto_accept: bool,
    share_more: bool,
    directory_listed: bool | None = None,
) -> Partner:
    if actor is not None and not (
        roles.has_perm(actor, "svi.settings") and actor.organization_id == partner.organization_id
    ):
        raise PermissionDeniedError("Only the company officer can change SVI settings.")
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    fields = ("svi_auto_accept", "svi_share_more", "svi_directory_listed")
    before = snapshot(partner, fields)
    partner.svi_auto_accept = bool(auto_accept)
    partner.svi_share_more = bool(share_more)
    if directory_listed is not None:
        partner.svi_directory_listed = bool(directory_listed)
    partner.save(update_fields=[*fields, "updated_at"])
    audit_record(
        actor=actor,
        action="partner.svi_settings",
        obj=partner,
        organization=partner.organization,
        before=before,
        after=snapshot(partner, fields),
    )
    return partner


def _open_case_answered(partner: Partner) -> bool:
    """Whether the member answered its open suspension case (the enforcement app keeps it)."""
    # Lazy: enforcement builds on partners; this is the one question partners asks of it.
    from ctpat.enforcement.selectors import open_case_answered

    return open_case_answered(partner)


def _check_transition_permission(actor, partner, current, target, *, immediate, appeal) -> None:
    if actor is None:
        return
    if immediate:
        if not roles.has_perm(actor, "partner.remove_immediately"):
            raise PermissionDeniedError("Only a CBP program admin can remove a member immediately.")
        return
    if appeal is not None:
        if not roles.has_perm(actor, "appeal.decide"):
            raise PermissionDeniedError("Only a CBP program admin decides appeals.")
        return
    own = actor.organization_id == partner.organization_id
    allowed = roles.has_perm(actor, "partner.transition_any") or (
        own
        and roles.has_perm(actor, "partner.transition_own")
        and (current, target) in PARTNER_SELF_TRANSITIONS
    )
    if not allowed:
        raise PermissionDeniedError(
            "Only CBP can make this status change."
            if own
            else "You cannot change this partner's status."
        )


def transition_conditions(partner: Partner) -> dict:
    """The facts and policy values the membership rules need for ``partner`` (for
    ``rules.allowed_targets`` / ``rules.transition_decision``)."""
    from ..conf import enforcement_policy

    policy = enforcement_policy()
    return {
        "status_before_suspension": partner.status_before_suspension or None,
        "withdrawn_on": partner.withdrawn_on,
        "removed_on": partner.removed_on,
        "suspended_on": partner.suspended_on,
        "exit_ground": partner.exit_ground or None,
        "waits": policy.waits,
        "response_days": policy.response_days,
        "answered": partner.status == MembershipStatus.SUSPENDED and _open_case_answered(partner),
    }


def _transition_decision(partner, current, target, today, reason, *, immediate, appeal):
    if immediate:
        if target != MembershipStatus.REMOVED:
            raise DomainError(
                "An immediate removal moves the member to removed.",
                code="immediate_removal_target",
                fields={"target": ["Choose removed."]},
            )
        return rules.immediate_removal_decision(current=current, reason=reason)
    if appeal is not None:
        return rules.appeal_transition_decision(
            current=current,
            target=target,
            reason=reason,
            status_before_suspension=partner.status_before_suspension or None,
            status_before_removal=partner.status_before_removal or None,
        )
    return rules.transition_decision(
        current=current, target=target, today=today, reason=reason, **transition_conditions(partner)
    )


def _apply_status(partner, current, target, today, *, exit_ground) -> None:
    """Set the dates and remembered statuses that go with a move."""
    S = MembershipStatus
    partner.status = target
    partner.status_changed_at = timezone.now()
    if target == S.APPLICANT:
        partner.applied_on = today
    elif target == S.CERTIFIED and current == S.APPLICANT:
        partner.certification_date = today
    elif target == S.VALIDATED and current == S.CERTIFIED:
        partner.last_validation_date = today
    elif target == S.SUSPENDED:
        if current != S.REMOVED:  # a reversed removal keeps the status held before suspension
            partner.status_before_suspension = current
        partner.suspended_on = today
    elif target == S.WITHDRAWN:
        partner.withdrawn_on = today
        partner.exit_ground = exit_ground
    elif target == S.REMOVED:
        partner.removed_on = today
        partner.exit_ground = exit_ground
        partner.status_before_removal = current
    elif target == S.PRE_APPLICANT and current in (S.WITHDRAWN, S.REMOVED):
        # A fresh application: the old certification no longer counts.
        partner.certification_date = None
        partner.last_validation_date = None
        partner.applied_on = None
        partner.status_before_suspension = ""
        partner.suspended_on = None
    # A removal keeps what it interrupted, so that an appeal can restore it.
    if current == S.SUSPENDED and target not in (S.SUSPENDED, S.REMOVED):
        partner.status_before_suspension = ""
        partner.suspended_on = None
    if current in (S.REMOVED, S.WITHDRAWN) and target not in (S.REMOVED, S.WITHDRAWN):
        partner.exit_ground = ""
        partner.status_before_removal = ""
        if target in rules.TIER_BY_STATUS:
            partner.status_before_suspension = ""
            partner.suspended_on = None
        if current == S.REMOVED:
            partner.removed_on = None


@service
def partner_transition(
    *,
    actor,
    partner: Partner,
    target: str,
    reason: str = "",
    effective_date: date | None = None,
    immediate: bool = False,
    false_information: bool = False,
    suspension_terms: dict | None = None,
    appeal=None,
    notify: bool = False,
) -> Partner:
    """Move a partner along the membership state machine (``rules.LEGAL_TRANSITIONS``).

    ``immediate``: a CBP program admin removes the member at once, from any status, in
    aggravated circumstances (a written reason; DOMAIN.md §7.2). ``false_information``: the
    suspension or removal is for knowingly false or misleading information (6 U.S.C. 967(b):
    30 days to appeal, and its own wait before reapplying). ``suspension_terms``: the required
    actions of a suspension (``required_actions``, ``other_actions``). ``appeal``: the appeal
    whose decision makes this move (only then are ``rules.APPEAL_TRANSITIONS`` open).
    ``notify``: tell the company's officers (pages and API do; internal jobs notify
    themselves). Suspension cases open and close with the status (``ctpat.enforcement``).
    """
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    current = partner.status
    _check_transition_permission(
        actor, partner, current, target, immediate=immediate, appeal=appeal
    )
    if target not in MembershipStatus.values:
        raise DomainError(
            f"Unknown status '{target}'.",
            code="invalid_status",
            fields={"target": ["Unknown status."]},
        )
    today = _check_effective_date(actor, effective_date)
    previous = partner.status_changes.order_by("-effective_date").first()
    if previous is not None and today < previous.effective_date:
        raise DomainError(
            f"A status change cannot be dated before the previous one "
            f"({previous.effective_date.isoformat()}).",
            code="date_before_previous_change",
            fields={"effective_date": ["Before the previous status change."]},
        )
    reason = (reason or "").strip()
    decision = _transition_decision(
        partner, current, target, today, reason, immediate=immediate, appeal=appeal
    )
    if not decision.allowed:
        fields = {"reason": [decision.reasons[-1]]} if decision.code == "reason_required" else None
        raise DomainError(" ".join(decision.reasons), code=decision.code, fields=fields)
    if target == MembershipStatus.APPLICANT:
        missing = rules.missing_identifiers(
            partner.entity_type,
            set(partner.identifiers.filter(is_active=True).values_list("kind", flat=True)),
        )
        if not missing.allowed:
            raise DomainError(" ".join(missing.reasons), code=missing.code)
        country = partner_country_decision(partner)  # eligibility by country (part P)
        if not country.allowed:
            raise DomainError(" ".join(country.reasons), code=country.code)
    before = snapshot(partner, PARTNER_FIELDS)
    exit_ground = rules.exit_ground_for(
        current,
        target,
        false_information=false_information,
        suspension_answered=(
            current == MembershipStatus.SUSPENDED
            and target == MembershipStatus.WITHDRAWN
            and _open_case_answered(partner)
        ),
    )
    _apply_status(partner, current, target, today, exit_ground=exit_ground)
    partner.save()
    change = StatusChange(
        partner=partner,
        from_status=current,
        to_status=target,
        effective_date=today,
        actor=_user(actor),
        actor_label=_label(actor),
        reason=reason,
        exit_ground=exit_ground,
        immediate=immediate,
        appeal=getattr(appeal, "public_id", "") or "",
    )
    change.save()
    after = snapshot(partner, PARTNER_FIELDS)
    if immediate:
        after["immediate_removal"] = True
    if appeal is not None:
        after["appeal"] = appeal.public_id
    audit_record(
        actor=actor,
        action="partner.remove_immediately" if immediate else "partner.transition",
        obj=partner,
        organization=partner.organization,
        before=before,
        after=after,
        reason=reason,
    )
    from ctpat.enforcement.hooks import status_changed

    status_changed(
        actor=actor,
        partner=partner,
        change=change,
        false_information=false_information,
        suspension_terms=suspension_terms,
        notify=notify or immediate,
    )
    return partner


@service
def partner_record_validation(
    *, actor, partner: Partner, validated_on: date, reason: str = ""
) -> Partner:
    """Record a completed (re)validation; it restarts the 4-year revalidation cycle."""
    if actor is not None and not roles.has_perm(actor, "partner.transition_any"):
        raise PermissionDeniedError()
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if partner.status not in (
        MembershipStatus.VALIDATED,
        MembershipStatus.TIER_III,
        MembershipStatus.CERTIFIED,
    ):
        raise DomainError("Only a certified member can be validated.", code="not_certified")
    if validated_on > timezone.localdate():
        raise DomainError("A validation date cannot be in the future.", code="future_date")
    if partner.certification_date and validated_on < partner.certification_date:
        raise DomainError(
            "A validation cannot be dated before the certification "
            f"({partner.certification_date.isoformat()}).",
            code="date_before_certification",
        )
    before = snapshot(partner, ("last_validation_date",))
    partner.last_validation_date = validated_on
    partner.save(update_fields=["last_validation_date", "updated_at"])
    audit_record(
        actor=actor,
        action="partner.record_validation",
        obj=partner,
        organization=partner.organization,
        before=before,
        after=snapshot(partner, ("last_validation_date",)),
        reason=reason,
    )
    return partner


@service
def partner_assign_scss(*, actor, partner: Partner, scss) -> Partner:
    if actor is not None and not roles.has_perm(actor, "partner.change_any"):
        raise PermissionDeniedError()
    if scss is not None and scss.role != "scss":
        raise DomainError("Assign a Supply Chain Security Specialist.", code="not_scss")
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    before = snapshot(partner, ("assigned_scss",))
    partner.assigned_scss = scss
    partner.save(update_fields=["assigned_scss", "updated_at"])
    audit_record(
        actor=actor,
        action="partner.assign_scss",
        obj=partner,
        organization=partner.organization,
        before=before,
        after=snapshot(partner, ("assigned_scss",)),
    )
    return partner


def _identifier_snapshot(identifier: PartnerIdentifier) -> dict:
    data = snapshot(identifier, ("partner", "kind", "is_active", "note"))
    data["value"] = identifier.display_value  # never an SSN in the audit trail
    return data


def _identifier_insert(*, actor, partner, kind, value, note) -> PartnerIdentifier:
    if PartnerIdentifier.objects.filter(
        partner=partner, kind=kind, value=value, is_active=True
    ).exists():
        raise ConflictError(
            f"{partner.name} already has this {IdentifierKind(kind).label}.",
            code="duplicate_identifier",
            fields={"value": ["Already registered."]},
        )
    identifier = PartnerIdentifier(partner=partner, kind=kind, value=value, note=note)
    try:
        with transaction.atomic():
            identifier.save()
    except IntegrityError as exc:
        raise ConflictError(
            f"The {IdentifierKind(kind).label} {value} is already registered.",
            code="duplicate_identifier",
        ) from exc
    audit_record(
        actor=actor,
        action="identifier.add",
        obj=identifier,
        organization=partner.organization,
        after=_identifier_snapshot(identifier),
    )
    return identifier


@service
def identifier_add(*, actor, partner: Partner, kind: str, value: str, note: str = ""):
    if actor is not None and not (
        roles.has_perm(actor, "identifier.change_any")
        or (
            roles.has_perm(actor, "identifier.change_own")
            and actor.organization_id == partner.organization_id
        )
    ):
        raise PermissionDeniedError()
    normalised = _normalised_identifier(kind, value)
    return _identifier_insert(
        actor=actor,
        partner=partner,
        kind=kind,
        value=normalised,
        note=require_within(note, field="note", label="The note", limit=IDENTIFIER_NOTE_MAX),
    )


@service
def identifier_deactivate(*, actor, identifier: PartnerIdentifier, reason: str):
    partner = identifier.partner
    if actor is not None and not (
        roles.has_perm(actor, "identifier.change_any")
        or (
            roles.has_perm(actor, "identifier.change_own")
            and actor.organization_id == partner.organization_id
        )
    ):
        raise PermissionDeniedError()
    if not (reason or "").strip():
        raise DomainError(
            "Say why the identifier is deactivated.",
            code="reason_required",
            fields={"reason": ["This field is required."]},
        )
    identifier = PartnerIdentifier.objects.select_for_update().get(pk=identifier.pk)
    if not identifier.is_active:
        raise ConflictError("This identifier is already inactive.", code="already_inactive")
    before = _identifier_snapshot(identifier)
    identifier.is_active = False
    identifier.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=actor,
        action="identifier.deactivate",
        obj=identifier,
        organization=partner.organization,
        before=before,
        after=_identifier_snapshot(identifier),
        reason=reason,
    )
    return identifier

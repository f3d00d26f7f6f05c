"""Writes for the partner registry. Each is one transaction with one audit event or more."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ctpat.accounts import roles
from ctpat.accounts.choices import OrganizationKind
from ctpat.accounts.services import organization_create
from ctpat.core.countries import country_codes
from ctpat.core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from ctpat.core.services import audit_record, service, snapshot
from ctpat.core.textlimits import require_within
from ctpat.notifications.services import outbound_email_queue

from . import eligibility, rules, svi_numbers
from .choices import EntityType, IdentifierKind, MembershipStatus, SVIStatus
from .identifiers import IdentifierError, validate_identifier
from .models import (
    CertificationRequest,
    CountryInvitation,
    Partner,
    PartnerIdentifier,
    StatusChange,
    SVIConnection,
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


# Text limits of the partner records (the model columns); longer input is refused, never cut.
IDENTIFIER_NOTE_MAX = PartnerIdentifier._meta.get_field("note").max_length
SVI_TEXT_MAX = SVIConnection._meta.get_field("message").max_length
COMPANY_NAME_MAX = CertificationRequest._meta.get_field("company_name").max_length
# A product limit on the invitation e-mail's personal message.
INVITATION_MESSAGE_MAX = 2000


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


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) and hasattr(actor, "_meta") else None


def _label(actor) -> str:
    return actor.get_username() if actor is not None else "system"


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
    from .conf import enforcement_policy

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


# --- Status verification (SVI) -------------------------------------------------------------


def _acting_partner(actor, perm: str) -> Partner:
    if not roles.has_perm(actor, perm):
        raise PermissionDeniedError()
    partner = Partner.objects.filter(organization_id=actor.organization_id).first()
    if partner is None:
        raise PermissionDeniedError("Your organization has no CTPAT account.")
    return partner


def _hold_daily_cap(partner: Partner) -> None:
    """Lock the sending company's row until the transaction ends, so a daily cap's count and
    the insert it allows are one step: a second request at the same moment waits, then counts
    the first (count-then-insert alone lets both pass at one below the cap)."""
    Partner.objects.select_for_update().filter(pk=partner.pk).values_list("pk").first()


def _open_connection_between(a: Partner, b: Partner):
    pair = Q(requester=a, target=b) | Q(requester=b, target=a)
    return SVIConnection.objects.filter(pair, status__in=[SVIStatus.PENDING, SVIStatus.ACCEPTED])


@service
def svi_request(
    *, actor, target: Partner, message: str = "", by_number: bool = False
) -> SVIConnection:
    """Ask ``target`` for a status-verification connection; it may auto-accept.

    ``by_number``: asked by the account number the target gave (``svi_request_by_number``),
    so the target's name stays hidden from the requester until it accepts.
    """
    requester = _acting_partner(actor, "svi.request")
    message = require_within(message, field="message", label="The message", limit=SVI_TEXT_MAX)
    # Lock both companies (in a fixed order) so A→B and B→A cannot both open a connection.
    locked = {
        p.pk: p
        for p in Partner.objects.select_for_update()
        .filter(pk__in=[requester.pk, target.pk])
        .order_by("pk")
    }
    requester, target = locked[requester.pk], locked[target.pk]
    if requester.pk == target.pk:
        raise DomainError("A company cannot connect to itself.", code="svi_self")
    if not rules.svi_party_eligible(requester.status) or not rules.svi_party_eligible(
        target.status
    ):
        raise DomainError(
            "Both companies must be certified CTPAT members to connect by SVI.",
            code="svi_not_certified",
        )
    if _open_connection_between(requester, target).select_for_update().exists():
        raise ConflictError(
            "A connection with this company already exists or is pending.", code="svi_duplicate"
        )
    connection = SVIConnection(
        requester=requester,
        target=target,
        requested_by=actor,
        message=message,
        requested_by_number=by_number,
    )
    connection.save()
    audit_record(
        actor=actor,
        action="svi.request",
        obj=connection,
        organization=requester.organization,
        counterparty=target.organization,
        after={"status": connection.status, "target": target.public_id},
    )
    if target.svi_auto_accept:
        connection.status = SVIStatus.ACCEPTED
        connection.decided_at = timezone.now()
        connection.decision_reason = "Accepted automatically by the partner's SVI setting."
        connection.save()
        audit_record(
            actor=None,
            action="svi.auto_accept",
            obj=connection,
            organization=target.organization,
            counterparty=requester.organization,
            before={"status": SVIStatus.PENDING},
            after={"status": connection.status},
        )
    return connection


def _decide(*, actor, connection: SVIConnection, status: str, reason: str, action: str):
    partner = _acting_partner(actor, "svi.decide")
    connection = SVIConnection.objects.select_for_update().get(pk=connection.pk)
    if connection.target_id != partner.pk:
        raise NotFoundError("No such pending request for your company.")
    if status == SVIStatus.ACCEPTED and not (
        rules.svi_party_eligible(connection.requester.status)
        and rules.svi_party_eligible(connection.target.status)
    ):
        raise DomainError(
            "Both companies must still be certified CTPAT members to connect by SVI.",
            code="svi_not_certified",
        )
    if connection.status != SVIStatus.PENDING:
        raise ConflictError(
            f"This request is already {connection.get_status_display().lower()}.",
            code="svi_not_pending",
        )
    connection.status = status
    connection.decided_by = actor
    connection.decided_at = timezone.now()
    connection.decision_reason = require_within(
        reason, field="reason", label="The reason", limit=SVI_TEXT_MAX
    )
    connection.save()
    audit_record(
        actor=actor,
        action=action,
        obj=connection,
        organization=partner.organization,
        counterparty=connection.requester.organization,
        before={"status": SVIStatus.PENDING},
        after={"status": status},
        reason=reason,
    )
    return connection


@service
def svi_accept(*, actor, connection: SVIConnection) -> SVIConnection:
    return _decide(
        actor=actor,
        connection=connection,
        status=SVIStatus.ACCEPTED,
        reason="",
        action="svi.accept",
    )


@service
def svi_reject(*, actor, connection: SVIConnection, reason: str = "") -> SVIConnection:
    return _decide(
        actor=actor,
        connection=connection,
        status=SVIStatus.REJECTED,
        reason=reason,
        action="svi.reject",
    )


@service
def svi_cancel(*, actor, connection: SVIConnection) -> SVIConnection:
    partner = _acting_partner(actor, "svi.request")
    connection = SVIConnection.objects.select_for_update().get(pk=connection.pk)
    if connection.requester_id != partner.pk:
        raise NotFoundError("No such request from your company.")
    if connection.status != SVIStatus.PENDING:
        raise ConflictError("Only a pending request can be cancelled.", code="svi_not_pending")
    connection.status = SVIStatus.CANCELLED
    connection.decided_by = actor
    connection.decided_at = timezone.now()
    connection.save()
    audit_record(
        actor=actor,
        action="svi.cancel",
        obj=connection,
        organization=partner.organization,
        counterparty=connection.target.organization,
        before={"status": SVIStatus.PENDING},
        after={"status": connection.status},
    )
    return connection


@service
def svi_disconnect(*, actor, connection: SVIConnection, reason: str = "") -> SVIConnection:
    partner = _acting_partner(actor, "svi.decide")
    connection = SVIConnection.objects.select_for_update().get(pk=connection.pk)
    if partner.pk not in (connection.requester_id, connection.target_id):
        raise NotFoundError("No such connection for your company.")
    if connection.status != SVIStatus.ACCEPTED:
        raise ConflictError("Only an accepted connection can be ended.", code="svi_not_accepted")
    other = connection.other_party(partner)
    connection.status = SVIStatus.DISCONNECTED
    connection.decided_by = actor
    connection.decided_at = timezone.now()
    connection.decision_reason = require_within(
        reason, field="reason", label="The reason", limit=SVI_TEXT_MAX
    )
    connection.save()
    audit_record(
        actor=actor,
        action="svi.disconnect",
        obj=connection,
        organization=partner.organization,
        counterparty=other.organization,
        before={"status": SVIStatus.ACCEPTED},
        after={"status": connection.status},
        reason=reason,
    )
    return connection


@service
def certification_request_send(
    *, actor, company_name: str, email: str, message: str = ""
) -> CertificationRequest:
    """E-mail a non-member business partner an invitation to join CTPAT (DOMAIN.md §3.3)."""
    partner = _acting_partner(actor, "svi.certification_request")
    _hold_daily_cap(partner)
    since = timezone.now() - timedelta(days=1)
    sent = CertificationRequest.objects.filter(requester=partner, created_at__gte=since).count()
    if not rules.certification_request_allowed(sent):
        raise DomainError(
            f"Your company has sent {sent} invitations in the last 24 hours, the most allowed "
            f"({rules.CERTIFICATION_REQUESTS_PER_DAY}). Try again tomorrow.",
            code="rate_limited",
        )
    company_name = require_within(
        company_name, field="company_name", label="The company name", limit=COMPANY_NAME_MAX
    )
    message = require_within(
        message, field="message", label="The message", limit=INVITATION_MESSAGE_MAX
    )
    email = (email or "").strip().lower()
    if not company_name:
        raise DomainError(
            "Name the company you are inviting.",
            code="company_required",
            fields={"company_name": ["This field is required."]},
        )
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    try:
        validate_email(email)
    except ValidationError as exc:
        raise DomainError(
            "Enter a valid e-mail address.",
            code="invalid_email",
            fields={"email": ["Enter a valid e-mail address."]},
        ) from exc
    request = CertificationRequest(
        requester=partner,
        company_name=company_name,
        email=email,
        message=message,
        sent_by=actor,
    )
    request.save()
    audit_record(
        actor=actor,
        action="svi.certification_request",
        obj=request,
        organization=partner.organization,
        after={"company_name": request.company_name, "email": request.email},
    )
    body = (
        f"{partner.name} ({partner.get_entity_type_display()}, a CTPAT partner) invites "
        f"{request.company_name} to join the Customs Trade Partnership Against Terrorism "
        "(CTPAT) so the two companies can verify each other's status.\n\n"
        f"{request.message}\n\nLearn about CTPAT: "
        "https://www.cbp.gov/border-security/ports-entry/cargo-security/ctpat\n"
    )
    # Queued in this transaction, sent by the worker after commit (retried, never lost).
    outbound_email_queue(
        actor=actor,
        to=request.email,
        subject=f"{partner.name} invites you to join CTPAT",
        body=body,
        kind="svi.certification_request",
        organization=partner.organization,
        dedupe_key=f"certification-request:{request.public_id}",
    )
    return request


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


# --- SVI by account number --------------------------------------------------------------------

SVI_NUMBER_NO_MATCH = (
    "No connection request could be sent for account number {number}. Check the number with "
    "your business partner: it must be the exact CTPAT account number of a certified member."
)


def svi_number_requests_today(partner: Partner) -> int:
    """Requests by number (matched or not) ``partner`` made in the last 24 hours."""
    from ctpat.core.models import AuditEvent

    since = timezone.now() - timedelta(days=1)
    matched = SVIConnection.objects.filter(
        requester=partner, requested_by_number=True, created_at__gte=since
    ).count()
    unmatched = AuditEvent.objects.filter(
        organization=partner.organization,
        action="svi.request_by_number_unmatched",
        occurred_at__gte=since,
    ).count()
    return matched + unmatched


@service
def svi_request_by_number(*, actor, number: str, message: str = "") -> SVIConnection | None:
    """Ask for a connection by the exact account number a business partner gave.

    Returns the connection, or None when no certified member can be connected by that number
    (unknown or not certified: the caller shows the same ``SVI_NUMBER_NO_MATCH`` either way, so
    nothing is learnt about who is a member). Every attempt counts towards the daily cap; an
    unmatched one is recorded as an audit event of the asking company.
    """
    requester = _acting_partner(actor, "svi.request")
    if not rules.svi_party_eligible(requester.status):
        raise DomainError(
            "Only certified CTPAT members can ask for a status-verification connection.",
            code="svi_not_certified",
        )
    try:
        number = svi_numbers.normalise_account_number(number)
    except svi_numbers.AccountNumberError as exc:
        raise DomainError(str(exc), code="invalid_number", fields={"number": [str(exc)]}) from exc
    _hold_daily_cap(requester)
    made = svi_number_requests_today(requester)
    if not svi_numbers.svi_number_request_allowed(made):
        raise DomainError(
            f"Your company has asked to connect by account number {made} times in the last 24 "
            f"hours, the most allowed ({svi_numbers.SVI_NUMBER_REQUESTS_PER_DAY}). Try again "
            "tomorrow.",
            code="rate_limited",
        )
    if number == requester.public_id:
        raise DomainError(
            "This is your own company's account number; enter your business partner's.",
            code="svi_self",
            fields={"number": ["This is your own company's account number."]},
        )
    target = Partner.objects.filter(
        public_id=number, status__in=rules.SVI_ELIGIBLE_STATUSES
    ).first()
    if target is None:
        audit_record(
            actor=actor,
            action="svi.request_by_number_unmatched",
            obj=requester,
            organization=requester.organization,
            after={"number": number},
        )
        return None
    return svi_request(actor=actor, target=target, message=message, by_number=True)

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
from ctpat.notifications.services import outbound_email_queue

from . import rules
from .choices import EntityType, IdentifierKind, MembershipStatus, SVIStatus
from .identifiers import IdentifierError, validate_identifier
from .models import CertificationRequest, Partner, PartnerIdentifier, StatusChange, SVIConnection

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
    **profile,
) -> Partner:
    """Register a company as a CTPAT pre-applicant (a new partner organization + account).

    ``registered_on`` lets CBP (or the system) enter a member whose history predates ctpat.
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


@service
def partner_transition(
    *, actor, partner: Partner, target: str, reason: str = "", effective_date: date | None = None
) -> Partner:
    """Move a partner along the membership state machine (``rules.LEGAL_TRANSITIONS``)."""
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    current = partner.status
    if actor is not None:
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
    decision = rules.transition_decision(
        current=current,
        target=target,
        today=today,
        reason=(reason or "").strip(),
        status_before_suspension=partner.status_before_suspension or None,
        withdrawn_on=partner.withdrawn_on,
        removed_on=partner.removed_on,
        suspended_on=partner.suspended_on,
    )
    if not decision.allowed:
        raise DomainError(" ".join(decision.reasons), code=decision.code)
    if target == MembershipStatus.APPLICANT:
        missing = rules.missing_identifiers(
            partner.entity_type,
            set(partner.identifiers.filter(is_active=True).values_list("kind", flat=True)),
        )
        if not missing.allowed:
            raise DomainError(" ".join(missing.reasons), code=missing.code)
    before = snapshot(partner, PARTNER_FIELDS)
    partner.status = target
    partner.status_changed_at = timezone.now()
    if target == MembershipStatus.APPLICANT:
        partner.applied_on = today
    elif target == MembershipStatus.CERTIFIED and current == MembershipStatus.APPLICANT:
        partner.certification_date = today
    elif target == MembershipStatus.VALIDATED and current == MembershipStatus.CERTIFIED:
        partner.last_validation_date = today
    elif target == MembershipStatus.SUSPENDED:
        partner.status_before_suspension = current
        partner.suspended_on = today
    elif target == MembershipStatus.WITHDRAWN:
        partner.withdrawn_on = today
    elif target == MembershipStatus.REMOVED:
        partner.removed_on = today
    elif target == MembershipStatus.PRE_APPLICANT and current in (
        MembershipStatus.WITHDRAWN,
        MembershipStatus.REMOVED,
    ):
        # A fresh application: the old certification no longer counts.
        partner.certification_date = None
        partner.last_validation_date = None
        partner.applied_on = None
    if current == MembershipStatus.SUSPENDED and target != MembershipStatus.SUSPENDED:
        partner.status_before_suspension = ""
        partner.suspended_on = None
    partner.save()
    StatusChange(
        partner=partner,
        from_status=current,
        to_status=target,
        effective_date=today,
        actor=_user(actor),
        actor_label=_label(actor),
        reason=reason or "",
    ).save()
    audit_record(
        actor=actor,
        action="partner.transition",
        obj=partner,
        organization=partner.organization,
        before=before,
        after=snapshot(partner, PARTNER_FIELDS),
        reason=reason,
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
        actor=actor, partner=partner, kind=kind, value=normalised, note=(note or "").strip()[:200]
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


def _open_connection_between(a: Partner, b: Partner):
    pair = Q(requester=a, target=b) | Q(requester=b, target=a)
    return SVIConnection.objects.filter(pair, status__in=[SVIStatus.PENDING, SVIStatus.ACCEPTED])


@service
def svi_request(*, actor, target: Partner, message: str = "") -> SVIConnection:
    """Ask ``target`` for a status-verification connection; it may auto-accept."""
    requester = _acting_partner(actor, "svi.request")
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
        message=(message or "").strip()[:500],
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
    connection.decision_reason = (reason or "").strip()[:500]
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
    connection.decision_reason = (reason or "").strip()[:500]
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
    since = timezone.now() - timedelta(days=1)
    sent = CertificationRequest.objects.filter(requester=partner, created_at__gte=since).count()
    if not rules.certification_request_allowed(sent):
        raise DomainError(
            f"Your company has sent {sent} invitations in the last 24 hours, the most allowed "
            f"({rules.CERTIFICATION_REQUESTS_PER_DAY}). Try again tomorrow.",
            code="rate_limited",
        )
    company_name = (company_name or "").strip()
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
        company_name=company_name[:200],
        email=email,
        message=(message or "").strip()[:2000],
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

"""Status verification (SVI): connection requests between partners (by name or by account
number), their answers and ends, and certification requests to companies not yet members."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from ctpat.accounts import roles
from ctpat.core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from ctpat.core.services import audit_record, service
from ctpat.core.textlimits import require_within
from ctpat.notifications.services import outbound_email_queue

from .. import rules, svi_numbers
from ..choices import SVIStatus
from ..models import (
    CertificationRequest,
    Partner,
    SVIConnection,
)
from ._shared import COMPANY_NAME_MAX, INVITATION_MESSAGE_MAX, SVI_TEXT_MAX

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

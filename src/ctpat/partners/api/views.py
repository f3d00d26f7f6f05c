"""Partner registry API: partners, status transitions, identifiers and SVI connections.

Views parse, check and call: reads go through ``partners.selectors`` (tenant isolation lives
there), writes through ``partners.services`` (one transaction, one audit event). A record the
caller cannot see is a 404; one they can see but may not act on is a 403.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from ctpat.core.api.permissions import require_perm
from ctpat.core.api.serializers import EmptySerializer
from ctpat.core.api.views import ApiViewSet
from ctpat.core.errors import DomainError, NotFoundError, PermissionDeniedError
from ctpat.partners import rules, selectors, services
from ctpat.partners.models import CountryInvitation, Partner, PartnerIdentifier, SVIConnection

from . import permissions
from .filtersets import IdentifierFilterSet, PartnerApiFilterSet, SVIConnectionFilterSet
from .serializers import (
    CountryInvitationCreateSerializer,
    CountryInvitationSerializer,
    IdentifierCreateSerializer,
    IdentifierSerializer,
    PartnerCreateSerializer,
    PartnerSerializer,
    PartnerSVISerializer,
    PartnerUpdateSerializer,
    ReasonSerializer,
    SVIConnectionCreateSerializer,
    SVIConnectionSerializer,
    SVIDirectoryEntrySerializer,
    SVIDirectoryQuerySerializer,
    SVINumberRequestSerializer,
    SVIReasonSerializer,
    TransitionCreateSerializer,
    TransitionResultSerializer,
    TransitionStateSerializer,
    ValidationRecordSerializer,
    partner_any_view,
)

# source: CBP, CTPAT launched in November 2001 [K]; no status change can predate it.
EARLIEST_EFFECTIVE_DATE = dt.date(2001, 11, 1)


def _no_such(field: str, message: str) -> DomainError:
    """A reference in the request body to nothing the caller can use: a 400, like any bad field."""
    return DomainError(message, code="invalid", fields={field: [message]})


# --- Partners --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List partners",
        description="Partners the caller may see: every partner for CBP, otherwise the "
        "caller's own company (full view) and its accepted SVI connections (limited view).",
        responses=partner_any_view(many=True),
    ),
    retrieve=extend_schema(summary="Get a partner", responses=partner_any_view()),
    create=extend_schema(
        summary="Register a partner (CBP program admin)",
        description="Creates the partner company and its CTPAT account as a pre-applicant.",
        request=PartnerCreateSerializer,
        responses={201: PartnerSerializer},
    ),
    partial_update=extend_schema(
        summary="Update a partner's profile",
        request=PartnerUpdateSerializer,
        responses=partner_any_view(),
    ),
)
class PartnerViewSet(ApiViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = PartnerSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PartnerApiFilterSet

    def get_queryset(self):
        if self.is_schema_generation():
            return Partner.objects.none()
        return selectors.partner_list(viewer=self.request.user)

    def represent(self, partner: Partner) -> dict:
        level = selectors.partner_access_level(viewer=self.request.user, partner=partner)
        serializer = PartnerSerializer if level == selectors.FULL else PartnerSVISerializer
        return serializer(partner, context=self.get_serializer_context()).data

    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()), self.represent)

    def retrieve(self, request, public_id: str):
        partner = selectors.partner_get(viewer=request.user, public_id=public_id)
        return Response(self.represent(partner))

    def create(self, request):
        require_perm(request.user, "partner.create", "Only a CBP program admin registers partners.")
        data = dict(self.validated(PartnerCreateSerializer))
        identifiers = [(item["kind"], item["value"]) for item in data.pop("identifiers", [])]
        partner = services.partner_register(actor=request.user, identifiers=identifiers, **data)
        return Response(PartnerSerializer(partner).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, public_id: str):
        partner = selectors.partner_get(viewer=request.user, public_id=public_id)
        if not permissions.can_change_profile(request.user, partner):
            raise PermissionDeniedError("You cannot change this partner's profile.")
        changes = dict(self.validated(PartnerUpdateSerializer))
        reason = changes.pop("reason", "")
        if not changes:
            raise DomainError("Send at least one profile field to change.", code="no_changes")
        partner = services.partner_update_profile(
            actor=request.user, partner=partner, reason=reason, **changes
        )
        return Response(self.represent(partner))

    @extend_schema(
        methods=["GET"],
        summary="Status history and allowed moves",
        description="The partner's membership history, newest first, and the statuses the "
        "caller may move it to today (`rules.allowed_targets` limited by the caller's role).",
        responses=TransitionStateSerializer,
    )
    @extend_schema(
        methods=["POST"],
        summary="Change a partner's membership status",
        description="Moves the partner along the membership state machine. Refusals carry the "
        "rule's code, e.g. `illegal_transition`, `reason_required`, `reapply_too_soon`.",
        request=TransitionCreateSerializer,
        responses={201: TransitionResultSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def transitions(self, request, public_id: str):
        partner = selectors.partner_get(viewer=request.user, public_id=public_id)
        if request.method == "POST":
            return self._transition(request, partner)
        if selectors.partner_access_level(viewer=request.user, partner=partner) != selectors.FULL:
            raise PermissionDeniedError("An SVI connection shows the current status only.")
        allowed = rules.allowed_targets(
            partner.status, today=timezone.localdate(), **services.transition_conditions(partner)
        )
        state = {
            "partner": partner.public_id,
            "status": partner.status,
            "allowed_targets": permissions.permitted_targets(request.user, partner, allowed),
            "history": selectors.status_history(viewer=request.user, partner=partner),
        }
        return Response(TransitionStateSerializer(state).data)

    @extend_schema(
        summary="Record a completed (re)validation",
        description="CBP only. Sets the last validation date, which restarts the 4-year "
        "revalidation cycle (`rules.revalidation_due`).",
        request=ValidationRecordSerializer,
        responses={201: PartnerSerializer},
    )
    @action(detail=True, methods=["post"])
    def validations(self, request, public_id: str):
        partner = selectors.partner_get(viewer=request.user, public_id=public_id)
        require_perm(request.user, "partner.transition_any", "Only CBP records validations.")
        data = self.validated(ValidationRecordSerializer)
        partner = services.partner_record_validation(
            actor=request.user,
            partner=partner,
            validated_on=data["validated_on"],
            reason=data.get("reason", ""),
        )
        return Response(self.represent(partner), status=status.HTTP_201_CREATED)

    def _transition(self, request, partner: Partner):
        if not permissions.can_transition(request.user, partner):
            raise PermissionDeniedError("You cannot change this partner's status.")
        data = self.validated(TransitionCreateSerializer)
        effective_date = data.get("effective_date")
        if effective_date is not None:
            self._check_effective_date(request.user, effective_date)
        partner = services.partner_transition(
            actor=request.user,
            partner=partner,
            target=data["target"],
            reason=data.get("reason", ""),
            effective_date=effective_date,
            notify=True,
        )
        change = selectors.status_history(viewer=request.user, partner=partner).first()
        result = TransitionResultSerializer({"partner": partner, "change": change})
        return Response(result.data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _check_effective_date(user, effective_date: dt.date) -> None:
        # The date drives the rules (e.g. the one-year wait after a withdrawal), so only CBP may
        # record another day than today, and never a future one.
        today = timezone.localdate()
        if effective_date == today:
            return
        require_perm(
            user,
            "partner.transition_any",
            "Only CBP can record a status change effective on another day.",
        )
        if effective_date > today:
            raise DomainError(
                "A status change cannot take effect in the future.",
                code="future_date",
                fields={"effective_date": ["Must not be in the future."]},
            )
        if effective_date < EARLIEST_EFFECTIVE_DATE:
            raise DomainError(
                "A status change cannot predate the CTPAT program.",
                code="date_out_of_range",
                fields={"effective_date": ["Too far in the past."]},
            )


# --- Identifiers ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List business entity identifiers"),
    retrieve=extend_schema(summary="Get an identifier"),
    create=extend_schema(
        summary="Add an identifier to a partner",
        request=IdentifierCreateSerializer,
        responses={201: IdentifierSerializer},
    ),
)
class IdentifierViewSet(ApiViewSet):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = IdentifierSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = IdentifierFilterSet

    def get_queryset(self):
        if self.is_schema_generation():
            return PartnerIdentifier.objects.none()
        return selectors.identifier_list(viewer=self.request.user)

    def list(self, request):
        identifiers = self.filter_queryset(self.get_queryset())
        return self.paginated(identifiers)

    def retrieve(self, request, public_id: str):
        identifier = selectors.identifier_get(viewer=request.user, public_id=public_id)
        return Response(self.get_serializer(identifier).data)

    def create(self, request):
        data = self.validated(IdentifierCreateSerializer)
        partner = (
            selectors.partner_list(viewer=request.user).filter(public_id=data["partner"]).first()
        )
        if partner is None:
            raise _no_such("partner", "No such partner.")
        if not permissions.can_change_identifiers(request.user, partner):
            raise PermissionDeniedError("You cannot change this partner's identifiers.")
        identifier = services.identifier_add(
            actor=request.user,
            partner=partner,
            kind=data["kind"],
            value=data["value"],
            note=data.get("note", ""),
        )
        return Response(self.get_serializer(identifier).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Deactivate an identifier", request=ReasonSerializer, responses=IdentifierSerializer
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request, public_id: str):
        identifier = selectors.identifier_get(viewer=request.user, public_id=public_id)
        if not permissions.can_change_identifiers(request.user, identifier.partner):
            raise PermissionDeniedError("You cannot change this partner's identifiers.")
        data = self.validated(ReasonSerializer)
        identifier = services.identifier_deactivate(
            actor=request.user, identifier=identifier, reason=data.get("reason", "")
        )
        return Response(self.get_serializer(identifier).data)


# --- Status verification (SVI) -------------------------------------------------------------


def _svi_action_schema(summary: str, request=EmptySerializer):
    return extend_schema(summary=summary, request=request, responses=SVIConnectionSerializer)


@extend_schema_view(
    list=extend_schema(
        summary="List SVI connections",
        description="Requests sent and received by the caller's company "
        "(every connection for CBP).",
    ),
    retrieve=extend_schema(summary="Get an SVI connection"),
    create=extend_schema(
        summary="Ask a company for an SVI connection",
        description="The target is found in the SVI directory. It may accept automatically.",
        request=SVIConnectionCreateSerializer,
        responses={201: SVIConnectionSerializer},
    ),
)
class SVIConnectionViewSet(ApiViewSet):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = SVIConnectionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = SVIConnectionFilterSet

    def get_queryset(self):
        if self.is_schema_generation():
            return SVIConnection.objects.none()
        return selectors.svi_connection_list(viewer=self.request.user)

    def list(self, request):
        connections = self.filter_queryset(self.get_queryset())
        return self.paginated(connections)

    def retrieve(self, request, public_id: str):
        connection = selectors.svi_connection_get(viewer=request.user, public_id=public_id)
        return Response(self.get_serializer(connection).data)

    def create(self, request):
        require_perm(request.user, "svi.request")
        data = self.validated(SVIConnectionCreateSerializer)
        target = (
            selectors.svi_candidate_targets(viewer=request.user)
            .filter(public_id=data["target"])
            .first()
        )
        if target is None:
            raise _no_such("target", "No such company in the SVI directory.")
        connection = services.svi_request(
            actor=request.user, target=target, message=data.get("message", "")
        )
        return Response(self.get_serializer(connection).data, status=status.HTTP_201_CREATED)

    def _connection_for(
        self, public_id: str, *, perm: str, sides: tuple[str, ...], refusal: str
    ) -> SVIConnection:
        """The connection, if visible (404), and if the caller's company is on one of
        ``sides`` with permission ``perm`` (403)."""
        connection = selectors.svi_connection_get(viewer=self.request.user, public_id=public_id)
        require_perm(self.request.user, perm)
        own = selectors.partner_for_user(self.request.user)
        if own is None or own.pk not in {getattr(connection, f"{side}_id") for side in sides}:
            raise PermissionDeniedError(refusal)
        return connection

    @extend_schema(
        summary="Ask for an SVI connection by account number",
        description="For a member that is not listed in the SVI directory: the exact account "
        "number (CT-…) it gave you. The target's name stays hidden until it accepts. A number "
        "that cannot be connected (unknown or not a certified member) gets one neutral 404 "
        "`svi_number_no_match`; every attempt counts towards a daily cap (`rate_limited`).",
        request=SVINumberRequestSerializer,
        responses={201: SVIConnectionSerializer},
    )
    @action(detail=False, methods=["post"], url_path="by-number")
    def by_number(self, request):
        require_perm(request.user, "svi.request")
        data = self.validated(SVINumberRequestSerializer)
        connection = services.svi_request_by_number(
            actor=request.user, number=data["number"], message=data.get("message", "")
        )
        if connection is None:
            # After the attempt was recorded (committed): a 404, never a 500.
            number = data["number"].strip().upper()[:40]
            raise NotFoundError(
                services.SVI_NUMBER_NO_MATCH.format(number=number), code="svi_number_no_match"
            )
        return Response(self.get_serializer(connection).data, status=status.HTTP_201_CREATED)

    @_svi_action_schema("Accept a pending SVI request")
    @action(detail=True, methods=["post"])
    def accept(self, request, public_id: str):
        connection = self._connection_for(
            public_id,
            perm="svi.decide",
            sides=("target",),
            refusal="Only the company that received the request can accept it.",
        )
        self.validated(EmptySerializer)
        connection = services.svi_accept(actor=request.user, connection=connection)
        return Response(self.get_serializer(connection).data)

    @_svi_action_schema("Reject a pending SVI request", SVIReasonSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, public_id: str):
        connection = self._connection_for(
            public_id,
            perm="svi.decide",
            sides=("target",),
            refusal="Only the company that received the request can reject it.",
        )
        data = self.validated(SVIReasonSerializer)
        connection = services.svi_reject(
            actor=request.user, connection=connection, reason=data.get("reason", "")
        )
        return Response(self.get_serializer(connection).data)

    @_svi_action_schema("Cancel a pending SVI request you sent")
    @action(detail=True, methods=["post"])
    def cancel(self, request, public_id: str):
        connection = self._connection_for(
            public_id,
            perm="svi.request",
            sides=("requester",),
            refusal="Only the company that sent the request can cancel it.",
        )
        self.validated(EmptySerializer)
        connection = services.svi_cancel(actor=request.user, connection=connection)
        return Response(self.get_serializer(connection).data)

    @_svi_action_schema("End an accepted SVI connection", SVIReasonSerializer)
    @action(detail=True, methods=["post"])
    def disconnect(self, request, public_id: str):
        connection = self._connection_for(
            public_id,
            perm="svi.decide",
            sides=("requester", "target"),
            refusal="Only a company officer of either party can end the connection.",
        )
        data = self.validated(SVIReasonSerializer)
        connection = services.svi_disconnect(
            actor=request.user, connection=connection, reason=data.get("reason", "")
        )
        return Response(self.get_serializer(connection).data)


@extend_schema_view(
    list=extend_schema(
        summary="Search the SVI directory",
        description="Certified companies the caller's company may ask to connect with: name, "
        "entity type, country and account number only.",
        parameters=[SVIDirectoryQuerySerializer],
        responses=SVIDirectoryEntrySerializer(many=True),
    ),
)
class SVIDirectoryViewSet(ApiViewSet):
    http_method_names = ["get", "head", "options"]
    serializer_class = SVIDirectoryEntrySerializer

    def get_queryset(self):
        return Partner.objects.none()

    def list(self, request):
        require_perm(request.user, "svi.request")
        query = SVIDirectoryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data.get("q", "").strip()
        if q:
            partners = selectors.svi_candidate_targets(viewer=request.user, query=q)
        else:
            partners = Partner.objects.none()
        return self.paginated(partners)


# --- CBP invitations (eligibility by country) ---------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List CBP invitations",
        description="CBP's invitations for foreign manufacturers outside Mexico and Canada and "
        "foreign-based port or terminal operators. CBP staff only.",
    ),
    retrieve=extend_schema(summary="Get a CBP invitation"),
    create=extend_schema(
        summary="Record a CBP invitation (CBP program admin)",
        description="For a company not registered yet give `company_name`, `entity_type` and "
        "`country`; for a registered one give `partner` (its account number). Every problem "
        "is reported at once in `fields`.",
        request=CountryInvitationCreateSerializer,
        responses={201: CountryInvitationSerializer},
    ),
)
class CountryInvitationViewSet(ApiViewSet):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = CountryInvitationSerializer

    def get_queryset(self):
        if self.is_schema_generation():
            return CountryInvitation.objects.none()
        return selectors.invitation_list(viewer=self.request.user)

    def list(self, request):
        require_perm(request.user, "partner.view_all", "Invitations are CBP's records.")
        return self.paginated(self.get_queryset())

    def retrieve(self, request, public_id: str):
        require_perm(request.user, "partner.view_all", "Invitations are CBP's records.")
        invitation = selectors.invitation_get(viewer=request.user, public_id=public_id)
        return Response(self.get_serializer(invitation).data)

    def create(self, request):
        require_perm(request.user, "partner.invite", "Only a CBP program admin invites.")
        data = dict(self.validated(CountryInvitationCreateSerializer))
        partner = None
        if data.get("partner"):
            partner = (
                selectors.partner_list(viewer=request.user)
                .filter(public_id=data["partner"].strip().upper())
                .first()
            )
            if partner is None:
                raise _no_such("partner", "No registered company has this account number.")
        invitation = services.invitation_create(
            actor=request.user,
            entity_type=data.get("entity_type", ""),
            country=data.get("country", ""),
            company_name=data.get("company_name", ""),
            partner=partner,
            reason=data.get("reason", ""),
        )
        return Response(self.get_serializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Withdraw a CBP invitation",
        request=ReasonSerializer,
        responses=CountryInvitationSerializer,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, public_id: str):
        require_perm(request.user, "partner.view_all", "Invitations are CBP's records.")
        invitation = selectors.invitation_get(viewer=request.user, public_id=public_id)
        require_perm(request.user, "partner.invite", "Only a CBP program admin withdraws.")
        data = self.validated(ReasonSerializer)
        invitation = services.invitation_withdraw(
            actor=request.user, invitation=invitation, reason=data.get("reason", "")
        )
        return Response(self.get_serializer(invitation).data)

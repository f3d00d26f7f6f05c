"""Annual Notification Letter API: letters, each membership's schedule, pilot imports.

Same selectors (tenant isolation) and services as the pages.
"""

from __future__ import annotations

import base64
import binascii

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from ctpat.accounts import roles
from ctpat.annualnotices import pilot, selectors, services
from ctpat.annualnotices.models import AnnualNotificationLetter, PilotImport
from ctpat.core.api.serializers import EmptySerializer
from ctpat.core.api.views import ApiViewSet
from ctpat.core.errors import DomainError, PermissionDeniedError
from ctpat.tradecompliance.models import TradeComplianceMembership

from .serializers import (
    AnlLetterContentSerializer,
    AnlLetterFileSerializer,
    AnlLetterSerializer,
    AnlPilotImportSerializer,
    AnlPilotUploadSerializer,
    AnlReviewSerializer,
    AnlScheduleSerializer,
)


def _content(data: dict) -> services.LetterContent:
    changes = tuple(
        services.ChangeSpec(c["change_type"], c["description"], c["effective_on"])
        for c in data.get("changes", [])
    )
    fields = {k: v for k, v in data.items() if k not in ("changes", "signed_name")}
    return services.LetterContent(**fields, changes=changes)


@extend_schema_view(
    list=extend_schema(
        summary="List Annual Notification Letters",
        description="CBP staff: every member's letters; a member's users: their company's.",
    ),
    retrieve=extend_schema(summary="Get an Annual Notification Letter"),
)
class LetterViewSet(ApiViewSet):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = AnlLetterSerializer

    def get_queryset(self):
        if self.is_schema_generation():
            return AnnualNotificationLetter.objects.none()
        return selectors.letter_list(viewer=self.request.user)

    def list(self, request):
        return self.paginated(self.get_queryset())

    def retrieve(self, request, public_id: str):
        return Response(
            self.get_serializer(selectors.letter_get(viewer=request.user, public_id=public_id)).data
        )

    @extend_schema(
        summary="Acknowledge a filed letter (CBP)",
        request=AnlReviewSerializer,
        responses=AnlLetterSerializer,
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, public_id: str):
        letter = selectors.letter_get(viewer=request.user, public_id=public_id)
        data = self.validated(AnlReviewSerializer)
        letter = services.anl_letter_acknowledge(
            actor=request.user, letter=letter, note=data.get("note", "")
        )
        return Response(self.get_serializer(letter).data)

    @extend_schema(
        summary="Return a filed letter with reasons (CBP)",
        description="The company corrects it and files it again.",
        request=AnlReviewSerializer,
        responses=AnlLetterSerializer,
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_letter(self, request, public_id: str):
        letter = selectors.letter_get(viewer=request.user, public_id=public_id)
        data = self.validated(AnlReviewSerializer)
        letter = services.anl_letter_return(
            actor=request.user, letter=letter, reasons=data.get("note", "")
        )
        return Response(self.get_serializer(letter).data)


@extend_schema_view(
    list=extend_schema(
        summary="List Annual Notification Letter schedules",
        description="Each visible Trade Compliance membership's next letter and history.",
    ),
    retrieve=extend_schema(summary="Get a membership's Annual Notification Letter schedule"),
)
class ScheduleViewSet(ApiViewSet):
    """Addressed by the Trade Compliance membership's public id."""

    http_method_names = ["get", "post", "head", "options"]
    serializer_class = AnlScheduleSerializer

    def get_queryset(self):
        if self.is_schema_generation():
            return TradeComplianceMembership.objects.none()
        return selectors.membership_list(viewer=self.request.user)

    def list(self, request):
        today = timezone.localdate()
        page = self.paginate_queryset(self.get_queryset())
        items = [selectors.membership_schedule(m, today=today) for m in page]
        return self.get_paginated_response(self.get_serializer(items, many=True).data)

    def retrieve(self, request, public_id: str):
        membership = selectors.membership_get(viewer=request.user, public_id=public_id)
        item = selectors.membership_schedule(membership, today=timezone.localdate())
        return Response(self.get_serializer(item).data)

    def _current(self, public_id: str):
        membership = selectors.membership_get(viewer=self.request.user, public_id=public_id)
        item = selectors.membership_schedule(membership, today=timezone.localdate())
        return membership, item.to_file.period

    @extend_schema(
        summary="Save the draft of the current letter",
        description="The current letter, or first a letter CBP returned for corrections.",
        request=AnlLetterContentSerializer,
        responses=AnlLetterSerializer,
    )
    @action(detail=True, methods=["post"])
    def draft(self, request, public_id: str):
        membership, period = self._current(public_id)
        data = self.validated(AnlLetterContentSerializer)
        letter = services.anl_letter_save_draft(
            actor=request.user, membership=membership, period=period, content=_content(data)
        )
        return Response(AnlLetterSerializer(letter).data)

    @extend_schema(
        summary="Sign and file the current letter (company officer)",
        description="Files the letter of the current period (or first a letter CBP returned "
        "for corrections) with this content; a letter that is already filed is a 409.",
        request=AnlLetterFileSerializer,
        responses={201: AnlLetterSerializer},
    )
    @action(detail=True, methods=["post"])
    def file(self, request, public_id: str):
        membership, period = self._current(public_id)
        data = self.validated(AnlLetterFileSerializer)
        letter = services.anl_letter_file(
            actor=request.user,
            membership=membership,
            period=period,
            content=_content(data),
            signed_name=data["signed_name"],
        )
        return Response(AnlLetterSerializer(letter).data, status=201)


@extend_schema_view(
    list=extend_schema(summary="List pilot imports (CBP program admins)"),
    retrieve=extend_schema(summary="Get a pilot import with its rows or error report"),
)
class PilotImportViewSet(ApiViewSet):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = AnlPilotImportSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not roles.has_perm(request.user, "anl.pilot_import"):
            raise PermissionDeniedError("Only a CBP program admin migrates pilot participants.")

    def get_queryset(self):
        if self.is_schema_generation():
            return PilotImport.objects.none()
        return selectors.pilot_import_list(viewer=self.request.user)

    def list(self, request):
        return self.paginated(self.get_queryset())

    def retrieve(self, request, public_id: str):
        record = selectors.pilot_import_get(viewer=request.user, public_id=public_id)
        return Response(self.get_serializer(record).data)

    @extend_schema(
        summary="Upload and check a CSV of pilot participants",
        description="Checks every row and records the import: `validated` (ready to commit) or "
        "`invalid` with the row-level error report. Nothing becomes a membership here. An "
        "unusable file (not UTF-8, not CSV, too large, missing columns) is a 400 and nothing is "
        "recorded.",
        request=AnlPilotUploadSerializer,
        responses={201: AnlPilotImportSerializer},
    )
    def create(self, request):
        data = self.validated(AnlPilotUploadSerializer)
        try:
            raw = base64.b64decode(data["content_base64"], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise DomainError(
                "content_base64 is not valid base64.",
                code="invalid_base64",
                fields={"content_base64": ["Not valid base64."]},
            ) from exc
        upload = SimpleUploadedFile(data["file_name"], raw, content_type="text/csv")
        record = pilot.pilot_import_check(actor=request.user, uploaded_file=upload)
        return Response(self.get_serializer(record).data, status=201)

    @extend_schema(
        summary="Commit a checked pilot import",
        description="Every row becomes a Trade Compliance member in one transaction; any "
        "problem (also one that appeared since the check) refuses all of them.",
        request=EmptySerializer,
        responses=AnlPilotImportSerializer,
    )
    @action(detail=True, methods=["post"])
    def commit(self, request, public_id: str):
        record = selectors.pilot_import_get(viewer=request.user, public_id=public_id)
        self.validated(EmptySerializer)
        record = pilot.pilot_import_commit(actor=request.user, pilot_import=record)
        return Response(self.get_serializer(record).data)

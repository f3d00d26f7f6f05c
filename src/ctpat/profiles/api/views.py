"""Security-profile API: the profile with its gaps, its answers, evidence files, submit and the
SCSS decision.

The same selectors and services as the pages; errors are ``{"error": {code, message, fields}}``
(a submission with must-gaps is a 400 with ``fields.must_gaps``, a second one a 409).
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from ctpat.core import uploads
from ctpat.core.api.parsers import UPLOAD_PARSERS
from ctpat.core.api.schema import file_download_responses
from ctpat.core.api.views import PUBLIC_ID_REGEX, ApiViewSet
from ctpat.core.errors import PermissionDeniedError
from ctpat.profiles import rules, selectors, services
from ctpat.profiles.models import SecurityProfile

from .serializers import (
    EvidenceFileSerializer,
    EvidenceUploadSerializer,
    SecurityProfileAnswerRowSerializer,
    SecurityProfileAnswerUpdateSerializer,
    SecurityProfileDecisionSerializer,
    SecurityProfileDetailSerializer,
    SecurityProfileSerializer,
    SecurityProfileSubmissionSerializer,
    SecurityProfileSubmitSerializer,
)


def _profile_data(profile: SecurityProfile) -> dict:
    return {
        "public_id": profile.public_id,
        "partner": profile.partner.public_id,
        "partner_name": profile.partner.name,
        "status": profile.status,
        "lock_version": profile.lock_version,
        "submitted_at": profile.submitted_at,
        "approved_at": profile.approved_at,
    }


def _detail_data(profile: SecurityProfile) -> dict:
    overview = selectors.profile_overview(
        partner=profile.partner, profile=profile, today=timezone.localdate()
    )
    a = overview.assessment
    window = overview.review_window
    progress = selectors.review_progress(
        overview, selectors.review_being_submitted(profile, overview.on_date)
    )
    blockers = []
    if a.nothing_to_assess:
        blockers.append(rules.nothing_to_assess_message(profile.partner.get_entity_type_display()))
    if a.must_gaps:
        blockers.append(rules.must_gap_message(a.must_gaps))
    if progress is not None and not progress.complete:
        blockers.append(
            f"The annual review asks you to confirm or update every answer: "
            f"{len(progress.remaining)} still to do ({', '.join(progress.remaining_ids)})."
        )
    return {
        **_profile_data(profile),
        "criteria_version": overview.version.label if overview.version else None,
        "on_date": overview.on_date,
        "applicable": a.applicable,
        "answered": a.answered,
        "must_gaps": [g.as_dict() for g in a.must_gaps],
        "should_gaps": [g.as_dict() for g in a.should_gaps],
        "review_window_opens": window[0] if window else None,
        "review_window_closes": window[1] if window else None,
        "criteria_table": overview.table.status if overview.table else "none",
        "can_submit": profile.is_open and not blockers,
        "submit_blockers": blockers,
        "review_still_to_do": progress.remaining_ids if progress is not None else None,
    }


def _rows_data(profile: SecurityProfile) -> list[dict]:
    overview = selectors.profile_overview(
        partner=profile.partner, profile=profile, today=timezone.localdate()
    )
    return [
        {
            "msc_id": r.msc_id,
            "category": r.criterion.category,
            "text": r.criterion.text,
            "level": r.level,
            "answer": r.answer.answer if r.answer else None,
            "narrative": r.answer.narrative if r.answer else "",
            "answered_at": r.answer.answered_at if r.answer else None,
            "answered_version": r.answer.criteria_version.label if r.answer else None,
            "gap": r.gap.kind if r.gap else None,
            "changes_since_answer": [
                {"kind": c.kind, "summary": c.summary, "effective_from": c.effective_from}
                for c in r.changes
            ],
        }
        for r in overview.rows
    ]


@extend_schema_view(
    list=extend_schema(
        summary="List security profiles",
        description="The caller's company's profile; every profile for CBP staff.",
    ),
    retrieve=extend_schema(
        summary="Get a security profile with completeness and gaps",
        description="Answered / applicable criteria of the current criteria version and the "
        "must- and should-gaps on today's date.",
        responses=SecurityProfileDetailSerializer,
    ),
)
class SecurityProfileViewSet(ApiViewSet):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = SecurityProfileSerializer

    def get_queryset(self):
        if self.is_schema_generation():
            return SecurityProfile.objects.none()
        return selectors.profile_list(viewer=self.request.user)

    def list(self, request):
        return self.paginated(self.get_queryset(), represent=_profile_data)

    def retrieve(self, request, public_id: str):
        profile = selectors.profile_get(viewer=request.user, public_id=public_id)
        return Response(SecurityProfileDetailSerializer(_detail_data(profile)).data)

    @extend_schema(
        methods=["GET"],
        summary="List a profile's answers",
        description="One row per applicable criterion of the current version: the answer, the "
        "version it answered, the gap and what changed since.",
        responses=SecurityProfileAnswerRowSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Answer one criterion",
        description="Saves the answer against the current criteria version. Partner users of "
        "the company only; not while the profile waits for a decision (409).",
        request=SecurityProfileAnswerUpdateSerializer,
        responses={200: SecurityProfileAnswerRowSerializer(many=True)},
    )
    # One row per applicable criterion (about a hundred): the whole list, not pages.
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def answers(self, request, public_id: str):
        profile = selectors.profile_get(viewer=request.user, public_id=public_id)
        if request.method == "POST":
            if not services.can_answer(request.user, profile):
                raise PermissionDeniedError("Only the company's own users answer its profile.")
            data = self.validated(SecurityProfileAnswerUpdateSerializer)
            services.answer_save(
                actor=request.user,
                profile=profile,
                msc_id=data["msc_id"],
                answer=data["answer"],
                narrative=data.get("narrative", ""),
            )
        return Response(SecurityProfileAnswerRowSerializer(_rows_data(profile), many=True).data)

    @extend_schema(
        methods=["GET"],
        summary="List a profile's evidence files",
        description="Newest first, paginated. Each has a `download_url`.",
        responses=EvidenceFileSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Upload an evidence file",
        description="multipart/form-data with `file` and optionally `msc_id`. The type is "
        "checked by extension and by content, the size against CTPAT_EVIDENCE_MAX_BYTES and "
        "the virus-scan hook runs; a refusal is a 400 with the reason under `fields.file` and "
        "nothing stored. Partner users of the company only; not while the profile waits for a "
        "decision (409).",
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: EvidenceFileSerializer},
    )
    @action(detail=True, methods=["get", "post"], parser_classes=UPLOAD_PARSERS)
    def evidence(self, request, public_id: str):
        profile = selectors.profile_get(viewer=request.user, public_id=public_id)
        if request.method == "GET":
            page = self.paginate_queryset(selectors.evidence_list(profile))
            data = EvidenceFileSerializer(
                page, many=True, context=self.get_serializer_context()
            ).data
            return self.get_paginated_response(data)
        if not services.can_answer(request.user, profile):
            raise PermissionDeniedError("Only the company's own users add evidence.")
        data = self.validated(EvidenceUploadSerializer)
        item = services.evidence_upload(
            actor=request.user,
            profile=profile,
            uploaded_file=data["file"],
            msc_id=data["msc_id"],
        )
        return Response(
            EvidenceFileSerializer(item, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Download an evidence file",
        description="The file as an attachment, with the content type of its detected type.",
        responses=file_download_responses(),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=rf"evidence/(?P<evidence_id>{PUBLIC_ID_REGEX})/download",
        url_name="evidence-download",
        file_download=True,
    )
    def evidence_download(self, request, public_id: str, evidence_id: str):
        profile = selectors.profile_get(viewer=request.user, public_id=public_id)
        item = selectors.evidence_get(viewer=request.user, profile=profile, public_id=evidence_id)
        return uploads.download_response(
            item.file, filename=item.original_name, detected=item.detected_type
        )

    @extend_schema(
        summary="Submit the profile to the SCSS",
        description="Refused (400, code `must_gaps`, the gaps in `fields.must_gaps`) while a "
        "Must criterion is answered No or unanswered; 409 `already_submitted` or "
        "`stale_profile` for a second or out-of-date submission.",
        request=SecurityProfileSubmitSerializer,
        responses={201: SecurityProfileSubmissionSerializer},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, public_id: str):
        profile = selectors.profile_get(viewer=request.user, public_id=public_id)
        if not services.can_submit(request.user, profile):
            raise PermissionDeniedError("Only the company's officer submits its profile.")
        data = self.validated(SecurityProfileSubmitSerializer)
        submission = services.profile_submit(
            actor=request.user, profile=profile, expected_version=data.get("expected_version")
        )
        return Response(
            SecurityProfileSubmissionSerializer(submission).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Approve or return a submitted profile",
        description="SCSS and CBP program admins. Returning needs reasons; the company is told.",
        request=SecurityProfileDecisionSerializer,
        responses={200: SecurityProfileSubmissionSerializer},
    )
    @action(detail=True, methods=["post"])
    def decision(self, request, public_id: str):
        profile = selectors.profile_get(viewer=request.user, public_id=public_id)
        if not services.can_decide(request.user):
            raise PermissionDeniedError("Only an SCSS or a CBP program admin decides profiles.")
        data = self.validated(SecurityProfileDecisionSerializer)
        submission = services.profile_decide(
            actor=request.user,
            profile=profile,
            decision=data["decision"],
            reason=data.get("reason", ""),
        )
        return Response(SecurityProfileSubmissionSerializer(submission).data)

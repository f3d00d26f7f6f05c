"""Suspension cases, answers, appeals and their documents over the API (same services)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status as http_status
from rest_framework.decorators import action
from rest_framework.response import Response

from ctpat.core import uploads
from ctpat.core.api.parsers import UPLOAD_PARSERS, JSONParser
from ctpat.core.api.schema import file_download_responses
from ctpat.core.api.views import ApiViewSet
from ctpat.core.errors import DomainError
from ctpat.partners import selectors as partner_selectors

from .. import selectors, services
from ..choices import OTHER_ACTIONS, AppealSubject
from .serializers import (
    AppealCreateSerializer,
    AppealDecisionSerializer,
    AppealSerializer,
    EnforcementDocumentSerializer,
    ImmediateRemovalSerializer,
    SuspensionAnswerCreateSerializer,
    SuspensionCaseSerializer,
    SuspensionCreateSerializer,
    SuspensionDecisionSerializer,
)

ANSWER_KEYS = (
    "corrective_action_plan",
    "unannounced_visits",
    "vulnerabilities_addressed",
    OTHER_ACTIONS,
)


@extend_schema_view(
    list=extend_schema(summary="List suspension cases"),
    retrieve=extend_schema(summary="Get a suspension case with its answers"),
    create=extend_schema(
        summary="Suspend a member with a letter and required actions",
        description="CBP (SCSS or program admin). The company's officers are notified.",
        request=SuspensionCreateSerializer,
        responses={201: SuspensionCaseSerializer},
    ),
)
class SuspensionCaseViewSet(ApiViewSet):
    serializer_class = SuspensionCaseSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.case_list(viewer=self.request.user)

    def list(self, request):
        return self.paginated(self.get_queryset())

    def retrieve(self, request, public_id: str):
        case = selectors.case_get(viewer=request.user, public_id=public_id)
        return Response(self.get_serializer(case).data)

    def create(self, request):
        data = self.validated(SuspensionCreateSerializer)
        partner = partner_selectors.partner_get(viewer=request.user, public_id=data["partner"])
        case = services.partner_suspend(
            actor=request.user,
            partner=partner,
            letter=data["letter"],
            required_actions=data["required_actions"],
            other_actions=data.get("other_actions", ""),
            false_information=data["false_information"],
        )
        return Response(self.get_serializer(case).data, status=http_status.HTTP_201_CREATED)

    @extend_schema(
        summary="Answer a suspension",
        description="The company officer, inside the response window. One field per required "
        "action of the case (`answer_<action>`), an optional note; with multipart/form-data, "
        "`documents` (repeated). A refused file refuses the whole answer.",
        request={
            "application/json": SuspensionAnswerCreateSerializer,
            "multipart/form-data": SuspensionAnswerCreateSerializer,
        },
        responses={201: SuspensionCaseSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, *UPLOAD_PARSERS])
    def answer(self, request, public_id: str):
        case = selectors.case_get(viewer=request.user, public_id=public_id)
        data = self.validated(SuspensionAnswerCreateSerializer)
        answers = {k: data[f"answer_{k}"] for k in ANSWER_KEYS if data.get(f"answer_{k}")}
        services.suspension_answer_submit(
            actor=request.user,
            case=case,
            action_answers=answers,
            note=data.get("note", ""),
            files=data.get("documents", []),
        )
        case.refresh_from_db()
        return Response(self.get_serializer(case).data, status=http_status.HTTP_201_CREATED)

    @extend_schema(
        summary="Reinstate or remove a suspended member",
        description="The SCSS or a program admin. Reinstating restores the status held before; "
        "removing before the answer window ends needs the member's answer first "
        "(`response_window_open`).",
        request=SuspensionDecisionSerializer,
        responses={200: SuspensionCaseSerializer},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, public_id: str):
        case = selectors.case_get(viewer=request.user, public_id=public_id)
        data = self.validated(SuspensionDecisionSerializer)
        services.suspension_case_decide(
            actor=request.user, case=case, decision=data["decision"], reason=data["reason"]
        )
        case.refresh_from_db()
        return Response(self.get_serializer(case).data)


@extend_schema_view(
    create=extend_schema(
        summary="Remove a member immediately",
        description="A CBP program admin, in aggravated circumstances, from any status, with a "
        "written reason; the company's officers are notified.",
        request=ImmediateRemovalSerializer,
        responses={201: None},
    ),
)
class ImmediateRemovalViewSet(ApiViewSet):
    http_method_names = ["post", "options"]
    serializer_class = ImmediateRemovalSerializer

    def create(self, request):
        data = self.validated(ImmediateRemovalSerializer)
        partner = partner_selectors.partner_get(viewer=request.user, public_id=data["partner"])
        partner = services.partner_remove_immediately(
            actor=request.user,
            partner=partner,
            reason=data["reason"],
            false_information=data["false_information"],
        )
        change = partner.status_changes.order_by("-id").first()
        return Response(
            {
                "partner": partner.public_id,
                "status": partner.status,
                "exit_ground": partner.exit_ground,
                "effective_date": change.effective_date.isoformat(),
            },
            status=http_status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=extend_schema(summary="List appeals"),
    retrieve=extend_schema(summary="Get an appeal"),
    create=extend_schema(
        summary="File an appeal (6 U.S.C. 967(c))",
        description="The company officer appeals a decision in force, named by `subject`: the "
        "Security membership's suspension or removal (default), the denial of the latest Trade "
        "Compliance application, or the Trade Compliance membership's suspension or removal. "
        "Within 90 days of the decision (967(c)(1)), or 30 for false or misleading information "
        "(967(c)(2)); late filing is refused (`appeal_too_late`). multipart/form-data to send "
        "`documents` (repeated).",
        request={
            "application/json": AppealCreateSerializer,
            "multipart/form-data": AppealCreateSerializer,
        },
        responses={201: AppealSerializer},
    ),
)
class AppealViewSet(ApiViewSet):
    serializer_class = AppealSerializer
    http_method_names = ["get", "post", "head", "options"]
    parser_classes = [JSONParser, *UPLOAD_PARSERS]

    def get_queryset(self):
        return selectors.appeal_list(viewer=self.request.user)

    def list(self, request):
        return self.paginated(self.get_queryset())

    def retrieve(self, request, public_id: str):
        appeal = selectors.appeal_get(viewer=request.user, public_id=public_id)
        return Response(self.get_serializer(appeal).data)

    def create(self, request):
        data = self.validated(AppealCreateSerializer)
        partner = partner_selectors.partner_get(viewer=request.user, public_id=data["partner"])
        subject = data.get("subject") or AppealSubject.SECURITY_MEMBERSHIP
        found = [
            d
            for d in selectors.appealable_decisions(partner, today=timezone.localdate())
            if d.subject == subject
        ]
        reference = (data.get("reference") or "").strip()
        if not found or (reference and found[0].ref.split(":", 1)[-1] != reference):
            label = AppealSubject(subject).label
            raise DomainError(
                f"There is no decision in force to appeal for the {label}"
                + (f" {reference}" if reference else "")
                + ".",
                code="not_appealable",
            )
        appeal = services.appeal_file(
            actor=request.user,
            partner=partner,
            decision_ref=found[0].ref,
            grounds=data["grounds"],
            files=data.get("documents", []),
        )
        return Response(self.get_serializer(appeal).data, status=http_status.HTTP_201_CREATED)

    @extend_schema(
        summary="Decide an appeal",
        description="A CBP program admin: upheld, reversed (the status before the decision is "
        "restored; a denied Trade Compliance application is approved, its membership granted) "
        "or modified (`resulting_status` required, no higher than before; a denied application "
        "goes back under review with the reason as instructions, without `resulting_status`).",
        request=AppealDecisionSerializer,
        responses={200: AppealSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def decide(self, request, public_id: str):
        appeal = selectors.appeal_get(viewer=request.user, public_id=public_id)
        data = self.validated(AppealDecisionSerializer)
        appeal = services.appeal_decide(
            actor=request.user,
            appeal=appeal,
            outcome=data["outcome"],
            reason=data["reason"],
            resulting_status=data.get("resulting_status") or None,
        )
        return Response(self.get_serializer(appeal).data)


class EnforcementDocumentViewSet(ApiViewSet):
    serializer_class = EnforcementDocumentSerializer
    http_method_names = ["get", "head", "options"]

    @extend_schema(summary="Get a suspension or appeal document's record")
    def retrieve(self, request, public_id: str):
        document = selectors.document_get(viewer=request.user, public_id=public_id)
        return Response(self.get_serializer(document).data)

    @extend_schema(
        summary="Download a suspension or appeal document",
        responses=file_download_responses(),
    )
    @action(detail=True, methods=["get"], file_download=True)
    def download(self, request, public_id: str):
        document = selectors.document_get(viewer=request.user, public_id=public_id)
        return uploads.download_response(
            document.file, filename=document.original_name, detected=document.file_type
        )

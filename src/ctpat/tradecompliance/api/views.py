"""Trade Compliance API: the public question set, and the caller's company's readiness.

The question set is readable without credentials (the seed FAQ: every application question is
published before anyone applies), so those views allow anonymous callers, throttled. Readiness
is the caller's own company's, through the same selectors as the pages.
"""

from __future__ import annotations

from django.db.models import Prefetch as _Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status as http_status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from ctpat.accounts import roles
from ctpat.accounts.models import User
from ctpat.core import uploads
from ctpat.core.api.parsers import UPLOAD_PARSERS, JSONParser
from ctpat.core.api.schema import file_download_responses
from ctpat.core.api.serializers import EmptySerializer
from ctpat.core.api.views import PUBLIC_ID_REGEX, ApiView, ApiViewSet
from ctpat.core.errors import DomainError, NotFoundError, PermissionDeniedError
from ctpat.partners import selectors as partner_selectors
from ctpat.tradecompliance import selectors, services
from ctpat.tradecompliance.models import (
    Application,
    QuestionnaireVersion,
    TradeComplianceMembership,
)

from .serializers import (
    AnswersSaveSerializer,
    ApplicationDetailSerializer,
    ApplicationDocumentSerializer,
    ApplicationReasonSerializer,
    ApplicationSerializer,
    AssignSerializer,
    DocumentUploadSerializer,
    ForcedLaborDecideSerializer,
    ForcedLaborObligationSerializer,
    ForcedLaborSubmitSerializer,
    IorSelectSerializer,
    QuestionnaireVersionDetailSerializer,
    QuestionnaireVersionSerializer,
    QuestionsSerializer,
    ReadinessSerializer,
    ResponseSerializer,
    ResponseWithDocumentsSerializer,
    SignMouSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="List Trade Compliance questionnaire versions",
        description="Every published version, newest first; the first is current. No "
        "credentials needed.",
        auth=[],
    ),
    retrieve=extend_schema(
        summary="Get a questionnaire version with its questions",
        description="The sections in order, each with its handbook guidance, sources and "
        "questions (stable codes, answer types, sources, MSC criteria asking the same thing). "
        "No credentials needed.",
        responses=QuestionnaireVersionDetailSerializer,
        auth=[],
    ),
)
class QuestionnaireVersionViewSet(ApiViewSet):
    http_method_names = ["get", "head", "options"]
    serializer_class = QuestionnaireVersionSerializer
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]

    def get_queryset(self):
        if self.is_schema_generation():
            return QuestionnaireVersion.objects.none()
        return selectors.questionnaire_version_list()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "current": selectors.questionnaire_current()}

    def list(self, request):
        return self.paginated(self.get_queryset())

    def retrieve(self, request, public_id: str):
        version = selectors.questionnaire_version_get(public_id=public_id)
        version.sections_list = selectors.questionnaire_sections(version)
        serializer = QuestionnaireVersionDetailSerializer(
            version, context=self.get_serializer_context()
        )
        return Response(serializer.data)


class ReadinessView(ApiView):
    @extend_schema(
        summary="Your company's Trade Compliance readiness",
        description="Whether the caller's company may apply to CTPAT Trade Compliance today: "
        "every unmet requirement with what to do and its source, the checklist, the saved "
        "eligibility answers and the self-declared facts. Not an application.",
        responses=ReadinessSerializer,
    )
    def get(self, request):
        if not roles.has_perm(request.user, "tradecompliance.readiness_own"):
            raise PermissionDeniedError(
                "Readiness is for partner companies' users; CBP staff open a partner's "
                "readiness in the web application."
            )
        partner = partner_selectors.partner_for_user(request.user)
        if partner is None:
            raise NotFoundError("Your organization has no CTPAT account.", code="no_partner")
        readiness = selectors.readiness_for(partner)
        decision = selectors.decision_as_data(readiness.decision)
        profile = readiness.profile
        data = {
            "partner": partner,
            **decision,
            "questionnaire_version": readiness.version.public_id if readiness.version else None,
            "answers": readiness.answers_by_code,
            "facts": {
                "import_history_start": profile.import_history_start if profile else None,
                "has_cbp_debt": profile.has_cbp_debt if profile else None,
                "is_non_resident_canadian": bool(profile and profile.is_non_resident_canadian),
            },
            "program_opens_on": readiness.inputs["program_opens_on"],
        }
        return Response(ReadinessSerializer(data).data)


# --- Applications --------------------------------------------------------------------------------


def _application_action(summary: str, request=EmptySerializer, description: str = ""):
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses=ApplicationDetailSerializer,
    )


@extend_schema_view(
    list=extend_schema(
        summary="List Trade Compliance applications",
        description="The caller's company's applications; every application for CBP staff "
        "(filter with `status`).",
        parameters=[
            OpenApiParameter(
                "status", str, enum=[c[0] for c in Application._meta.get_field("status").choices]
            )
        ],
    ),
    retrieve=extend_schema(
        summary="Get an application",
        description="With its answers, what is still missing (per step), CBP's rounds of "
        "questions and the timeline.",
        responses=ApplicationDetailSerializer,
    ),
    create=extend_schema(
        summary="Start your company's application (company officer)",
        description="Refused with `not_eligible` (and every reason) when the readiness check "
        "does not allow it, `application_open` when one is open.",
        request=EmptySerializer,
        responses={201: ApplicationDetailSerializer},
    ),
)
class ApplicationViewSet(ApiViewSet):
    """Trade Compliance applications, through the same services as the pages. Documents (the
    code of conduct, evidence of implementation, response documents) are multipart/form-data
    uploads; every other body is JSON."""

    http_method_names = ["get", "post", "delete", "head", "options"]
    serializer_class = ApplicationSerializer

    def get_queryset(self):
        if self.is_schema_generation():
            return Application.objects.none()
        qs = selectors.application_list(viewer=self.request.user).prefetch_related(
            _Prefetch("ior_numbers")
        )
        # A ``status`` given is one of the statuses (an empty one too is refused, as the schema
        # says); leaving the parameter out lists every status.
        wanted = self.request.query_params.get("status")
        if wanted is not None:
            if wanted not in dict(Application._meta.get_field("status").choices):
                raise DomainError(
                    f"Unknown status {wanted!r}.", code="invalid", fields={"status": ["Unknown."]}
                )
            qs = qs.filter(status=wanted)
        return qs

    def _detail(self, application, status: int = 200) -> Response:
        application.refresh_from_db()
        application = selectors.application_get(
            viewer=self.request.user, public_id=application.public_id
        )
        application.answers_list = sorted(
            selectors.application_answers(application).values(), key=lambda a: a.code
        )
        application.missing_list = selectors.application_missing(application)
        application.rounds_list = list(selectors.application_information_requests(application))
        application.timeline_list = list(selectors.application_timeline(application))
        return Response(ApplicationDetailSerializer(application).data, status=status)

    def _get(self, public_id: str):
        return selectors.application_get(viewer=self.request.user, public_id=public_id)

    def list(self, request):
        return self.paginated(self.get_queryset())

    def retrieve(self, request, public_id: str):
        return self._detail(self._get(public_id))

    def create(self, request):
        self.validated(EmptySerializer)
        partner = partner_selectors.partner_for_user(request.user)
        if partner is None or not roles.has_perm(request.user, "tradecompliance.application_start"):
            raise PermissionDeniedError(
                "Only a company officer launches a Trade Compliance application."
            )
        application = services.application_start(actor=request.user, partner=partner)
        return self._detail(application, status=http_status.HTTP_201_CREATED)

    @_application_action(
        "Save answers (a draft saves at any step)",
        AnswersSaveSerializer,
        "Unknown codes, wrong types and a public address that is not https are refused with "
        "`invalid_answers`; nothing is saved unless every value is acceptable.",
    )
    @action(detail=True, methods=["post"])
    def answers(self, request, public_id: str):
        application = self._get(public_id)
        data = self.validated(AnswersSaveSerializer)
        services.application_answers_save(
            actor=request.user,
            application=application,
            answers=data["answers"],
            public_urls=data["public_urls"],
        )
        return self._detail(application)

    @_application_action("Choose the Importer of Record numbers", IorSelectSerializer)
    @action(detail=True, methods=["post"])
    def iors(self, request, public_id: str):
        application = self._get(public_id)
        data = self.validated(IorSelectSerializer)
        services.application_iors_select(
            actor=request.user, application=application, ior_numbers=data["ior_numbers"]
        )
        return self._detail(application)

    @_application_action("Sign the MOU (company officer)", SignMouSerializer)
    @action(detail=True, methods=["post"], url_path="sign-mou")
    def sign_mou(self, request, public_id: str):
        application = self._get(public_id)
        data = self.validated(SignMouSerializer)
        services.application_sign_mou(
            actor=request.user,
            application=application,
            signer_name=data["signer_name"],
            acknowledged=data["acknowledged"],
        )
        return self._detail(application)

    @_application_action(
        "Submit the application (company officer)",
        description="`incomplete` lists what is missing per step in `fields`; a second "
        "submission is a 409 `already_submitted`.",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, public_id: str):
        application = self._get(public_id)
        self.validated(EmptySerializer)
        services.application_submit(actor=request.user, application=application)
        return self._detail(application)

    @_application_action(
        "Assign a National Account Manager",
        AssignSerializer,
        "A CBP program admin assigns any NAM; a NAM takes it up (leave `nam` out).",
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, public_id: str):
        application = self._get(public_id)
        data = self.validated(AssignSerializer)
        nam = request.user
        if data.get("nam"):
            nam = User.objects.filter(public_id=data["nam"]).first()
            if nam is None:
                raise DomainError(
                    "No such user.", code="invalid", fields={"nam": ["No such user."]}
                )
        services.application_assign(actor=request.user, application=application, nam=nam)
        return self._detail(application)

    @_application_action("Ask the company for more information", QuestionsSerializer)
    @action(detail=True, methods=["post"], url_path="request-information")
    def request_information(self, request, public_id: str):
        application = self._get(public_id)
        data = self.validated(QuestionsSerializer)
        services.application_request_information(
            actor=request.user, application=application, questions=data["questions"]
        )
        return self._detail(application)

    @_application_action(
        "Answer CBP's open questions",
        {
            "application/json": ResponseSerializer,
            "multipart/form-data": ResponseWithDocumentsSerializer,
        },
        "JSON for a written answer; multipart/form-data to send documents with it (field "
        "`documents`, repeated). A refused file refuses the whole response: nothing is sent.",
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, *UPLOAD_PARSERS])
    def respond(self, request, public_id: str):
        application = self._get(public_id)
        multipart = request.content_type.lower().startswith("multipart/form-data")
        data = self.validated(ResponseWithDocumentsSerializer if multipart else ResponseSerializer)
        try:
            services.application_respond(
                actor=request.user,
                application=application,
                response=data["response"],
                files=data.get("documents", []),
            )
        except DomainError as exc:
            if "file" not in exc.fields:
                raise
            # The upload checks name their field "file"; here the files came as "documents".
            raise DomainError(
                exc.message, code=exc.code, fields={"documents": exc.fields["file"]}
            ) from exc
        return self._detail(application)

    @extend_schema(
        methods=["GET"],
        summary="List an application's documents",
        description="Question documents and those sent with responses, oldest first, paginated. "
        "Each has a `download_url`.",
        responses=ApplicationDocumentSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Upload a document for a document question",
        description="multipart/form-data with `code` (a document question such as FL-CODE) and "
        "`file`. The type is checked by extension and by content, the size against "
        "CTPAT_EVIDENCE_MAX_BYTES, and the virus-scan hook runs; a refusal is a 400 with the "
        "reason under `fields.file` and nothing stored. The company's own users, while the "
        "application is theirs to edit (409 otherwise).",
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: ApplicationDocumentSerializer},
    )
    @action(detail=True, methods=["get", "post"], parser_classes=UPLOAD_PARSERS)
    def documents(self, request, public_id: str):
        application = self._get(public_id)
        context = self.get_serializer_context()
        if request.method == "GET":
            page = self.paginate_queryset(selectors.application_documents(application))
            data = ApplicationDocumentSerializer(page, many=True, context=context).data
            return self.get_paginated_response(data)
        if not services.can_edit_application(request.user, application):
            raise PermissionDeniedError("Only the company's own users fill in its application.")
        data = self.validated(DocumentUploadSerializer)
        document = services.application_document_upload(
            actor=request.user,
            application=application,
            code=data["code"],
            uploaded_file=data["file"],
        )
        return Response(
            ApplicationDocumentSerializer(document, context=context).data,
            status=http_status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Download an application document",
        description="The file as an attachment, with the content type of its detected type.",
        responses=file_download_responses(),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=rf"documents/(?P<document_id>{PUBLIC_ID_REGEX})/download",
        url_name="document-download",
        file_download=True,
    )
    def document_download(self, request, public_id: str, document_id: str):
        application = self._get(public_id)
        document = selectors.application_document_get(
            viewer=request.user, application=application, public_id=document_id
        )
        return uploads.download_response(
            document.file, filename=document.original_name, detected=document.file_type
        )

    @extend_schema(
        summary="Remove a document from a draft",
        description="Question documents only: documents sent with a response stay on file "
        "(409 `not_removable`).",
        request=None,
        responses={204: None},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=rf"documents/(?P<document_id>{PUBLIC_ID_REGEX})",
        url_name="document",
    )
    def document_remove(self, request, public_id: str, document_id: str):
        application = self._get(public_id)
        document = selectors.application_document_get(
            viewer=request.user, application=application, public_id=document_id
        )
        services.application_document_remove(actor=request.user, document=document)
        return Response(status=http_status.HTTP_204_NO_CONTENT)

    @_application_action(
        "Approve (grants the Trade Compliance membership)", ApplicationReasonSerializer
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, public_id: str):
        application = self._get(public_id)
        data = self.validated(ApplicationReasonSerializer)
        services.application_approve(
            actor=request.user, application=application, notes=data["reason"]
        )
        return self._detail(application)

    @_application_action("Deny, with the reasons", ApplicationReasonSerializer)
    @action(detail=True, methods=["post"])
    def deny(self, request, public_id: str):
        application = self._get(public_id)
        data = self.validated(ApplicationReasonSerializer)
        services.application_deny(
            actor=request.user, application=application, reason=data["reason"]
        )
        return self._detail(application)

    @_application_action("Withdraw (company officer)", ApplicationReasonSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, public_id: str):
        application = self._get(public_id)
        data = self.validated(ApplicationReasonSerializer)
        services.application_withdraw(
            actor=request.user, application=application, reason=data["reason"]
        )
        return self._detail(application)

    @_application_action("Move to the current questionnaire version", ApplicationReasonSerializer)
    @action(detail=True, methods=["post"])
    def upgrade(self, request, public_id: str):
        application = self._get(public_id)
        data = self.validated(ApplicationReasonSerializer)
        services.application_request_questionnaire_upgrade(
            actor=request.user, application=application, reason=data["reason"]
        )
        return self._detail(application)


# --- Forced-labor obligation of existing members -------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List forced-labor obligations of existing Trade Compliance members",
        description="Members accepted before the cut-off (CTPAT_TC_FORCED_LABOR_CUTOFF) owe the "
        "forced-labor requirements by the deadline (CTPAT_TC_FORCED_LABOR_DEADLINE). The "
        "company's own users see their own; CBP staff see all. `status` filters by met, open "
        "or overdue.",
        parameters=[
            OpenApiParameter("status", str, enum=["met", "open", "overdue"], required=False)
        ],
    ),
    retrieve=extend_schema(summary="Get a forced-labor obligation with its documents"),
)
class ForcedLaborObligationViewSet(ApiViewSet):
    """The pages' forced-labor obligation, through the same services: the member's officer
    submits (multipart/form-data), a NAM or program admin decides (JSON)."""

    http_method_names = ["get", "post", "head", "options"]
    serializer_class = ForcedLaborObligationSerializer

    def get_queryset(self):
        from django.utils import timezone

        from ctpat.tradecompliance.models import ForcedLaborObligation

        if self.is_schema_generation():
            return ForcedLaborObligation.objects.none()
        qs = selectors.forced_labor_obligation_list(viewer=self.request.user)
        wanted = self.request.query_params.get("status")
        if wanted is not None:
            if wanted not in ("met", "open", "overdue"):
                raise DomainError(
                    f"Unknown status {wanted!r}: use met, open or overdue.",
                    code="invalid",
                    fields={"status": ["Use met, open or overdue."]},
                )
            memberships = selectors.forced_labor_filter(
                TradeComplianceMembership.objects.all(), wanted, today=timezone.localdate()
            )
            qs = qs.filter(membership__in=memberships)
        return qs

    def _get(self, public_id: str):
        return selectors.forced_labor_obligation_get(viewer=self.request.user, public_id=public_id)

    def _detail(self, obligation) -> Response:
        obligation = self._get(obligation.public_id)
        context = self.get_serializer_context()
        return Response(ForcedLaborObligationSerializer(obligation, context=context).data)

    def list(self, request):
        return self.paginated(self.get_queryset())

    def retrieve(self, request, public_id: str):
        return self._detail(self._get(public_id))

    @extend_schema(
        summary="Submit the forced-labor evidence (company officer)",
        description="multipart/form-data: `statement` (required), `code_of_conduct_url` "
        "(optional, https), files under `fl_code` and `fl_evidence` (repeat for several). After "
        "it the obligation must hold at least one of each, counting earlier uploads; every "
        "problem is reported at once (400 `incomplete`) and nothing is stored. 409 `not_open` "
        "while CBP has it or once met.",
        request={"multipart/form-data": ForcedLaborSubmitSerializer},
        responses={200: ForcedLaborObligationSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=UPLOAD_PARSERS)
    def submit(self, request, public_id: str):
        obligation = self._get(public_id)
        data = self.validated(ForcedLaborSubmitSerializer)
        try:
            services.forced_labor_submit(
                actor=request.user,
                obligation=obligation,
                statement=data["statement"],
                code_of_conduct_url=data["code_of_conduct_url"],
                files={"FL-CODE": data["fl_code"], "FL-EVIDENCE": data["fl_evidence"]},
            )
        except DomainError as exc:
            # The API names the file fields fl_code / fl_evidence.
            renamed = {"FL-CODE": "fl_code", "FL-EVIDENCE": "fl_evidence"}
            fields = {renamed.get(k, k): v for k, v in (exc.fields or {}).items()}
            raise type(exc)(exc.message, code=exc.code, fields=fields) from exc
        return self._detail(obligation)

    @extend_schema(
        summary="Decide on the forced-labor requirements (NAM or program admin)",
        description="`decision` met or return; `note` is required to return a submission, or to "
        "mark an obligation met that the company has not submitted.",
        request=ForcedLaborDecideSerializer,
        responses={200: ForcedLaborObligationSerializer},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, public_id: str):
        obligation = self._get(public_id)
        data = self.validated(ForcedLaborDecideSerializer)
        services.forced_labor_decide(
            actor=request.user,
            obligation=obligation,
            met=data["decision"] == "met",
            note=data["note"],
        )
        return self._detail(obligation)

    @extend_schema(
        summary="Download a forced-labor document",
        description="The file as an attachment, with the content type of its detected type.",
        responses=file_download_responses(),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=rf"documents/(?P<document_id>{PUBLIC_ID_REGEX})/download",
        url_name="document-download",
        file_download=True,
    )
    def document_download(self, request, public_id: str, document_id: str):
        obligation = self._get(public_id)
        document = selectors.forced_labor_document_get(
            viewer=request.user, obligation=obligation, public_id=document_id
        )
        return uploads.download_response(
            document.file, filename=document.original_name, detected=document.file_type
        )

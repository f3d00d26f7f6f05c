"""Trade Compliance API: the public question set, and the caller's company's readiness.

The question set is readable without credentials (the seed FAQ: every application question is
published before anyone applies), so those views allow anonymous callers, throttled. Readiness
is the caller's own company's, through the same selectors as the pages.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from ctpat.accounts import roles
from ctpat.core.api.views import ApiView, ApiViewSet
from ctpat.core.errors import NotFoundError, PermissionDeniedError
from ctpat.partners import selectors as partner_selectors
from ctpat.tradecompliance import selectors
from ctpat.tradecompliance.models import QuestionnaireVersion

from .serializers import (
    QuestionnaireVersionDetailSerializer,
    QuestionnaireVersionSerializer,
    ReadinessSerializer,
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

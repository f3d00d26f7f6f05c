from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register(
    "tc-questionnaires", views.QuestionnaireVersionViewSet, basename="api-tc-questionnaire"
)
router.register("tc-applications", views.ApplicationViewSet, basename="api-tc-application")
router.register(
    "tc-forced-labor-obligations",
    views.ForcedLaborObligationViewSet,
    basename="api-tc-forced-labor-obligation",
)

urlpatterns = [
    *router.urls,
    path("tc-readiness/", views.ReadinessView.as_view(), name="api-tc-readiness"),
]

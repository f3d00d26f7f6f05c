from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("suspension-cases", views.SuspensionCaseViewSet, basename="api-suspension-case")
router.register(
    "immediate-removals", views.ImmediateRemovalViewSet, basename="api-immediate-removal"
)
router.register("appeals", views.AppealViewSet, basename="api-appeal")
router.register(
    "enforcement-documents", views.EnforcementDocumentViewSet, basename="api-enforcement-document"
)

urlpatterns = [*router.urls]

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("anl-letters", views.LetterViewSet, basename="api-anl-letter")
router.register("anl-schedules", views.ScheduleViewSet, basename="api-anl-schedule")
router.register("anl-pilot-imports", views.PilotImportViewSet, basename="api-anl-pilot-import")

urlpatterns = [*router.urls]

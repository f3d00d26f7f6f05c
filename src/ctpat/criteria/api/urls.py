from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("criteria", views.CriterionViewSet, basename="api-criterion")
router.register("criteria-versions", views.CriteriaVersionViewSet, basename="api-criteria-version")

urlpatterns = router.urls

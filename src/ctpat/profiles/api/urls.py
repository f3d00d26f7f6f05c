from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("security-profiles", views.SecurityProfileViewSet, basename="api-security-profile")

urlpatterns = [*router.urls]

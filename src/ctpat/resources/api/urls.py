from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("resources", views.ResourceViewSet, basename="api-resource")
router.register("resource-shares", views.ResourceShareViewSet, basename="api-resource-share")

urlpatterns = router.urls

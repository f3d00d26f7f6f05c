from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("partners", views.PartnerViewSet, basename="partner")
router.register("identifiers", views.IdentifierViewSet, basename="identifier")
router.register("svi-connections", views.SVIConnectionViewSet, basename="svi-connection")
router.register("svi-directory", views.SVIDirectoryViewSet, basename="svi-directory")

urlpatterns = router.urls

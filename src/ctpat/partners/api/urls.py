from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("partners", views.PartnerViewSet, basename="api-partner")
router.register("identifiers", views.IdentifierViewSet, basename="api-identifier")
router.register("svi-connections", views.SVIConnectionViewSet, basename="api-svi-connection")
router.register("svi-directory", views.SVIDirectoryViewSet, basename="api-svi-directory")
router.register(
    "country-invitations", views.CountryInvitationViewSet, basename="api-country-invitation"
)

urlpatterns = router.urls

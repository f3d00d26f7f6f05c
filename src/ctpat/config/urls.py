from django.contrib import admin
from django.urls import include, path

from ctpat.core.admin_site import restrict_admin_to_cbp_admins

restrict_admin_to_cbp_admins(admin.site)

urlpatterns = [
    path("", include("ctpat.dashboard.urls")),
    path("accounts/", include("ctpat.accounts.urls")),
    path("partners/", include("ctpat.partners.urls")),
    path("criteria/", include("ctpat.criteria.urls")),
    path("audit/", include("ctpat.core.urls")),
    path("notifications/", include("ctpat.notifications.urls")),
    path("trade-compliance/", include("ctpat.tradecompliance.urls")),
    path("security-profile/", include("ctpat.profiles.urls")),
    path("annual-notifications/", include("ctpat.annualnotices.urls")),
    path("resources/", include("ctpat.resources.urls")),
    path("enforcement/", include("ctpat.enforcement.urls")),
    path("api/", include("ctpat.config.api_urls")),
    path("admin/", admin.site.urls),
]

handler400 = "ctpat.core.views.error_400"
handler403 = "ctpat.core.views.error_403"
handler404 = "ctpat.core.views.error_404"
handler500 = "ctpat.core.views.error_500"

"""Everything under /api/: the REST API, its OpenAPI schema and Swagger UI.

URL names are global and start with ``api-`` (``api-schema``, ``api-docs``,
``api-partner-detail``, ...), so ``reverse("api-docs")`` works from any app.
"""

from django.urls import include, path, re_path

from ctpat.core.api.views import api_not_found

urlpatterns = [
    path("", include("ctpat.partners.api.urls")),
    path("", include("ctpat.criteria.api.urls")),
    path("", include("ctpat.accounts.api.urls")),
    path("", include("ctpat.core.api.urls")),
    path("", include("ctpat.notifications.api.urls")),
    path("", include("ctpat.tradecompliance.api.urls")),
    path("", include("ctpat.profiles.api.urls")),
    path("", include("ctpat.annualnotices.api.urls")),
    path("", include("ctpat.resources.api.urls")),
    path("", include("ctpat.enforcement.api.urls")),
    # Last: any other /api/ URL is a JSON 404, not the HTML error page.
    re_path(r"^[\s\S]*$", api_not_found),
]

from django.urls import path

from . import views

app_name = "tradecompliance"

urlpatterns = [
    # Public: readable without logging in.
    path("questions/", views.preview, name="preview"),
    # Before <version_id>/ so that "publish" is never read as a version id.
    path("questions/publish/", views.questionnaire_publish, name="publish"),
    path("questions/<str:version_id>/", views.preview_version, name="preview_version"),
    # Signed in: the partner's own readiness, or any partner's for CBP staff.
    path("readiness/", views.readiness, name="readiness"),
    path("readiness/<str:partner_id>/", views.readiness_partner, name="readiness_partner"),
    path("readiness/<str:partner_id>/answers/", views.readiness_answers, name="readiness_answers"),
    path("readiness/<str:partner_id>/profile/", views.readiness_profile, name="readiness_profile"),
]

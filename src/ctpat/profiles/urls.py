from django.urls import path

from . import views

app_name = "profiles"

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("review/", views.review_queue, name="queue"),
    path("<str:profile_id>/", views.detail, name="detail"),
    path("<str:profile_id>/category/<int:category>/", views.category, name="category"),
    path(
        "<str:profile_id>/category/<int:category>/confirm/",
        views.category_confirm,
        name="category_confirm",
    ),
    path("<str:profile_id>/answer/", views.answer_save, name="answer_save"),
    # Multipart uploads here may exceed CTPAT_MAX_REQUEST_BYTES (CTPAT_UPLOAD_URL_PATTERNS).
    path("<str:profile_id>/evidence/", views.evidence, name="evidence"),
    path(
        "<str:profile_id>/evidence/<str:evidence_id>/",
        views.evidence_download,
        name="evidence_download",
    ),
    path("<str:profile_id>/submit/", views.submit, name="submit"),
    path("<str:profile_id>/decide/", views.decide, name="decide"),
    path("<str:profile_id>/annual-review/", views.annual_review, name="annual_review"),
    path(
        "<str:profile_id>/annual-review/confirm/",
        views.annual_review_confirm,
        name="annual_review_confirm",
    ),
    path("<str:profile_id>/history/", views.history, name="history"),
]

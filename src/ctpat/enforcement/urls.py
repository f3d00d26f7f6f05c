from django.urls import path

from . import views

app_name = "enforcement"

urlpatterns = [
    path("", views.home, name="home"),
    path("partners/<str:partner_id>/suspend/", views.suspend, name="suspend"),
    path("partners/<str:partner_id>/remove/", views.remove_immediately, name="remove"),
    path("suspensions/<str:case_id>/", views.case_detail, name="case_detail"),
    path("suspensions/<str:case_id>/answer/", views.case_answer, name="case_answer"),
    path("suspensions/<str:case_id>/decide/", views.case_decide, name="case_decide"),
    path("appeals/file/<str:partner_id>/", views.appeal_file, name="appeal_file"),
    path("appeals/<str:appeal_id>/", views.appeal_detail, name="appeal_detail"),
    path("appeals/<str:appeal_id>/decide/", views.appeal_decide, name="appeal_decide"),
    path(
        "documents/<str:enforcement_document_id>/",
        views.document_download,
        name="document_download",
    ),
]

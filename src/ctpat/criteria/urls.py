from django.urls import path

from . import views

app_name = "criteria"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("versions/", views.version_list, name="versions"),
    path("versions/new/", views.version_create, name="version_create"),
    path("versions/<str:version_id>/", views.version_detail, name="version_detail"),
    path("versions/<str:version_id>/publish/", views.version_publish, name="version_publish"),
    path("versions/<str:version_id>/discard/", views.version_discard, name="version_discard"),
    path("versions/<str:version_id>/criteria/new/", views.criterion_add, name="criterion_add"),
    path("versions/<str:version_id>/tables/upload/", views.table_upload, name="table_upload"),
    path(
        "versions/<str:version_id>/criteria/<str:criterion_id>/",
        views.criterion_edit,
        name="criterion_edit",
    ),
    path(
        "versions/<str:version_id>/criteria/<str:criterion_id>/requirement/",
        views.criterion_requirement,
        name="criterion_requirement",
    ),
    path(
        "versions/<str:version_id>/criteria/<str:criterion_id>/remove/",
        views.criterion_remove,
        name="criterion_remove",
    ),
]

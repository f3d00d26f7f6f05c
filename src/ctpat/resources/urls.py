from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path("", views.resource_list, name="list"),
    path("new/", views.resource_create, name="create"),
    path("<str:resource_id>/", views.resource_detail, name="detail"),
    path("<str:resource_id>/edit/", views.resource_edit, name="edit"),
    path("<str:resource_id>/publish/", views.resource_publish, name="publish"),
    path("<str:resource_id>/retire/", views.resource_retire, name="retire"),
    path("<str:resource_id>/share/", views.resource_share, name="share"),
    path("<str:resource_id>/revisions/", views.resource_revisions, name="revisions"),
    path(
        "<str:resource_id>/revisions/<int:revision_number>/",
        views.revision_detail,
        name="revision",
    ),
]

from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.audit_log, name="audit_log"),
    path("events/<str:event_id>/", views.event_detail, name="event_detail"),
]

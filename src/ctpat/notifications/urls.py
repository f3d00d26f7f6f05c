from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.notification_mark_all_read, name="mark_all_read"),
    # Before <notification_id>/ so that "outbox" is never read as a notification id.
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<str:email_id>/", views.outbox_detail, name="outbox_detail"),
    path("outbox/<str:email_id>/requeue/", views.outbox_requeue, name="outbox_requeue"),
    path("<str:notification_id>/open/", views.notification_open, name="open"),
    path("<str:notification_id>/read/", views.notification_mark_read, name="mark_read"),
    path("<str:notification_id>/unread/", views.notification_mark_unread, name="mark_unread"),
]

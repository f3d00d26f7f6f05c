from django.urls import path

from . import invitation_views, svi_views, views

app_name = "partners"

urlpatterns = [
    path("", views.partner_list, name="list"),
    path("new/", views.partner_create, name="create"),
    path(
        "new/identifier-fields/",
        views.partner_create_identifier_fields,
        name="create_identifier_fields",
    ),
    # Before <partner_id>/ so that "svi" is never read as an account number.
    path("svi/", svi_views.svi, name="svi"),
    path("svi/search/", svi_views.svi_search, name="svi_search"),
    path("svi/request/", svi_views.svi_request, name="svi_request"),
    path("svi/request-by-number/", svi_views.svi_request_by_number, name="svi_request_by_number"),
    path("invitations/", invitation_views.invitations, name="invitations"),
    path(
        "invitations/<str:invitation_id>/",
        invitation_views.invitation_detail,
        name="invitation_detail",
    ),
    path(
        "invitations/<str:invitation_id>/withdraw/",
        invitation_views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("svi/settings/", svi_views.svi_settings, name="svi_settings"),
    path(
        "svi/certification-requests/",
        svi_views.certification_request,
        name="certification_request",
    ),
    path("svi/<str:connection_id>/accept/", svi_views.svi_accept, name="svi_accept"),
    path("svi/<str:connection_id>/reject/", svi_views.svi_reject, name="svi_reject"),
    path("svi/<str:connection_id>/cancel/", svi_views.svi_cancel, name="svi_cancel"),
    path("svi/<str:connection_id>/disconnect/", svi_views.svi_disconnect, name="svi_disconnect"),
    path("<str:partner_id>/", views.partner_detail, name="detail"),
    path("<str:partner_id>/edit/", views.partner_edit, name="edit"),
    path("<str:partner_id>/identifiers/", views.partner_identifiers, name="identifiers"),
    path(
        "<str:partner_id>/identifiers/<str:identifier_id>/deactivate/",
        views.identifier_deactivate,
        name="identifier_deactivate",
    ),
    path("<str:partner_id>/status/", views.partner_status_history, name="status_history"),
    path("<str:partner_id>/svi/", views.partner_svi_connections, name="svi_connections"),
    path("<str:partner_id>/history/", views.partner_history, name="history"),
]

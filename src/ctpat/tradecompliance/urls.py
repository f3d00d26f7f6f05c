from django.urls import path

from . import application_views, forced_labor_views, views

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
    path(
        "readiness/<str:partner_id>/profile/dispute/",
        views.readiness_profile_dispute,
        name="readiness_profile_dispute",
    ),
    path(
        "readiness/<str:partner_id>/profile/clear-fact/",
        views.readiness_profile_clear_fact,
        name="readiness_profile_clear_fact",
    ),
    # Applications: the company's own, or CBP's queue.
    path("applications/", application_views.application_list, name="applications"),
    # Before <application_id>/ so that "start" is never read as an application id.
    path("applications/start/", application_views.application_start, name="application_start"),
    path(
        "applications/<str:application_id>/",
        application_views.application_detail,
        name="application_detail",
    ),
    path(
        "applications/<str:application_id>/steps/<str:step>/",
        application_views.application_step,
        name="application_step",
    ),
    # Upload URLs: covered by CTPAT_UPLOAD_URL_PATTERNS (the larger request-size limit).
    path(
        "applications/<str:application_id>/documents/",
        application_views.application_document_upload,
        name="application_document_upload",
    ),
    path(
        "applications/<str:application_id>/documents/<str:document_id>/",
        application_views.application_document,
        name="application_document",
    ),
    path(
        "applications/<str:application_id>/documents/<str:document_id>/remove/",
        application_views.application_document_remove,
        name="application_document_remove",
    ),
    path(
        "applications/<str:application_id>/reuse/",
        application_views.application_reuse,
        name="application_reuse",
    ),
    path(
        "applications/<str:application_id>/submit/",
        application_views.application_submit,
        name="application_submit",
    ),
    path(
        "applications/<str:application_id>/withdraw/",
        application_views.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "applications/<str:application_id>/assign/",
        application_views.application_assign,
        name="application_assign",
    ),
    path(
        "applications/<str:application_id>/request-information/",
        application_views.application_request_information,
        name="application_request_information",
    ),
    path(
        "applications/<str:application_id>/respond/",
        application_views.application_respond,
        name="application_respond",
    ),
    path(
        "applications/<str:application_id>/approve/",
        application_views.application_approve,
        name="application_approve",
    ),
    path(
        "applications/<str:application_id>/deny/",
        application_views.application_deny,
        name="application_deny",
    ),
    path(
        "applications/<str:application_id>/upgrade/",
        application_views.application_upgrade,
        name="application_upgrade",
    ),
    path("reuse/<str:partner_id>/", application_views.reuse_report, name="reuse_report"),
    # Forced-labor obligation of existing members (submit is an upload URL).
    path("forced-labor/<str:obligation_id>/", forced_labor_views.forced_labor, name="forced_labor"),
    path(
        "forced-labor/<str:obligation_id>/submit/",
        forced_labor_views.forced_labor_submit,
        name="forced_labor_submit",
    ),
    path(
        "forced-labor/<str:obligation_id>/decide/",
        forced_labor_views.forced_labor_decide,
        name="forced_labor_decide",
    ),
    path(
        "forced-labor/<str:obligation_id>/documents/<str:fl_document_id>/",
        forced_labor_views.forced_labor_document,
        name="forced_labor_document",
    ),
]

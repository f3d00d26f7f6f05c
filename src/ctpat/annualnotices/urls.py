from django.urls import path

from . import views

app_name = "annualnotices"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("mine/", views.mine, name="mine"),
    path("mine/letter/", views.file, name="file"),
    path("members/<str:membership_id>/", views.membership, name="membership"),
    path("letters/<str:letter_id>/", views.letter, name="letter"),
    path(
        "letters/<str:letter_id>/acknowledge/", views.letter_acknowledge, name="letter_acknowledge"
    ),
    path("letters/<str:letter_id>/return/", views.letter_return, name="letter_return"),
    path("pilot-imports/", views.pilot_imports, name="pilot_imports"),
    path("pilot-imports/<str:import_id>/", views.pilot_import, name="pilot_import"),
    path(
        "pilot-imports/<str:import_id>/errors.csv",
        views.pilot_import_errors,
        name="pilot_import_errors",
    ),
]

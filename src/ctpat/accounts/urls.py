"""Sign-in pages keep plain names (login, logout, two_factor_*); the rest are accounts:*."""

from django.urls import include, path

from . import views

account_patterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<str:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("", include((account_patterns, "accounts"))),
]

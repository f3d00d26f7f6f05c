"""Sign-in pages keep plain names (login, logout, two_factor_*); the rest are accounts:*."""

from django.urls import include, path

from . import views

account_patterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<str:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("users/", views.user_list, name="users"),
    path("users/<str:user_id>/", views.user_detail, name="user_detail"),
    path("users/<str:user_id>/revoke-tokens/", views.user_tokens_revoke, name="user_tokens_revoke"),
    path("users/<str:user_id>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<str:user_id>/reactivate/", views.user_reactivate, name="user_reactivate"),
]

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("", include((account_patterns, "accounts"))),
]

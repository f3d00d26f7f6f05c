from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ctpat.accounts"
    label = "accounts"
    verbose_name = "Organizations, people and roles"

    def ready(self) -> None:
        # Core asks "may this user …?" without importing accounts: the roles table answers.
        from ctpat.core import permissions

        from . import roles

        permissions.use_policy(roles)

from importlib import import_module

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ctpat.core"
    label = "core"
    verbose_name = "Core: audit trail"

    def ready(self) -> None:
        # Importing the module registers ctpat's system checks.
        import_module("ctpat.core.checks")

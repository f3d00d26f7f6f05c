from importlib import import_module

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ctpat.core"
    label = "core"
    verbose_name = "Core: audit trail"

    def ready(self) -> None:
        # Importing the module registers ctpat's system checks.
        import_module("ctpat.core.checks")
        # Every app's audit-event labels (<app>/audit_labels.py), loaded once.
        from .audit_labels import load_app_labels

        load_app_labels()

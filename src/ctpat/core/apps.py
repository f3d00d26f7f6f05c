from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ctpat.core"
    label = "core"
    verbose_name = "Core: audit trail"

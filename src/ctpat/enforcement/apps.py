from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "ctpat.enforcement"
    verbose_name = "Suspensions and appeals"

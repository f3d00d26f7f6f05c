from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "ctpat.dashboard"
    verbose_name = "Dashboard"

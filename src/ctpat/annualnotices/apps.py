from django.apps import AppConfig


class AnnualnoticesConfig(AppConfig):
    name = "ctpat.annualnotices"
    label = "annualnotices"
    verbose_name = "Annual Notifications"

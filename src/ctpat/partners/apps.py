from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "ctpat.partners"
    label = "partners"
    verbose_name = "Partner registry"

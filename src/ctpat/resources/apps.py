from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "ctpat.resources"
    label = "resources"
    verbose_name = "Resources library"

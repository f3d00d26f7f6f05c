from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "ctpat.profiles"
    label = "profiles"
    verbose_name = "Security profiles"

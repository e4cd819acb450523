from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "marm.sharing"
    label = "sharing"
    verbose_name = "Information sharing"

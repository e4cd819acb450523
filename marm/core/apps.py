from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "marm.core"
    label = "core"

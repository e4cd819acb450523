from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "marm.access"
    label = "access"

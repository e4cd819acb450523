from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "marm.administration"
    label = "administration"
    verbose_name = "Administration"

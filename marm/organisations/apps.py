from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "marm.organisations"
    label = "organisations"
    verbose_name = "Agencies and teams"

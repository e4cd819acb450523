from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "marm.people"
    label = "people"

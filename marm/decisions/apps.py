from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "marm.decisions"
    label = "decisions"
    verbose_name = "Defensible decisions"

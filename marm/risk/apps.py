from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "marm.risk"
    label = "risk"
    verbose_name = "Risk assessment and mental capacity"

    def ready(self):
        from marm.risk import panels

        panels.register()

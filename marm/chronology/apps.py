from django.apps import AppConfig


class ChronologyConfig(AppConfig):
    name = "marm.chronology"
    label = "chronology"
    verbose_name = "Chronology"

    def ready(self):
        from marm.chronology import panels

        panels.register()

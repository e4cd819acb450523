from django.apps import AppConfig


class SarConfig(AppConfig):
    name = "marm.sar"
    label = "sar"
    verbose_name = "Safeguarding Adults Reviews"

    def ready(self):
        from marm.sar import panels

        panels.register()

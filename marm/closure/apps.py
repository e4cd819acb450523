from django.apps import AppConfig


class ClosureConfig(AppConfig):
    name = "marm.closure"
    label = "closure"
    verbose_name = "Non-engagement, escalation and closure"

    def ready(self):
        from marm.closure import next_steps, panels

        panels.register()
        next_steps.register()

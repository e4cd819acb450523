from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "marm.surveys"
    label = "surveys"
    verbose_name = "Practitioner surveys"

    def ready(self):
        from marm.notifications.sweeps import register_sweep
        from marm.surveys.services import surveys_close_due

        register_sweep("surveys-close", surveys_close_due)

        from marm.surveys import panels

        panels.register()

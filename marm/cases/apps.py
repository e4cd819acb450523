from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "marm.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self):
        from marm.cases import panels

        panels.register()

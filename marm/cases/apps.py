from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "marm.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self):
        from marm.cases import emergency, panels

        panels.register()
        emergency.register()  # emergency access: the lead agency and lead professional (ADR 0026)
        from marm.cases.sweeps import sweep_concerns_waiting
        from marm.notifications.sweeps import register_sweep

        register_sweep("concerns-waiting", sweep_concerns_waiting)

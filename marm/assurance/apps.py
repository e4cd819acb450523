from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "marm.assurance"
    label = "assurance"
    verbose_name = "Assurance from casework"

    def ready(self):
        from marm.assurance import measures  # noqa: F401  (registers the measures)
        from marm.assurance.store import sweep_quarter_figures
        from marm.notifications.sweeps import register_sweep

        register_sweep("assurance-figures", sweep_quarter_figures)

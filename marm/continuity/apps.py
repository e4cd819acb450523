from django.apps import AppConfig


class ContinuityConfig(AppConfig):
    name = "marm.continuity"
    label = "continuity"
    verbose_name = "Outage snapshots"

    def ready(self):
        from marm.continuity import rules  # noqa: F401  (registers the permissions)
        from marm.continuity.services import sweep_outage_snapshots
        from marm.notifications.sweeps import register_sweep

        register_sweep("outage-snapshots", sweep_outage_snapshots)

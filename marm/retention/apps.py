from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "marm.retention"
    label = "retention"
    verbose_name = "Retention and legal hold"

    def ready(self):
        from marm.retention import panels

        panels.register()
        from marm.notifications.sweeps import register_sweep
        from marm.retention.jobs import sweep_retention_due

        register_sweep("retention-due", sweep_retention_due)

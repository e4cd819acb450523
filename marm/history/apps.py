from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HistoryConfig(AppConfig):
    name = "marm.history"
    label = "history"
    verbose_name = "History of changes and rectification"

    def ready(self):
        from marm.audit.services import register_change_hook
        from marm.history import panels, triggers

        register_change_hook(triggers.stamp_changes)
        # The triggers follow the tables: installed again after every migrate, so a new
        # column is recorded and a table SQLite rebuilt keeps its triggers (ADR 0032).
        post_migrate.connect(triggers.install_after_migrate, sender=self, dispatch_uid="marm-history-triggers")
        panels.register()
        from marm.history import rules  # noqa: F401  (registers the named permissions)

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "marm.core"
    label = "core"

    def ready(self):
        # Connects the row-level security scope to every new database connection (ADR 0028).
        from marm.core import row_security  # noqa: F401

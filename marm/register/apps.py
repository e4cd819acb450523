from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "marm.register"
    label = "register"
    verbose_name = "High-risk register and duty desk"

    def ready(self):
        from marm.register import emergency, panels, purpose

        panels.register()
        emergency.register()  # emergency access: the register alert on the minimal record (ADR 0026)
        # A duty officer gives a purpose before any full-record read (ADR 0017, amended).
        purpose.register()
        from marm.notifications.sweeps import register_sweep
        from marm.register import reminders, rules  # noqa: F401  (rules registers the permissions)

        register_sweep("register-reviews-overdue", reminders.sweep_reviews_overdue)
        register_sweep("register-alerts-unacknowledged", reminders.sweep_alerts_unacknowledged)

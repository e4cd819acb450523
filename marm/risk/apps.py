from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "marm.risk"
    label = "risk"
    verbose_name = "Risk assessment and mental capacity"

    def ready(self):
        from marm.risk import panels

        panels.register()
        from marm.risk import next_steps

        next_steps.register()
        from marm.risk import key_action_checks

        key_action_checks.register()
        from marm.notifications.sweeps import register_sweep
        from marm.risk.reminders import sweep_capacity_review_due

        register_sweep("capacity-review-due", sweep_capacity_review_due)

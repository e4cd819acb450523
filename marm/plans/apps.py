from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "marm.plans"
    label = "plans"
    verbose_name = "Plans: actions and contingency"

    def ready(self):
        from marm.plans import next_steps, panels

        next_steps.register()
        panels.register()
        from marm.plans import key_action_checks

        key_action_checks.register()
        from marm.notifications.sweeps import register_sweep
        from marm.plans.reminders import sweep_actions_due

        register_sweep("actions-due", sweep_actions_due)

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "marm.meetings"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self):
        from marm.meetings import panels

        panels.register()
        from marm.meetings import next_steps

        next_steps.register()
        from marm.meetings.reminders import sweep_reviews_due
        from marm.notifications.sweeps import register_sweep

        register_sweep("reviews-due", sweep_reviews_due)

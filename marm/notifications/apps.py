from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "marm.notifications"
    label = "notifications"
    verbose_name = "Notifications and reminders"

    def ready(self):
        from marm.audit.checkpoint import checkpoint_sweep
        from marm.notifications.jobs import jobs_requeue_stale
        from marm.notifications.services import notification_emails_retry
        from marm.notifications.sweeps import register_sweep

        register_sweep("notification-emails", notification_emails_retry)
        register_sweep("jobs-stale", jobs_requeue_stale)
        # The audit app sits below notifications and cannot register its own sweep (ADR 0024).
        register_sweep("audit-checkpoint", checkpoint_sweep)

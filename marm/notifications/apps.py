from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "marm.notifications"
    label = "notifications"
    verbose_name = "Notifications and reminders"

    def ready(self):
        from marm.notifications.services import notification_emails_retry
        from marm.notifications.sweeps import register_sweep

        register_sweep("notification-emails", notification_emails_retry)

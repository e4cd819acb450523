"""Background jobs of the notifications app, run by the database-backed worker."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from marm.notifications.models import Notification


@task()
def notification_email_send(notification_id: str) -> bool:
    """Send one notification's e-mail, once.

    The row is locked and ``emailed_at`` checked and set in one transaction,
    so a job enqueued twice (or retried by the e-mail sweep) sends once. The
    e-mail names no person: it says what happened and links into marm, where
    the reader signs in and the read is checked and audited.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, send_email=True, emailed_at__isnull=True)
            .first()
        )
        if notification is None or not notification.recipient.email:
            return False
        link = (
            f"{settings.MARM_BASE_URL.rstrip('/')}{notification.link}" if notification.link else settings.MARM_BASE_URL
        )
        send_mail(
            subject=f"{settings.MARM_SERVICE_NAME}: {notification.title}",
            message="\n\n".join(
                part
                for part in (notification.title, notification.body, f"Open {settings.MARM_SERVICE_NAME}: {link}")
                if part
            ),
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True

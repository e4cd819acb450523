"""Writes of the notifications app: creating a notification, and reading it."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from marm.audit.models import AuditAction
from marm.audit.services import SystemActor, audit_record
from marm.notifications.models import Notification
from marm.notifications.tasks import notification_email_send

REMINDERS = SystemActor("reminders")

# An e-mail job that has not run after this long (a worker stopped half-way)
# is enqueued again by the e-mail sweep.
EMAIL_RETRY_AFTER = datetime.timedelta(minutes=10)


def notify(
    *,
    recipient,
    kind: str,
    key: str,
    title: str,
    body: str = "",
    link: str = "",
    send_email: bool = True,
    actor=None,
) -> Notification | None:
    """Tell ``recipient`` about the event named by ``key``, once.

    Returns the new notification, or None if this recipient was already told
    of this event (or cannot be told: an inactive account). The e-mail job is
    written in the same transaction, so a notification never lacks its e-mail
    and a rolled-back change sends nothing. Titles and bodies go out by
    e-mail: callers keep names and details of people out of them.
    """
    if not recipient.is_active:
        return None
    with transaction.atomic():
        if Notification.objects.filter(recipient=recipient, key=key).exists():
            return None
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=recipient,
                    kind=kind,
                    key=key,
                    title=title[:200],
                    body=body,
                    link=link,
                    send_email=send_email and bool(recipient.email),
                )
        except IntegrityError:
            # Another sweep told them between the check and the insert.
            return None
        audit_record(
            actor=actor or REMINDERS,
            action=AuditAction.CREATE,
            obj=notification,
            detail={"kind": kind, "key": key, "recipient": str(recipient.pk)},
        )
        if notification.send_email:
            notification_email_send.enqueue(str(notification.pk))
    return notification


def notification_open(*, acting_user, notification: Notification) -> Notification:
    """Mark one of the user's own notifications read (opening it does this)."""
    if notification.recipient_id != acting_user.pk:
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, acting_user) -> int:
    return Notification.objects.filter(recipient=acting_user, read_at__isnull=True).update(read_at=timezone.now())


def notification_emails_retry(now: datetime.datetime) -> int:
    """Enqueue again the e-mails whose job never ran (the sweep ``notification-emails``)."""
    stuck = Notification.objects.filter(
        send_email=True, emailed_at__isnull=True, created_at__lt=now - EMAIL_RETRY_AFTER
    ).values_list("pk", flat=True)
    count = 0
    for pk in stuck.iterator():
        notification_email_send.enqueue(str(pk))
        count += 1
    return count

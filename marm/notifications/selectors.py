"""Reads of the notifications app: a user only ever reads their own."""

from marm.notifications.models import Notification


def notifications_for(*, user, unread_only: bool = False, limit: int = 200) -> list[Notification]:
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return list(qs.order_by("-created_at")[:limit])


def notification_for(*, user, notification_id) -> Notification:
    """One of the user's notifications; anyone else's raises DoesNotExist (a 404)."""
    return Notification.objects.get(recipient=user, pk=notification_id)


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

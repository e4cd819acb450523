"""Notifications: what marm tells a person without their having to look.

An infrastructure app: it knows users, not cases. Domain apps call
``notify`` with a key that names the event (``"action-overdue:<id>:<date>"``);
the key is unique per recipient, so a sweep that runs twice, or a job that
is retried after a crash, notifies once.
"""

import uuid

from django.conf import settings
from django.db import models


class Notification(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # A short code of the event (e.g. "action_overdue"), set by the app that notifies.
    kind = models.CharField(max_length=50)
    key = models.CharField(max_length=200, help_text="Names the event; unique per recipient.")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True, help_text="A path inside marm.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    send_email = models.BooleanField(default=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_recipient_and_event"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["send_email", "emailed_at"], name="notification_email_due"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

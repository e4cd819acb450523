"""Personal API tokens (ADR 0034).

A token is made by its user, after their second factor, for a purpose they name; it carries
scopes and an expiry. marm keeps only a hash of the secret and the prefix that tells tokens
apart; the whole token is shown once, when it is made.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Scope(models.TextChoices):
    READ = "read", "Read: search and read people, cases, chronologies, actions, meetings, the register, the duty desk"
    WRITE = "write", "Write: add to the chronology"
    BOARD = "board", "Board: the board's measures (figures only)"


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField("what the token is for", max_length=100)
    # Shown in lists and sent as the first part of the token: it finds the row, the hash proves it.
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What a request through the token keeps for the next, as a browser's session does: so far only
    # the purposes a duty officer gave for full-record reads (marm/api/kept.py, ADR 0034).
    kept = models.JSONField(default=dict, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix})"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "Revoked"
        return "Active" if self.is_usable() else "Expired"

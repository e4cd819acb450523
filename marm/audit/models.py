from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    EXPORT = "export", "Exported"
    DENIED = "denied", "Access refused"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_OUT = "sign_out", "Signed out"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in refused"
    # Administration and credentials: who did it to whom, with before and after in detail.
    GRANT = "grant", "Access granted"
    REVOKE = "revoke", "Access removed"
    CREDENTIALS = "credentials", "Credentials changed"
    SESSION_END = "session_end", "Session ended"
    # Emergency access to a person outside the user's involvement, with its reason.
    BREAK_GLASS = "break_glass", "Emergency access"
    THROTTLED = "throttled", "Too many requests"


class AuditEvent(models.Model):
    """One append-only row of the audit trail.

    Rows are chained: ``row_hash`` covers the row's content and the previous
    row's hash, so an edited or deleted row is found by ``audit_verify``. On
    PostgreSQL a trigger refuses UPDATE and DELETE outright.
    """

    seq = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_agency = models.ForeignKey(
        "organisations.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    system_actor = models.CharField(max_length=100, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # The adult the event is about, if any, so "who looked at this person" is one index scan.
    person_id = models.CharField(max_length=64, blank=True, db_index=True)
    purpose = models.CharField(max_length=500, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """The single row that serialises appends to the chain (locked for each write)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self):
        return f"audit chain at row {self.last_seq}"

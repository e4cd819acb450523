"""An export waiting on the worker or waiting to be downloaded once, and each user's calendar feed (ADR 0036)."""

import uuid

from django.conf import settings
from django.db import models


class ExportKind(models.TextChoices):
    CASES = "cases", "Your cases"
    ACTIONS = "actions", "The actions on your cases"
    REGISTER = "register", "Your team's high-risk register"
    MEASURES = "measures", "The board's measures"


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV (comma-separated values)"
    ODS = "ods", "OpenDocument spreadsheet (.ods)"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be made"
    RUNNING = "running", "Being made"
    READY = "ready", "Ready to download"
    DOWNLOADED = "downloaded", "Downloaded"
    FAILED = "failed", "Could not be made"
    EXPIRED = "expired", "Expired"


class Export(models.Model):
    """One spreadsheet a user asked for. The worker makes it as that user; the file is kept in the
    database until its one download (or its expiry) and then emptied in the same transaction that
    records the download (ADR 0036)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=ExportKind.choices)
    parameters = models.JSONField(default=dict, blank=True)
    format = models.CharField(max_length=4, choices=ExportFormat.choices, default=ExportFormat.CSV)
    status = models.CharField(max_length=20, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    row_count = models.PositiveIntegerField(null=True, blank=True)
    # The people the file names: the download's audit row lists them (a disclosure).
    person_ids = models.JSONField(default=list, blank=True, editable=False)
    content = models.BinaryField(null=True, blank=True, editable=False)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "created_at"], name="export_user_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.format})"

    @property
    def filename(self) -> str:
        return f"marm-{self.kind}-{self.created_at:%Y-%m-%d}.{self.format}"


class CalendarFeed(models.Model):
    """A user's secret calendar address. Only a hash of the token is kept: the address is shown once,
    when it is made; a reset makes a new token and the old address finds nothing."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Calendar feed of {self.user}"

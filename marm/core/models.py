from django.conf import settings
from django.db import models


class VersionedModel(models.Model):
    """A record several people may edit: saves carry the version they started from
    (see marm.core.locking), so nobody silently overwrites another's change."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class ThrottleHit(models.Model):
    """One request counted against a per-user limit (marm.core.throttle). Rows older than
    their window are deleted as the user's next request in the same bucket is counted."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    bucket = models.CharField(max_length=40)
    occurred_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "bucket", "occurred_at"], name="core_throttle_user_idx")]

    def __str__(self):
        return f"{self.bucket} at {self.occurred_at:%H:%M:%S}"

"""Outage snapshots (ADR 0030): each team's register and plans, sealed in one HTML file for when marm is down."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Snapshot(models.Model):
    """One sealed snapshot of a team's register. The file is encrypted: marm keeps it only so the team
    can download it again; the copies that matter are on the duty desk's machines."""

    team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="outage_snapshots")
    made_at = models.DateTimeField()
    content = models.BinaryField("the HTML file")
    sha256 = models.CharField("SHA-256 of the file", max_length=64)
    key_fingerprint = models.CharField("fingerprint of the signing key", max_length=39)
    entry_count = models.PositiveIntegerField("people on the register")
    passphrase_version = models.PositiveIntegerField()

    class Meta:
        ordering = ["-made_at", "-pk"]
        indexes = [models.Index(fields=["team", "made_at"], name="snapshot_team_made_idx")]

    def __str__(self):
        return f"Outage snapshot of team {self.team_id} made {self.made_at:%Y-%m-%d %H:%M}"


class PassphraseChange(models.Model):
    """A team's snapshot passphrase changed: its version goes up by one. The passphrase itself is derived
    from the installation's passphrase key and this version (``crypto.team_passphrase``), stored nowhere."""

    team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    reason = models.TextField("why the passphrase is changing")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["team", "version"], name="passphrase_version_once"),
            models.CheckConstraint(condition=Q(version__gte=2), name="passphrase_change_after_the_first"),
            models.CheckConstraint(condition=~Q(reason=""), name="passphrase_change_needs_reason"),
        ]

    def __str__(self):
        return f"Snapshot passphrase of team {self.team_id}, version {self.version}"

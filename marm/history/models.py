"""The history of every change to a person, a case and the records under them, and rectification.

``HistoryChange`` rows are written by database triggers (``triggers.py``), never by the app:
a write that bypasses the ORM is recorded too. The app adds only who acted, by naming the
audit row written in the same transaction (ADR 0032).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ChangeOperation(models.TextChoices):
    INSERT = "insert", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"


class HistoryChange(models.Model):
    """One row created, changed or deleted, with its values before and after."""

    table_name = models.CharField(max_length=100)
    row_id = models.CharField(max_length=64)
    operation = models.CharField(max_length=6, choices=ChangeOperation.choices)
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)
    # Whose record and which case, worked out by the trigger; no constraint, so history
    # outlives the rows it describes.
    person = models.ForeignKey(
        "people.Person", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    changed_at = models.DateTimeField()
    # PostgreSQL: the transaction and the database role that wrote the row.
    transaction_id = models.BigIntegerField(null=True, blank=True)
    database_user = models.CharField(max_length=100, blank=True)
    # The audit row of the service that made the change: who, and their agency. Empty for a
    # change written outside marm's services.
    audit_event = models.ForeignKey(
        "audit.AuditEvent", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "-changed_at"], name="history_person_idx"),
            models.Index(fields=["case", "-changed_at"], name="history_case_idx"),
            models.Index(
                fields=["transaction_id"], condition=Q(audit_event__isnull=True), name="history_unstamped_idx"
            ),
        ]

    def __str__(self):
        return f"{self.get_operation_display()} {self.table_name} {self.row_id}"


class Basis(models.TextChoices):
    FACT = "fact", "A fact"
    OPINION = "opinion", "An opinion"


class Rectification(models.Model):
    """A correction of a person's details: the reason, its author, fact or opinion (Art 16, 18)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="rectifications")
    field_name = models.CharField("detail", max_length=50)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    changed = models.BooleanField(default=True)
    basis = models.CharField("fact or opinion", max_length=10, choices=Basis.choices)
    reason = models.TextField("reason for the correction")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Art 18: a contested detail is shown, marked, and not used until the restriction is lifted.
    restricted = models.BooleanField(default=False)
    restriction_lifted_at = models.DateTimeField(null=True, blank=True)
    restriction_lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    restriction_lift_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="rectification_has_reason"),
            models.CheckConstraint(
                condition=Q(restriction_lifted_at__isnull=True, restriction_lift_reason="")
                | Q(restricted=True, restriction_lifted_at__isnull=False) & ~Q(restriction_lift_reason=""),
                name="rectification_lift_has_reason",
            ),
        ]

    def __str__(self):
        return f"Rectification of {self.field_name}"

    @property
    def label(self) -> str:
        """The corrected detail's name as the person page shows it."""
        from django.utils.text import capfirst

        return capfirst(self._meta.apps.get_model("people", "Person")._meta.get_field(self.field_name).verbose_name)

    @property
    def restriction_in_force(self) -> bool:
        return self.restricted and self.restriction_lifted_at is None


class NoticeEvent(models.TextChoices):
    MADE = "made", "Corrected"
    LIFTED = "lifted", "Restriction lifted"


class RectificationNotice(models.Model):
    """An agency the record was disclosed to, told of a rectification (Art 19)."""

    rectification = models.ForeignKey(Rectification, on_delete=models.PROTECT, related_name="notices")
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    event = models.CharField(max_length=10, choices=NoticeEvent.choices, default=NoticeEvent.MADE)
    recipients = models.PositiveIntegerField(default=0)
    told_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["told_at", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["rectification", "agency", "event"], name="rectification_notice_once_per_agency"
            )
        ]

    def __str__(self):
        return f"{self.agency} told of {self.rectification}"

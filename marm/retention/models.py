"""Retention (Art 5(1)(e) UK GDPR): how long each kind of record is kept, what stops its removal,
and what is due (ADR 0033).

- ``RetentionRule``: one per kind of record, its period, the basis it runs from, and whether the
  record is deleted or anonymised. Defaults come from a data migration; an administrator changes
  a rule through ``retention_rule_change`` (audited, like every administration change).
- ``LegalHold``: on a person or on one of their cases; while it is not lifted nothing about the
  person (or under the case) is deleted or anonymised.
- ``RetentionDue``: the list the daily ``retention-due`` sweep keeps of what is due, for
  auditors and administrators to review before ``manage.py retention_apply`` acts on it. Each
  row stays once applied, with what was removed.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from marm.retention.querysets import LegalHoldQuerySet


class RecordKind(models.TextChoices):
    CASE_CLOSED = "case_closed", "Cases closed after MARM work, and every record under them"
    CONCERN_SCREENED_OUT = (
        "concern_screened_out",
        "Concerns routed to another process or closed with no further action, and every record under them",
    )
    PERSON_WITHOUT_RECORDS = "person_without_records", "People with no case and no register entry left"


class RetentionAction(models.TextChoices):
    DELETE = "delete", "Delete the records (the case's decisions are kept)"
    ANONYMISE = "anonymise", "Anonymise: remove names, date of birth, addresses and identifiers"


# Each kind's own action: a case's records are deleted, a person (whom kept decisions still
# name by id) is anonymised. The rule's page shows it; it is not a choice.
ACTION_OF_KIND = {
    RecordKind.CASE_CLOSED: RetentionAction.DELETE,
    RecordKind.CONCERN_SCREENED_OUT: RetentionAction.DELETE,
    RecordKind.PERSON_WITHOUT_RECORDS: RetentionAction.ANONYMISE,
}

# Under a month the list would fill with work still in hand; over 50 years is no rule at all.
MIN_PERIOD_MONTHS = 1
MAX_PERIOD_MONTHS = 600


class RetentionRule(models.Model):
    kind = models.CharField(max_length=40, choices=RecordKind.choices, unique=True)
    period_months = models.PositiveIntegerField("period in months")
    basis = models.TextField("why this period", help_text="The policy, law or guidance the period rests on")
    action = models.CharField(max_length=20, choices=RetentionAction.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_months__gte=MIN_PERIOD_MONTHS) & Q(period_months__lte=MAX_PERIOD_MONTHS),
                name="retention_period_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.period_months} months"

    def clean(self):
        if self.kind in ACTION_OF_KIND and self.action != ACTION_OF_KIND[self.kind]:
            raise ValidationError({"action": "This kind of record is only ever " + ACTION_OF_KIND[self.kind].label})
        if not MIN_PERIOD_MONTHS <= (self.period_months or 0) <= MAX_PERIOD_MONTHS:
            raise ValidationError(
                {"period_months": f"Enter a period from {MIN_PERIOD_MONTHS} to {MAX_PERIOD_MONTHS} months"}
            )
        if not self.basis.strip():
            raise ValidationError({"basis": "Say why records are kept this long"})


class LegalHold(models.Model):
    """A hold on a person (everything about them) or on one case (everything under it): while it is
    not lifted, the retention job deletes and anonymises nothing it covers. Never deleted."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    # Empty for a hold on the person; a case hold names the case's person too.
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.TextField()
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_by_agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_reason = models.TextField(blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True) | (Q(lifted_by__isnull=False) & ~Q(lift_reason="")),
                name="legal_hold_lift_has_who_and_why",
            ),
        ]
        indexes = [models.Index(fields=["person", "lifted_at"], name="legal_hold_person_idx")]

    def __str__(self):
        return f"Legal hold on {'case ' + str(self.case_id) if self.case_id else 'person ' + str(self.person_id)}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class RetentionDue(models.Model):
    """One record the sweep found due under its rule: listed for review, then applied by the job.

    ``case`` is set for the case kinds; ``person`` always (the case's person). An open row (not
    applied) that is no longer due (a hold placed, the case reopened) is removed by the next sweep;
    an applied row stays, with what was removed."""

    kind = models.CharField(max_length=40, choices=RecordKind.choices)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # When the period started: the closure, the screening, or the last record's removal.
    basis_at = models.DateTimeField()
    due_on = models.DateField()
    listed_at = models.DateTimeField()
    applied_at = models.DateTimeField(null=True, blank=True)
    # What the job removed, by model ("meetings.meeting": 3), for the page and the audit row.
    removed = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "case"],
                condition=Q(applied_at__isnull=True, case__isnull=False),
                name="retention_due_case_once_while_open",
            ),
            models.UniqueConstraint(
                fields=["kind", "person"],
                condition=Q(applied_at__isnull=True, case__isnull=True),
                name="retention_due_person_once_while_open",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} due {self.due_on}"

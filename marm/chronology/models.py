"""The merged chronology (000 4.1, 5.6).

Each involved agency records the key events it knows about; marm shows them
as one timeline per adult, across cases. Entries are append-only: a
correction is a new entry that supersedes the old one, and both are kept.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from marm.chronology.querysets import ChronologyEntryQuerySet


class EntryType(models.TextChoices):
    CONTACT = "contact", "Contact"
    HOME_VISIT = "home_visit", "Home visit"
    JOINT_VISIT = "joint_visit", "Joint visit"
    MISSED_APPOINTMENT = "missed_appointment", "Missed appointment"
    INCIDENT = "incident", "Incident"
    HOSPITAL_ADMISSION = "hospital_admission", "Hospital admission"
    HOSPITAL_DISCHARGE = "hospital_discharge", "Hospital discharge"
    POLICE_CALL_OUT = "police_call_out", "Police call-out"
    FIRE_SAFETY_VISIT = "fire_safety_visit", "Fire-safety visit"
    SAFEGUARDING_CONCERN = "safeguarding_concern", "Safeguarding concern"
    ASSESSMENT = "assessment", "Assessment"
    MEETING = "meeting", "Meeting"
    LETTER = "letter", "Letter"
    OTHER = "other", "Other"


class Significance(models.TextChoices):
    ROUTINE = "routine", "Routine"
    SIGNIFICANT = "significant", "Significant"
    CRITICAL = "critical", "Critical"


class ChronologyEntry(models.Model):
    """One key event in an adult's life, as one agency recorded it."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="chronology_entries")
    # The author's agency: the source of the entry, and the only agency that may correct it.
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="chronology_entries"
    )
    occurred_on = models.DateField("date of the event")
    occurred_at_time = models.TimeField("time of the event", null=True, blank=True)
    entry_type = models.CharField("type of event", max_length=30, choices=EntryType.choices)
    summary = models.TextField()
    significance = models.CharField(max_length=20, choices=Significance.choices)
    # One correction per entry, so a chain of corrections is a line, never a tree.
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="correction"
    )
    correction_reason = models.TextField("reason for the correction", blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The token of the form that added the entry: a second post of that form adds no second entry.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ChronologyEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "chronology entries"
        ordering = [
            F("occurred_on").desc(),
            F("occurred_at_time").desc(nulls_last=True),
            F("recorded_at").desc(),
            F("pk").desc(),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True, correction_reason="")
                | Q(supersedes__isnull=False) & ~Q(correction_reason=""),
                name="chronology_correction_has_reason",
            ),
            models.CheckConstraint(condition=~Q(summary=""), name="chronology_entry_has_summary"),
        ]
        indexes = [models.Index(fields=["person", "occurred_on"], name="chronology_person_date_idx")]

    def __str__(self):
        return f"{self.occurred_on:%d %b %Y} {self.get_entry_type_display()}"

    def clean(self):
        errors = {}
        if self.occurred_on and self.occurred_on > timezone.localdate():
            errors["occurred_on"] = "The date of the event must be today or in the past"
        if self.supersedes_id is not None:
            original = self.supersedes
            if original.person_id != self.person_id:
                errors["supersedes"] = "A correction must be about the same person as the entry it corrects"
            elif original.agency_id != self.agency_id:
                errors["supersedes"] = "Only the agency that wrote an entry can correct it"
            if not self.correction_reason.strip():
                errors["correction_reason"] = "Enter why you are correcting the entry"
        if errors:
            raise ValidationError(errors)

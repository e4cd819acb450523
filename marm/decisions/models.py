"""The defensible decision log (000 6.3; 001 3.6).

Every decision records what was decided, the rationale tied to the
circumstances, the options considered, who took part, the legislation and
guidance relied on, and who recorded it when. Decisions are append-only: an
amendment is a new decision that refers to the one it amends.
"""

from django.conf import settings
from django.db import models

from marm.decisions.querysets import DecisionQuerySet


class LegislationReference(models.Model):
    """An Act, section or guidance document a decision may rely on (000 Appendix B)."""

    code = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "title"]

    def __str__(self):
        return self.title


class DecisionKind(models.TextChoices):
    ACCEPT = "accept", "Accept into MARM"
    ROUTE = "route", "Route to another process"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    ALLOCATE = "allocate", "Allocate the lead professional"
    SHARE = "share", "Share information"
    REOPEN = "reopen", "Reopen"
    ESCALATE = "escalate", "Escalate to a section 42 enquiry"
    CLOSE = "close", "Close"
    BEST_INTERESTS = "best_interests", "Best-interests decision"
    OTHER = "other", "Other decision"


class Decision(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="decisions")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="decisions", null=True, blank=True)
    kind = models.CharField(max_length=30, choices=DecisionKind.choices)
    summary = models.TextField("the decision")
    rationale = models.TextField(blank=True, help_text="Why, in the circumstances of this case")
    options_considered = models.TextField(blank=True)
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    other_participants = models.TextField(
        blank=True, help_text="People who took part who do not use marm: name, role and organisation"
    )
    legislation = models.ManyToManyField(LegislationReference, blank=True, related_name="+")
    amends = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="amendments")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_by_agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    # SHA-256 over the decision's content, participants and legislation, fixed when it
    # is recorded and repeated in its audit row: see marm/decisions/integrity.py.
    content_hash = models.CharField(max_length=64)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["person", "recorded_at"], name="decision_person_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.summary[:60]}"

"""Information sharing and consent (001 3.3; 000 5.4).

An agency joins a case only through a recorded sharing decision. The
decisions, in order, are the case's disclosure log: what went to whom,
when, and on what grounds.
"""

from django.conf import settings
from django.db import models

from marm.cases.models import CaseAccessLevel


class SharingBasis(models.TextChoices):
    CONSENT = "consent", "The adult consented"
    LACKS_CAPACITY = "best_interests", "The adult lacks capacity to decide and sharing is in their best interests"
    RISK_TO_OTHERS = "risk_to_others", "Others are at risk"
    CRIME = "crime", "For the prevention or detection of crime"
    PUBLIC_INTEREST = "public_interest", "In the public interest, including coercion and control"


class QualityTest(models.TextChoices):
    """001 3.3: the six tests information must meet before it is shared."""

    ACCURATE = "accurate", "Accurate"
    VALID = "valid", "Valid"
    RELIABLE = "reliable", "Reliable"
    TIMELY = "timely", "Timely"
    RELEVANT = "relevant", "Relevant"
    COMPLETE = "complete", "Complete"


class AdultTold(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class AdultNotToldReason(models.TextChoices):
    """001 3.3: the adult should know what is shared, with whom and why, unless there is good reason not to."""

    INCREASES_RISK = "increases_risk", "Telling them would increase the risk to them or to others"
    LACKS_CAPACITY = "lacks_capacity", "They lack the capacity to understand it"
    CANNOT_BE_REACHED = "cannot_be_reached", "They cannot be reached"
    CRIME = "crime", "Telling them would harm the prevention or detection of crime"
    OTHER = "other", "Another reason"


class SharingDecision(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="sharing_decisions")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="sharing_decisions")
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    basis = models.CharField(max_length=20, choices=SharingBasis.choices)
    consent_details = models.TextField(blank=True, help_text="How and when the adult gave consent")
    rationale = models.TextField()
    access = models.CharField(max_length=10, choices=CaseAccessLevel.choices)
    what_is_shared = models.TextField()
    quality_tests = models.JSONField(default=list)
    # Fixed when the decision is made: the adult had not agreed to share with this agency
    # (or was not asked). Such a share is never on consent, and says whether the adult was told.
    against_wishes = models.BooleanField(default=False)
    adult_told = models.CharField(max_length=3, choices=AdultTold.choices, blank=True)
    adult_told_on = models.DateField(null=True, blank=True)
    adult_told_by = models.CharField(max_length=200, blank=True)
    adult_not_told_reason = models.CharField(max_length=20, choices=AdultNotToldReason.choices, blank=True)
    adult_not_told_details = models.TextField(blank=True)
    decision = models.OneToOneField("decisions.Decision", on_delete=models.PROTECT, related_name="sharing")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self):
        return f"Shared with {self.agency} ({self.get_basis_display()})"

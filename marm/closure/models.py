"""Non-engagement (002), escalation to a s42 enquiry (000 5.4, 5.5) and closure (000 6.2, 3.5).

Every record here is written once and never edited: a later view is a new row.
The case's stage itself stays in the case lifecycle (marm/cases/lifecycle.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from marm.cases.querysets import CaseRecordQuerySet
from marm.closure import vocab
from marm.closure.querysets import ReflectiveReviewQuerySet
from marm.sharing.models import SharingBasis


class EngagementAttempt(models.Model):
    """One attempt to reach the adult or family (002 "Strategies to consider")."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="engagement_attempts")
    strategy = models.CharField(max_length=30, choices=vocab.EngagementStrategy.choices)
    attempted_on = models.DateField("date of the attempt")
    outcome = models.CharField(max_length=20, choices=vocab.EngagementOutcome.choices)
    notes = models.TextField(blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-attempted_on", "-recorded_at", "-pk"]
        indexes = [models.Index(fields=["case", "attempted_on"], name="engagement_case_date_idx")]

    def __str__(self):
        return f"{self.get_strategy_display()} on {self.attempted_on:%d %b %Y}"

    @property
    def not_engaged(self) -> bool:
        return self.outcome in vocab.NOT_ENGAGED


class NonEngagementFlag(models.Model):
    """The case is flagged: the adult or family is not engaging. Lifting it keeps the row."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="non_engagement_flags")
    reason = models.TextField()
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_reason = models.TextField(blank=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(lifted_at__isnull=True), name="one_open_non_engagement_flag"
            ),
        ]

    def __str__(self):
        return f"Not engaging: {self.case_id}"


class ReflectiveReview(models.Model):
    """A practitioner's reflection on non-engagement (002): the questions asked of themselves,
    the concerns raised and the next steps chosen. Read only by the author and the managers
    and supervisors of their agency."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="reflective_reviews")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    # 002: "Am I concerned just because they are not engaging or do I have evidence
    # that non-engagement increases risk?"
    evidence_of_increased_risk = models.TextField()
    # {ColludingQuestion code: ReflectiveAnswer code}, every question answered.
    colluding_answers = models.JSONField(default=dict)
    feel_at_risk = models.CharField("do I feel at risk?", max_length=10, choices=vocab.ReflectiveAnswer.choices)
    feel_at_risk_details = models.TextField(blank=True)
    concerns = models.JSONField(default=list, blank=True)
    concerns_details = models.TextField(blank=True)
    next_steps = models.JSONField(default=list, blank=True)
    next_steps_due_on = models.DateField("next steps due by", null=True, blank=True)
    reflection = models.TextField("anything else", blank=True)
    written_at = models.DateTimeField(auto_now_add=True)

    objects = ReflectiveReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-written_at", "-pk"]

    def __str__(self):
        return f"Reflection on {self.case_id} by {self.author_id}"


class SupportProvider(models.Model):
    """An agency providing care and support to the adult (000 6.1 stage 1: "what care and
    support the adult already receives and from whom"): one of those the closure guard
    needs checked with."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="support_providers")
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    support = models.TextField("what care and support they provide")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "agency"], name="support_provider_once_per_case")]

    def __str__(self):
        return f"{self.agency} supports {self.case_id}"


class AgencyCheck(models.Model):
    """002 (A2 SCR 2012): an active check with another agency known to be in contact with the adult."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="agency_checks")
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    spoke_to = models.CharField("who you spoke to", max_length=200)
    checked_on = models.DateField("when")
    what_they_said = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_on", "-recorded_at", "-pk"]
        indexes = [models.Index(fields=["case", "agency", "checked_on"], name="agency_check_idx")]

    def __str__(self):
        return f"Checked with {self.agency} on {self.checked_on:%d %b %Y}"


class S42Referral(models.Model):
    """000 5.4: the process has not reduced a risk of serious harm; the local authority is told
    the steps already taken, and decides whether a section 42 enquiry is needed."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="s42_referrals")
    risk_of_serious_harm = models.TextField("the risk of serious harm that remains")
    steps_taken = models.TextField("the steps already taken")
    why_not_enough = models.TextField("why they were not enough")
    lawful_basis = models.CharField("lawful basis for sharing", max_length=30, choices=SharingBasis.choices)
    lawful_basis_details = models.TextField(blank=True)
    referred_to = models.CharField("referred to (local authority team)", max_length=200)
    referred_on = models.DateField()
    marm_work = models.CharField(max_length=10, choices=vocab.MarmWork.choices)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    referred_at = models.DateTimeField(auto_now_add=True)
    decision = models.ForeignKey("decisions.Decision", on_delete=models.PROTECT, related_name="+")

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_at", "-pk"]

    def __str__(self):
        return f"Section 42 referral of {self.case_id}"


class S42Outcome(models.Model):
    """The local authority's decision on a referral, with its reason. One per referral."""

    referral = models.OneToOneField(S42Referral, on_delete=models.PROTECT, related_name="outcome")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField("the local authority's decision", max_length=20, choices=vocab.S42Decision.choices)
    reason = models.TextField("their reason")
    decided_on = models.DateField()
    decided_by = models.CharField("who decided (name and role)", max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    decision = models.ForeignKey("decisions.Decision", on_delete=models.PROTECT, related_name="+")

    objects = CaseRecordQuerySet.as_manager()

    def __str__(self):
        return self.get_outcome_display()


class CaseClosure(models.Model):
    """000 6.2: the case closes, signed off by a manager, with each identified risk's outcome,
    ongoing support agreed, a handover to single-agency case management, and (3.5) what
    the adult was told about getting help later. A reopened case keeps its closures."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="closures")
    reason = models.CharField(max_length=20, choices=vocab.ClosureReason.choices)
    rationale = models.TextField()
    ongoing_support = models.TextField("ongoing support")
    support_agreed_by = models.ManyToManyField("organisations.Agency", related_name="+")
    handover_agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    handover_to = models.CharField("handed over to (team or person)", max_length=200)
    information_given = models.TextField("information and advice given to the adult")
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_off_at = models.DateTimeField(auto_now_add=True)
    decision = models.ForeignKey("decisions.Decision", on_delete=models.PROTECT, related_name="+")

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_off_at", "-pk"]

    def __str__(self):
        return f"Closure of {self.case_id}"


class ClosureRiskOutcome(models.Model):
    """One identified risk at closure: resolved, or managed to an acceptable level, and why."""

    closure = models.ForeignKey(CaseClosure, on_delete=models.PROTECT, related_name="risk_outcomes")
    # Where the risk was identified: the concern's categories (000 I.4) or the agreed risk assessment.
    source = models.CharField(max_length=20)
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=300)
    outcome = models.CharField(max_length=10, choices=vocab.RiskOutcome.choices)
    why = models.TextField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["closure", "source", "code"], name="closure_risk_once"),
            models.CheckConstraint(condition=~Q(why=""), name="closure_risk_outcome_has_why"),
        ]

    def __str__(self):
        return f"{self.label}: {self.get_outcome_display()}"

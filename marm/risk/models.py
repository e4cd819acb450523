"""Risk assessment, mental capacity and best interests, and the adult's copy.

000 4.4, 5.6 and 001 3.5: one multi-agency risk assessment per case, kept
version by version; an agreed version is locked and the next draft starts
from it. 000 3.2-3.5, 5.2-5.3 and the MCA 2005: capacity is presumed, and
each assessment is about one decision at one time. 000 6.1: the adult is
given a copy.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from marm.cases.querysets import CaseRecordQuerySet
from marm.core.models import VersionedModel
from marm.risk import vocab
from marm.risk.querysets import AspectQuerySet, VersionQuerySet


class RiskAssessment(models.Model):
    """The case's one risk assessment; its content lives in its versions."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="risk_assessment")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)

    objects = CaseRecordQuerySet.as_manager()

    def __str__(self):
        return f"Risk assessment of {self.case_id}"


class RiskAssessmentVersion(VersionedModel):
    """One version: a draft every involved agency contributes to, until it is agreed and locked."""

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=vocab.VersionStatus.choices, default=vocab.VersionStatus.DRAFT)
    based_on = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    # 000 5.6: risks to the adult, other people and the wider public; benefits and risks of
    # both involvement and non-involvement.
    risks_to_others = models.TextField("risks to others and the public", blank=True)
    benefits_of_involvement = models.TextField(blank=True)
    risks_of_involvement = models.TextField(blank=True)
    benefits_of_non_involvement = models.TextField("benefits of non-involvement", blank=True)
    risks_of_non_involvement = models.TextField("risks of non-involvement", blank=True)
    # 001 3.5: risk enablement starts from what matters to the adult and their strengths.
    what_matters = models.TextField("what matters to the adult", blank=True)
    strengths = models.TextField("the adult's strengths", blank=True)
    adult_view = models.TextField("the adult's view of the risks overall", blank=True)
    overall_level = models.CharField(max_length=10, choices=vocab.RiskLevel.choices, blank=True)
    # What will be done and by whom, in plain words: printed on the adult's copy (000 6.1).
    plan_summary = models.TextField("summary of the plan", blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_how = models.CharField(max_length=20, choices=vocab.AgreedHow.choices, blank=True)
    agreed_on = models.DateField("date agreed", null=True, blank=True)
    agreed_note = models.TextField("who agreed it, and where", blank=True)
    decision = models.OneToOneField(
        "decisions.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="risk_version_number_once"),
            models.UniqueConstraint(
                fields=["assessment"], condition=Q(status="draft"), name="risk_one_draft_at_a_time"
            ),
            models.CheckConstraint(
                condition=Q(status="draft", agreed_at__isnull=True)
                | Q(status="agreed", agreed_at__isnull=False, agreed_by__isnull=False) & ~Q(overall_level=""),
                name="risk_agreed_version_is_complete",
            ),
        ]

    def __str__(self):
        return f"Risk assessment version {self.number} ({self.get_status_display().lower()})"

    @property
    def is_agreed(self) -> bool:
        return self.status == vocab.VersionStatus.AGREED

    def identified_risks(self) -> list["AspectAssessment"]:
        """The aspects that carry a risk: rated above the lowest level (ADR 0011), in 000 4.4 order."""
        lowest = vocab.LEVEL_ORDER[vocab.RiskLevel.LOW]
        return [row for row in self.aspects.all() if row.level and vocab.LEVEL_ORDER[row.level] > lowest]


class AspectAssessment(VersionedModel):
    """One of the 14 aspects of 000 4.4 in one version: what is known, from whom, how likely and how bad."""

    assessment_version = models.ForeignKey(RiskAssessmentVersion, on_delete=models.PROTECT, related_name="aspects")
    aspect = models.CharField(max_length=30, choices=vocab.RiskAspect.choices)
    position = models.PositiveSmallIntegerField()
    what_is_known = models.TextField(blank=True)
    likelihood = models.PositiveSmallIntegerField(choices=vocab.Likelihood.choices, null=True, blank=True)
    impact = models.PositiveSmallIntegerField(choices=vocab.Impact.choices, null=True, blank=True)
    adult_view = models.TextField("the adult's own view", blank=True)
    # Every agency that has written in this aspect, carried into the next version with its text.
    contributing_agencies = models.ManyToManyField("organisations.Agency", blank=True, related_name="+")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    objects = AspectQuerySet.as_manager()

    class Meta:
        ordering = ["assessment_version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment_version", "aspect"], name="risk_aspect_once_per_version"),
            models.CheckConstraint(
                condition=Q(likelihood__isnull=True, impact__isnull=True)
                | Q(likelihood__isnull=False, impact__isnull=False),
                name="risk_aspect_rated_in_full",
            ),
        ]

    def __str__(self):
        return self.get_aspect_display()

    @property
    def level(self) -> str | None:
        return vocab.level_for(self.likelihood, self.impact)

    def get_level_display(self) -> str:
        return vocab.RiskLevel(self.level).label if self.level else "Not rated"

    def clean(self):
        if (self.likelihood is None) != (self.impact is None):
            raise ValidationError("Rate both how likely the harm is and how bad it would be, or neither")


class CapacityAssessment(models.Model):
    """One assessment of capacity for one decision at one time (MCA 2005 ss1-3; 000 3.2-3.4, 5.3).

    Recorded once and never edited: a later assessment of the same decision is a new row.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="capacity_assessments")
    decision = models.TextField("the decision the assessment is about")
    assessed_on = models.DateField()
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessor_agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    # MCA 2005 s1(3): not treated as unable to decide until all practicable steps to help have failed.
    practicable_steps = models.TextField("practicable steps taken to help the adult decide")
    # MCA 2005 s2(1): an impairment of, or disturbance in, the functioning of the mind or brain.
    impairment = models.CharField(
        "is there an impairment of, or disturbance in, the mind or brain?",
        max_length=3,
        choices=vocab.YesNo.choices,
        blank=True,
    )
    impairment_details = models.TextField(blank=True)
    # MCA 2005 s3(1): the functional test, each part with its evidence.
    understands = models.CharField(max_length=3, choices=vocab.YesNo.choices, blank=True)
    understands_evidence = models.TextField(blank=True)
    retains = models.CharField(max_length=3, choices=vocab.YesNo.choices, blank=True)
    retains_evidence = models.TextField(blank=True)
    uses_or_weighs = models.CharField(max_length=3, choices=vocab.YesNo.choices, blank=True)
    uses_or_weighs_evidence = models.TextField(blank=True)
    communicates = models.CharField(max_length=3, choices=vocab.YesNo.choices, blank=True)
    communicates_evidence = models.TextField(blank=True)
    decisional_capacity = models.CharField(max_length=10, choices=vocab.CapacityFinding.choices)
    executive_capacity = models.CharField(max_length=15, choices=vocab.ExecutiveFinding.choices)
    executive_evidence = models.TextField("evidence about carrying the decision out", blank=True)
    outcome = models.CharField(max_length=10, choices=vocab.CapacityFinding.choices)
    outcome_reasons = models.TextField("reasons for the outcome")
    review_by = models.DateField("look at capacity again by")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        constraints = [
            # MCA 2005 ss2-3: "lacks capacity" stands only on the two-stage test, answered in full.
            models.CheckConstraint(
                condition=~Q(outcome="lacks")
                | Q(impairment="yes")
                & ~Q(understands="")
                & ~Q(retains="")
                & ~Q(uses_or_weighs="")
                & ~Q(communicates=""),
                name="capacity_lacks_needs_the_functional_test",
            ),
        ]

    def __str__(self):
        return f"Capacity for: {self.decision[:60]}"

    def functional_test(self) -> list[tuple[str, str, str]]:
        """(question, answer, evidence) for each part of MCA 2005 s3(1)."""
        return [
            (question, getattr(self, f"get_{name}_display")() or "Not answered", getattr(self, f"{name}_evidence"))
            for name, question in vocab.FUNCTIONAL_TEST
        ]

    def clean(self):
        errors = {}
        if self.outcome == vocab.CapacityFinding.LACKS:
            if self.impairment != vocab.YesNo.YES:
                errors["impairment"] = (
                    "A person lacks capacity only because of an impairment of, or disturbance in, the mind or brain"
                )
            elif not self.impairment_details.strip():
                errors["impairment_details"] = "Describe the impairment or disturbance"
            answers = {name: getattr(self, name) for name, _ in vocab.FUNCTIONAL_TEST}
            for name, answer in answers.items():
                if not answer:
                    errors[name] = "Answer every part of the functional test before recording that capacity is lacking"
                elif not getattr(self, f"{name}_evidence").strip():
                    errors[f"{name}_evidence"] = "Give the evidence for this answer"
            if all(answers.values()) and vocab.YesNo.NO not in answers.values():
                errors["outcome"] = (
                    "The functional test shows they can do all four: record that they have capacity, "
                    "or correct the test"
                )
        if self.decisional_capacity == vocab.CapacityFinding.LACKS and self.outcome != vocab.CapacityFinding.LACKS:
            errors["outcome"] = "They lack decisional capacity, so the outcome is that they lack capacity"
        if self.executive_capacity == vocab.ExecutiveFinding.CANNOT and not self.executive_evidence.strip():
            errors["executive_evidence"] = "Give the evidence that they cannot carry the decision out"
        if self.assessed_on and self.review_by and self.review_by <= self.assessed_on:
            errors["review_by"] = "The date to look again must be after the assessment"
        if errors:
            raise ValidationError(errors)


class BestInterestsDecision(models.Model):
    """A decision for an adult who lacks capacity for it, made on the 000 3.4 checklist (MCA 2005 s4)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="best_interests_decisions")
    capacity_assessment = models.ForeignKey(
        CapacityAssessment, on_delete=models.PROTECT, related_name="best_interests_decisions"
    )
    regain_capacity = models.TextField("could they regain capacity?")
    can_wait = models.CharField("can the decision wait until then?", max_length=3, choices=vocab.YesNo.choices)
    wishes_and_beliefs = models.TextField("their wishes, feelings, values and beliefs")
    family_and_carers_views = models.TextField("views of family and carers")
    attorney_kind = models.CharField("attorney", max_length=30, choices=vocab.AttorneyKind.choices)
    attorney_views = models.TextField("the attorney's views", blank=True)
    attorney_validity = models.TextField("how the power of attorney was checked as valid", blank=True)
    court_deputy = models.CharField(
        "is there a deputy appointed by the Court of Protection?", max_length=3, choices=vocab.YesNo.choices
    )
    deputy_views = models.TextField("the deputy's views", blank=True)
    not_based_on_appearance = models.BooleanField(default=False)
    no_motive_to_bring_about_death = models.BooleanField(default=False)
    other_information = models.TextField(blank=True)
    advocate = models.CharField("advocate or IMCA", max_length=20, choices=vocab.AdvocateInvolvement.choices)
    advocate_details = models.TextField(blank=True)
    less_restrictive_options = models.TextField("less restrictive options considered")
    summary = models.TextField("the decision")
    rationale = models.TextField()
    decision = models.OneToOneField("decisions.Decision", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(not_based_on_appearance=True, no_motive_to_bring_about_death=True),
                name="best_interests_checklist_confirmed",
            ),
        ]

    def __str__(self):
        return f"Best interests: {self.summary[:60]}"

    def checklist(self) -> list[tuple[str, str]]:
        """(question, answer) for each point of 000 3.4, in the guidance's order."""
        answers = {
            "regain_capacity": f"{self.regain_capacity} Can the decision wait: {self.get_can_wait_display().lower()}.",
            "wishes_and_beliefs": self.wishes_and_beliefs,
            "family_and_carers_views": self.family_and_carers_views,
            "attorney_views": self.get_attorney_kind_display()
            + (f". {self.attorney_views} Validity: {self.attorney_validity}" if self.attorney_views else ""),
            "deputy_views": self.deputy_views if self.court_deputy == vocab.YesNo.YES else "No deputy appointed",
            "not_based_on_appearance": "Confirmed" if self.not_based_on_appearance else "Not confirmed",
            "no_motive_to_bring_about_death": "Confirmed" if self.no_motive_to_bring_about_death else "Not confirmed",
            "other_information": self.other_information or "None",
        }
        return [(question, answers[name]) for name, question in vocab.BEST_INTERESTS_CHECKLIST]


class RefusalWithCapacity(models.Model):
    """An adult with capacity refuses support (000 3.5, 5.2): the refusal, every agency's efforts,
    and the information given about reducing the risk and getting help later."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="refusals")
    capacity_assessment = models.ForeignKey(
        CapacityAssessment, on_delete=models.PROTECT, null=True, blank=True, related_name="refusals"
    )
    what_is_refused = models.TextField("what the adult refuses")
    refused_on = models.DateField()
    adult_reasons = models.TextField("the adult's reasons, in their words", blank=True)
    advice_on_reducing_risk = models.TextField("advice given about reducing the risk")
    help_later_information = models.TextField("information given about how to get help later")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-refused_on", "-pk"]
        verbose_name_plural = "refusals with capacity"

    def __str__(self):
        return f"Refusal: {self.what_is_refused[:60]}"


class RefusalEffort(models.Model):
    """000 5.2: "a record of the efforts and actions taken by all agencies involved to provide support"."""

    refusal = models.ForeignKey(RefusalWithCapacity, on_delete=models.PROTECT, related_name="efforts")
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    efforts = models.TextField()

    class Meta:
        ordering = ["refusal", "pk"]
        constraints = [models.UniqueConstraint(fields=["refusal", "agency"], name="refusal_effort_once_per_agency")]

    def __str__(self):
        return f"{self.agency}: {self.efforts[:40]}"


class AdultCopy(models.Model):
    """The adult was given a copy of an agreed risk assessment (000 6.1): which, in what form, when and how."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="adult_copies")
    version = models.ForeignKey(RiskAssessmentVersion, on_delete=models.PROTECT, related_name="adult_copies")
    format = models.CharField(max_length=10, choices=vocab.CopyFormat.choices)
    given_on = models.DateField()
    given_how = models.CharField(max_length=20, choices=vocab.CopyGivenHow.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name_plural = "adult copies"

    def __str__(self):
        return f"{self.get_format_display()} of version {self.version_id}"


class AdvocacyReferral(VersionedModel):
    """A referral for independent advocacy (000 5.1; Care Act 2014 s67/68; MCA 2005 IMCA), tracked to its outcome."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="advocacy_referrals")
    kind = models.CharField(max_length=20, choices=vocab.AdvocacyKind.choices)
    requested_on = models.DateField("date asked for")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_by_agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    provider = models.CharField("advocacy provider", max_length=200)
    outcome = models.CharField(
        max_length=20, choices=vocab.AdvocacyOutcome.choices, default=vocab.AdvocacyOutcome.WAITING
    )
    outcome_on = models.DateField("date of the outcome", null=True, blank=True)
    advocate_name = models.CharField("advocate's name", max_length=200, blank=True)
    note = models.TextField(blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=vocab.AdvocacyOutcome.WAITING) | Q(outcome_on__isnull=False),
                name="advocacy_outcome_dated",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_outcome_display()}"

    def clean(self):
        errors = {}
        if self.outcome_on and self.requested_on and self.outcome_on < self.requested_on:
            errors["outcome_on"] = "The date of the outcome must be on or after the date it was asked for"
        if errors:
            raise ValidationError(errors)

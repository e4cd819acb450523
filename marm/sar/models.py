"""Safeguarding Adults Reviews and the board's composite multi-agency action plan (004).

After a review the board keeps one composite plan: the review's recommendations,
grouped by theme; under each, the actions; under each action, one progress
entry per participating organisation, kept by that organisation's nominated
contact. The single-agency action plans sit beside it. The board officer signs
each action off against the progress and evidence.

Nothing here is about a person: the adults are named only as the review
anonymises them ("X, Y and Z").
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from marm.core.models import VersionedModel
from marm.sar.querysets import ReviewQuerySet
from marm.sar.vocab import Rag, RecommendationResponse, ReviewStatus


class Review(models.Model):
    reference = models.CharField(max_length=30, unique=True, help_text="For example, BPSCR4")
    title = models.CharField(max_length=300)
    adults = models.CharField(
        "how the adults are named", max_length=200, help_text="As the review anonymises them, for example X, Y and Z"
    )
    referred_on = models.DateField("date referred for a review")
    decided_on = models.DateField("date the board decided to hold the review", null=True, blank=True)
    # The Safeguarding Adults Collection (SG5) counts reviews by whether the adult died.
    adult_died = models.BooleanField("the adult died")
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.ONGOING)
    concluded_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_on", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ReviewStatus.ONGOING, concluded_on=None)
                | (Q(status=ReviewStatus.CONCLUDED) & ~Q(concluded_on=None)),
                name="review_concluded_on_when_concluded",
            ),
            models.CheckConstraint(
                condition=Q(decided_on=None) | Q(decided_on__gte=F("referred_on")),
                name="review_decided_after_referral",
            ),
        ]

    def __str__(self):
        return f"{self.reference} ({self.adults})"

    def clean(self):
        errors = {}
        if self.decided_on and self.referred_on and self.decided_on < self.referred_on:
            errors["decided_on"] = "The decision date must be the same as or after the referral date"
        if self.status == ReviewStatus.CONCLUDED and self.concluded_on is None:
            errors["concluded_on"] = "Enter the date the review concluded"
        if self.status == ReviewStatus.ONGOING and self.concluded_on is not None:
            errors["concluded_on"] = "An ongoing review has no conclusion date"
        if errors:
            raise ValidationError(errors)

    @property
    def days_to_decision(self) -> int | None:
        """Days from the referral to the decision to hold the review (anchors/board.md: the board's own work)."""
        if self.decided_on is None:
            return None
        return (self.decided_on - self.referred_on).days


class ReviewOrganisation(models.Model):
    """An organisation taking part in the review's action plan, with its nominated contact."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="organisations")
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    # Keeps the organisation's progress entries; must work for the organisation.
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["review", "agency"], name="review_organisation_once")]
        indexes = [models.Index(fields=["contact", "agency"], name="review_contact_idx")]

    def __str__(self):
        return f"{self.agency} in {self.review.reference}"

    def clean(self):
        if self.contact_id and self.agency_id and self.contact.agency_id != self.agency_id:
            raise ValidationError({"contact": f"{self.contact.full_name} does not work for {self.agency}"})


class Theme(models.Model):
    """A theme the review's recommendations are grouped under ("Care planning / risk assessment ...")."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="themes")
    title = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["review", "title"], name="theme_title_once_a_review")]

    def __str__(self):
        return self.title


class Recommendation(models.Model):
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="recommendations")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="recommendations")
    number = models.PositiveIntegerField()
    text = models.TextField()
    response = models.CharField(
        max_length=20, choices=RecommendationResponse.choices, default=RecommendationResponse.PENDING
    )
    # Care Act 2014, Schedule 2, paragraph 4(1): the annual report gives the reasons for a finding not acted on.
    not_accepted_reason = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="recommendation_number_once_a_review"),
            models.CheckConstraint(
                condition=~Q(response=RecommendationResponse.NOT_ACCEPTED) | ~Q(not_accepted_reason=""),
                name="recommendation_not_accepted_says_why",
            ),
        ]

    def __str__(self):
        return f"Recommendation {self.number}"

    def clean(self):
        errors = {}
        if self.response == RecommendationResponse.NOT_ACCEPTED and not self.not_accepted_reason.strip():
            errors["not_accepted_reason"] = "Say why the recommendation was not accepted"
        if self.theme_id and self.review_id and self.theme.review_id != self.review_id:
            errors["theme"] = "Select a theme of this review"
        if errors:
            raise ValidationError(errors)


class ReviewAction(models.Model):
    """What will be done on a recommendation (the plan's "Action" column)."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="actions")
    text = models.TextField("action")
    due_date = models.DateField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    # Why the board officer signed it off without complete progress and evidence from every organisation.
    sign_off_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_off_by=None, signed_off_at=None) | (~Q(signed_off_by=None) & ~Q(signed_off_at=None)),
                name="review_action_signed_off_by_someone",
            ),
        ]

    def __str__(self):
        return self.text[:60]

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None


class Progress(VersionedModel):
    """One organisation's progress on one action: the plan's "Progress" column, split by organisation.

    Kept by the organisation's nominated contact (or the board officer); each
    change leaves a ProgressChange row.
    """

    review_action = models.ForeignKey(ReviewAction, on_delete=models.PROTECT, related_name="progress")
    review_organisation = models.ForeignKey(ReviewOrganisation, on_delete=models.PROTECT, related_name="progress")
    text = models.TextField("progress", blank=True)
    evidence = models.TextField(blank=True)
    rag = models.CharField("RAG status", max_length=20, choices=Rag.choices, default=Rag.NOT_REPORTED)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review_organisation__agency__name", "pk"]
        verbose_name_plural = "progress"
        constraints = [
            models.UniqueConstraint(
                fields=["review_action", "review_organisation"], name="progress_once_an_organisation"
            )
        ]

    def __str__(self):
        return f"{self.get_rag_display()}: {self.text[:40]}"

    @property
    def is_complete_with_evidence(self) -> bool:
        return self.rag == Rag.COMPLETE and bool(self.evidence.strip())


class ProgressChange(models.Model):
    """The trail of a progress entry: who changed it, when, and what it said before and after. Never edited."""

    progress = models.ForeignKey(Progress, on_delete=models.PROTECT, related_name="changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    text_before = models.TextField(blank=True)
    text_after = models.TextField(blank=True)
    evidence_before = models.TextField(blank=True)
    evidence_after = models.TextField(blank=True)
    rag_before = models.CharField(max_length=20, choices=Rag.choices)
    rag_after = models.CharField(max_length=20, choices=Rag.choices)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.get_rag_before_display()} to {self.get_rag_after_display()}"


class SingleAgencyPlan(models.Model):
    """A single-agency action plan linked to the composite plan."""

    review_organisation = models.ForeignKey(
        ReviewOrganisation, on_delete=models.PROTECT, related_name="single_agency_plans"
    )
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    received_on = models.DateField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["received_on", "pk"]

    def __str__(self):
        return self.title

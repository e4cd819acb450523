"""The Safeguarding Adults Board's business plan (003).

A plan covers one financial year (April to March). Each priority has its
statement, rationale and "What do we want to be different?", a partnership
lead and the subgroup that delivers it; under it are objectives, and under
each objective the actions ("What are we going to do?", when, who, and "How
will we measure progress and impact?"). Progress is a trail of reports, each
with a RAG status: an action's current RAG is its latest report. An action is
done when the board officer signs it off against the evidence.

Nothing here is about a person: the board sees aggregates, never an adult.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from marm.core.models import VersionedModel


class Rag(models.TextChoices):
    RED = "red", "Red: off track"
    AMBER = "amber", "Amber: at risk"
    GREEN = "green", "Green: on track"
    COMPLETE = "complete", "Complete"


# A red or amber status says why.
NEEDS_REASON = frozenset({Rag.RED, Rag.AMBER})


class Subgroup(models.Model):
    """One of the board's subgroups or task and finish groups ("Procedures Subgroup")."""

    name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class BusinessPlan(models.Model):
    title = models.CharField(max_length=300)
    # The financial year that starts on 1 April of this year.
    year = models.PositiveSmallIntegerField(
        "financial year", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "title"]
        constraints = [models.UniqueConstraint(fields=["title", "year"], name="business_plan_once_a_year")]

    def __str__(self):
        return f"{self.title} ({self.year_label})"

    @property
    def year_label(self) -> str:
        return f"April {self.year} to March {self.year + 1}"


class Priority(models.Model):
    plan = models.ForeignKey(BusinessPlan, on_delete=models.PROTECT, related_name="priorities")
    code = models.CharField(max_length=20, help_text="For example, SAB1")
    title = models.CharField(max_length=300)
    joint_with = models.CharField(max_length=200, blank=True, help_text="For example, Joint with Leicester SAB")
    statement = models.TextField("priority statement")
    rationale = models.TextField(blank=True)
    what_different = models.TextField("what do we want to be different?", blank=True)
    partnership_lead = models.CharField(max_length=200, blank=True)
    board_officer = models.CharField(max_length=200, blank=True)
    delivery_mechanism = models.ForeignKey(
        Subgroup, on_delete=models.PROTECT, null=True, blank=True, related_name="priorities"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name_plural = "priorities"
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="priority_code_once_a_plan")]

    def __str__(self):
        return f"{self.code} {self.title}"


class Objective(models.Model):
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="objectives")
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)
    # The confidence surveys measured before and after the change (003 SAB1: "Re-measure confidence").
    baseline_survey = models.ForeignKey(
        "surveys.Survey", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    follow_up_survey = models.ForeignKey(
        "surveys.Survey", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text[:60]


class PlanAction(VersionedModel):
    """What the board will do, by when, who is responsible, and how progress and impact are measured."""

    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="actions")
    what = models.TextField("what are we going to do?")
    # The date the action is due by, where the plan gives one, and the "when" as the plan words it.
    due_date = models.DateField(null=True, blank=True)
    due_text = models.CharField("when", max_length=100, blank=True)
    responsible_subgroup = models.ForeignKey(
        Subgroup, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    responsible_agency = models.ForeignKey(
        "organisations.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    how_measured = models.TextField("how will we measure progress and impact?", blank=True)
    # A measure in marm.assurance.registry.MEASURES, shown live beside the words.
    measure_code = models.CharField(max_length=20, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(responsible_subgroup=None) | Q(responsible_agency=None),
                name="plan_action_one_responsible",
            ),
            models.CheckConstraint(
                condition=Q(signed_off_by=None, signed_off_at=None) | (~Q(signed_off_by=None) & ~Q(signed_off_at=None)),
                name="plan_action_signed_off_by_someone",
            ),
        ]

    def __str__(self):
        return self.what[:60]

    @property
    def responsible_label(self) -> str:
        if self.responsible_subgroup_id:
            return self.responsible_subgroup.name
        if self.responsible_agency_id:
            return self.responsible_agency.name
        return ""

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None

    def is_overdue(self, today: datetime.date) -> bool:
        """The due date has passed and the board officer has not signed the action off."""
        return self.due_date is not None and self.due_date < today and not self.is_signed_off


class ActionProgress(models.Model):
    """One progress report on an action, with its RAG status. Never edited: the latest is current."""

    plan_action = models.ForeignKey(PlanAction, on_delete=models.PROTECT, related_name="progress")
    reported_on = models.DateField()
    note = models.TextField("what was done")
    evidence = models.TextField(blank=True)
    rag = models.CharField("RAG status", max_length=20, choices=Rag.choices)
    rag_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        # Oldest first: the latest report is the action's current RAG.
        ordering = ["reported_on", "recorded_at", "pk"]
        verbose_name_plural = "action progress"
        constraints = [
            models.CheckConstraint(
                condition=~Q(rag__in=sorted(NEEDS_REASON)) | ~Q(rag_reason=""),
                name="action_progress_red_amber_say_why",
            ),
        ]

    def __str__(self):
        return f"{self.get_rag_display()}: {self.note[:40]}"


class AnnualReportRendering(models.Model):
    """The annual report's PDF as it was last laid out, kept by the SHA-256 of the page it was laid
    out from. Laying out the report takes WeasyPrint a third of a second of CPU and more; the page
    it lays out changes only when the plans, the reviews, the published figures or the date do, so
    the same page is never laid out twice. It holds aggregates only, like the report."""

    year = models.PositiveIntegerField()
    html_sha256 = models.CharField(max_length=64, unique=True)
    pdf = models.BinaryField()
    rendered_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["year", "-rendered_at"], name="board_rendering_year")]

    def __str__(self):
        return f"Annual report {self.year} laid out at {self.rendered_at:%Y-%m-%d %H:%M}"

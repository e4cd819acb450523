"""Practitioner confidence surveys (003 SAB1).

Who was asked, and whether they answered, is an ``Invitation``. What they
answered is a ``Response`` with its ``Answer`` rows, which hold no user, no
invitation and no exact time: only the agency, the role and the day. Their
keys are random, so the order of the rows says nothing about who answered when.
"""

import uuid

from django.conf import settings
from django.db import models

from marm.core.models import VersionedModel
from marm.organisations.models import Role
from marm.surveys.vocab import ConfidenceScore, SurveyPhase, SurveyStatus


def default_roles() -> list[str]:
    return [Role.PRACTITIONER.value]


class Survey(VersionedModel):
    """A short survey the board sends to practitioners of chosen agencies and roles."""

    title = models.CharField(max_length=200)
    purpose = models.TextField(help_text="Shown to practitioners above the questions")
    agencies = models.ManyToManyField("organisations.Agency", related_name="+")
    roles = models.JSONField(default=default_roles)
    opens_on = models.DateField()
    closes_on = models.DateField()
    phase = models.CharField(max_length=20, choices=SurveyPhase.choices, default=SurveyPhase.BASELINE)
    status = models.CharField(max_length=20, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    # A follow-up survey names the survey it is compared with.
    baseline = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups")
    # The day it was closed, if the board closed it (or it passed its closing date).
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="survey_closes_after_opens"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == SurveyStatus.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status == SurveyStatus.OPEN


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text


class Invitation(models.Model):
    """Who was asked to answer a survey and whether they have: never what they answered."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    responded = models.BooleanField(default=False)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="survey_invitation_unique")]

    def __str__(self):
        return f"{self.user} – {self.survey}"


class Response(models.Model):
    """One anonymous set of answers. No user, no invitation, no time of day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=32, choices=Role.choices)
    submitted_on = models.DateField()

    class Meta:
        ordering = ["submitted_on"]
        indexes = [models.Index(fields=["survey", "agency"], name="survey_response_agency_idx")]

    def __str__(self):
        return f"Response to {self.survey}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(choices=ConfidenceScore.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_answer_once_per_question"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="survey_answer_score_range"),
        ]

    def __str__(self):
        return f"{self.question}: {self.score}"

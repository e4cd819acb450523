import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from marm.cases.lifecycle import OPEN_STATUSES, CaseStatus
from marm.cases.querysets import CaseQuerySet, CaseRecordQuerySet
from marm.cases.vocab import (
    CapacityView,
    KeyActionStatus,
    OtherProcess,
    ReviewTheme,
    ScreeningOutcome,
    YesNoUnknown,
)
from marm.core.models import VersionedModel
from marm.people.querysets import PersonRecordQuerySet


class Case(VersionedModel):
    """One MARM episode for one adult, from the concern raised to closure.

    The concern's details live on the case: a routed concern keeps its record
    and reopens into MARM with everything carried over.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=16, unique=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    # 000 2.1, 4.2: the raising agency is the lead coordinating agency.
    lead_agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="led_cases")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    # The current stage, kept by the transition service from the latest CaseTransition row.
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.CONCERN)

    # The concern (000 6.1 stage 1; 001 section 2)
    risk_categories = models.JSONField(default=list, blank=True)
    abuse_types = models.JSONField(default=list, blank=True)
    what_is_happening = models.TextField()
    current_care_and_support = models.TextField(blank=True)
    others_at_risk = models.CharField(max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    others_at_risk_details = models.TextField(blank=True)
    decisional_capacity = models.CharField(max_length=20, choices=CapacityView.choices, default=CapacityView.NOT_KNOWN)
    executive_capacity = models.CharField(max_length=20, choices=CapacityView.choices, default=CapacityView.NOT_KNOWN)
    capacity_assessment_needed = models.CharField(
        max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN
    )
    asked_about_sharing = models.CharField(max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    views_on_sharing = models.TextField(blank=True)
    # 001 3.3: the agencies the adult agreed their information may be shared with (never the board).
    # A share with any other agency is against their wishes and says so (marm/sharing/services.py).
    sharing_agreed_agencies = models.ManyToManyField("organisations.Agency", blank=True, related_name="+")
    sharing_asked_on = models.DateField(null=True, blank=True)
    sharing_asked_by = models.CharField(max_length=200, blank=True)
    unable_or_unwilling_to_self_care = models.BooleanField(default=False)
    at_risk_tests = models.JSONField(default=list, blank=True)
    entry_criteria = models.JSONField(default=list, blank=True)
    daily_life_areas = models.JSONField(default=list, blank=True)
    # The token of the concern form that raised the case: a second post of that form makes no second case.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]
        indexes = [
            models.Index(fields=["person", "raised_at"], name="case_person_idx"),
            # Open cases, newest first (the home page's lists): read in order until enough are found
            # that the user's agency takes part in, not every open case sorted.
            models.Index(
                fields=["-raised_at", "id"],
                name="case_open_raised_idx",
                condition=Q(status__in=sorted(OPEN_STATUSES)),
            ),
        ]

    def __str__(self):
        return self.reference


class CaseTransition(models.Model):
    """One move through the lifecycle: immutable, with who, when and why."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=CaseStatus.choices)
    reason = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.case_id}: {self.from_status or 'new'} → {self.to_status}"


class Screening(models.Model):
    """A manager's screening of the concern: does s42 apply, would another process fit better?"""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="screenings")
    s42_duty_applies = models.CharField(
        "does the section 42 enquiry duty apply?", max_length=10, choices=YesNoUnknown.choices
    )
    better_process = models.CharField(max_length=20, choices=OtherProcess.choices)
    dash_ticks = models.PositiveSmallIntegerField("DASH checklist ticks", null=True, blank=True)
    # 001 section 4: 14 or more ticks is high risk and points to MARAC; accepting into MARM instead says why.
    dash_reason = models.TextField("why MARM rather than MARAC", blank=True)
    outcome = models.CharField(max_length=10, choices=ScreeningOutcome.choices)
    rationale = models.TextField()
    routed_to = models.CharField("routed to (process, team or person)", max_length=200, blank=True)
    routed_on = models.DateField(null=True, blank=True)
    what_was_sent = models.TextField(blank=True)
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    screened_at = models.DateTimeField(auto_now_add=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["screened_at", "pk"]

    def __str__(self):
        return f"Screening of {self.case_id}: {self.get_outcome_display()}"


# 000 Appendix C: the processes a screening routes to that run on for the person, and that the
# register shows as active. Routing to any other (s42, children's safeguarding, ...) records none.
ROUTED_PROCESSES_TRACKED = (OtherProcess.MARAC, OtherProcess.MAPPA, OtherProcess.CHANNEL, OtherProcess.CPA)


class RoutedProcess(models.Model):
    """Another process a screening routed the person to (MARAC, MAPPA, Channel, CPA): active for the
    person from the routing date until someone records that it ended. The person page and the
    person's register entries show it; reopening into MARM while it runs asks why both should run."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="routed_processes")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="routed_processes")
    screening = models.OneToOneField(Screening, on_delete=models.PROTECT, related_name="routed_process")
    process = models.CharField(max_length=20, choices=OtherProcess.choices)
    started_on = models.DateField()
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    ended_on = models.DateField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    # A fact about the person that every agency involved with them may know (the register's
    # purpose, 000 Appendix C); the case it came from stays behind the case's own scope.
    objects = PersonRecordQuerySet.as_manager()

    class Meta:
        ordering = ["started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="routed_process_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_by__isnull=False), name="routed_process_end_has_who"
            ),
        ]
        indexes = [models.Index(fields=["person", "ended_on"], name="routed_process_person_idx")]

    def __str__(self):
        return f"{self.get_process_display()} from {self.case_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None

    @property
    def name(self) -> str:
        """The process's short name ("MARAC", not the screening form's explanation of it)."""
        return self.get_process_display().split(" (")[0]


class CaseAccessLevel(models.TextChoices):
    FULL = "full", "The full case"
    LIMITED = "limited", "Only the person's name and the agencies involved"


class CaseAgency(models.Model):
    """An agency's part in a case. Only an active row lets the agency's users see the case.

    The lead agency joins when the concern is raised; every other agency only
    through a recorded sharing decision (001 3.3). Ending keeps the row.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="agencies")
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="case_roles")
    access = models.CharField(max_length=10, choices=CaseAccessLevel.choices, default=CaseAccessLevel.FULL)
    sharing_decision = models.ForeignKey(
        "sharing.SharingDecision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lead_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.TextField(blank=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "agency"], condition=Q(ended_at__isnull=True), name="one_active_role_per_agency"
            ),
        ]
        indexes = [models.Index(fields=["agency", "case"], name="case_agency_idx")]

    def __str__(self):
        return f"{self.agency} on {self.case_id}"


class LeadProfessional(models.Model):
    """Who coordinates the case (000 2.1; 001 3.1). The latest row without an end is current."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="lead_professionals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    allocated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    allocated_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["allocated_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(ended_at__isnull=True), name="one_current_lead"),
        ]

    def __str__(self):
        return f"{self.user} leads {self.case_id}"


class KeyAction(VersionedModel):
    """One item of a stage's key-actions checklist (000 Appendix A)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="key_actions")
    stage = models.PositiveSmallIntegerField(default=1)
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=KeyActionStatus.choices, default=KeyActionStatus.OUTSTANDING)
    reason = models.TextField(blank=True, help_text="Why it does not apply")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["stage", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "stage", "code"], name="key_action_once_per_stage"),
            models.CheckConstraint(
                condition=~Q(status="not_applicable") | ~Q(reason=""), name="not_applicable_needs_reason"
            ),
        ]

    def __str__(self):
        return self.label


class CaseTheme(models.Model):
    """A review theme the case shows (self-neglect, capacity, exploitation, ...): the board's
    measures can be cut by theme, so learning from reviews is checked against live casework."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="themes")
    theme = models.CharField(max_length=30, choices=ReviewTheme.choices)
    tagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    tagged_at = models.DateTimeField(auto_now_add=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["theme"]
        constraints = [models.UniqueConstraint(fields=["case", "theme"], name="case_theme_once")]

    def __str__(self):
        return f"{self.case_id}: {self.get_theme_display()}"

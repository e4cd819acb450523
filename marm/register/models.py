"""The high-risk register (000 Appendix C) and the duty desk.

Each team keeps a register of its high-risk cases against the criteria of
000 I.4. An entry names a professional, shows the other processes that are
active, is reviewed weekly and is removed with a reason; nothing is deleted.
The duty desk logs contacts about people on the register and alerts the
named professional, who acknowledges.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from marm.register.querysets import (
    DutyContactQuerySet,
    RegisterEntryQuerySet,
    RegisterRecordQuerySet,
    SupportReportQuerySet,
)

# 000 Appendix C: "The Register will be reviewed and updated on a weekly basis."
REVIEW_INTERVAL = datetime.timedelta(days=7)


class RegisterEntry(models.Model):
    """A person on one team's register. Active while ``removed_at`` is empty."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="register_entries")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="register_entries")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="register_entries"
    )
    # 000 I.4 a-h (the same list as a concern's categories of risk).
    criteria = models.JSONField(default=list)
    # 000 Appendix C: "All cases on the Register must be allocated to a named professional."
    named_professional = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("why they are on the register")
    # 000 Appendix C: thresholds agreed per case at which undelivered support triggers a review.
    missed_visits_threshold = models.PositiveSmallIntegerField(
        "missed visits that trigger a review", null=True, blank=True
    )
    missed_visits_window_days = models.PositiveSmallIntegerField("within how many days", default=7)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removal_reason = models.TextField(blank=True)

    objects = RegisterEntryQuerySet.as_manager()

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name_plural = "register entries"
        constraints = [
            models.UniqueConstraint(
                fields=["team", "person"], condition=Q(removed_at__isnull=True), name="one_active_entry_per_team"
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | ~Q(removal_reason=""), name="removal_needs_reason"
            ),
            models.CheckConstraint(
                condition=Q(missed_visits_window_days__gte=1), name="missed_visits_window_at_least_a_day"
            ),
        ]
        indexes = [models.Index(fields=["person", "removed_at"], name="register_entry_person_idx")]

    def __str__(self):
        return f"{self.person_id} on the register of {self.team_id}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None


# The shortest and longest wait a team may set before an unacknowledged contact alert goes to its supervisors.
ACKNOWLEDGE_WITHIN_MINUTES_RANGE = (5, 24 * 60)


class RegisterSettings(models.Model):
    """How one team runs its register. A team without a row uses the installation's
    settings (``MARM_REGISTER_ACKNOWLEDGE_WITHIN_MINUTES``)."""

    team = models.OneToOneField("organisations.Team", on_delete=models.PROTECT, related_name="register_settings")
    # An out-of-hours or hospital discharge team may want minutes; a day team an hour or two.
    acknowledge_within_minutes = models.PositiveSmallIntegerField(
        "minutes to acknowledge a contact alert before the supervisors are told"
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "register settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(acknowledge_within_minutes__gte=ACKNOWLEDGE_WITHIN_MINUTES_RANGE[0])
                & Q(acknowledge_within_minutes__lte=ACKNOWLEDGE_WITHIN_MINUTES_RANGE[1]),
                name="acknowledge_within_a_day",
            )
        ]

    def __str__(self):
        return f"Register settings of team {self.team_id}"


class NamedProfessionalChange(models.Model):
    """An entry handed to another named professional, with why. Immutable: the entry's history
    of who has held it (000 Appendix C: every case "allocated to a named professional")."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="professional_changes")
    previous = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    named_professional = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("why the named professional is changing")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()

    objects = RegisterRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="professional_change_needs_reason"),
            models.CheckConstraint(
                condition=~Q(previous=models.F("named_professional")), name="professional_change_changes_someone"
            ),
        ]

    def __str__(self):
        return f"{self.entry_id}: {self.previous_id} to {self.named_professional_id}"


class ReviewOutcome(models.TextChoices):
    STAYS = "stays", "Stays on the register: plan unchanged"
    STAYS_CHANGED = "stays_changed", "Stays on the register: plan changed"
    REMOVE = "remove", "Recommend removal from the register"


class RegisterReview(models.Model):
    """One review of an entry: who, when, outcome. Immutable.

    000 Appendix C: the register is reviewed weekly, and supervisors review its
    cases with the relevant lead professional (``with_lead_professional``).
    """

    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="reviews")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField()
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices)
    notes = models.TextField()
    is_supervision = models.BooleanField("a supervisor's review with the lead professional", default=False)
    with_lead_professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = RegisterRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_supervision=False) | Q(with_lead_professional__isnull=False),
                name="supervision_names_the_lead_professional",
            ),
        ]
        indexes = [models.Index(fields=["entry", "reviewed_at"], name="register_review_entry_idx")]

    def __str__(self):
        return f"Review of {self.entry_id}: {self.get_outcome_display()}"


class ProcessKind(models.TextChoices):
    """000 Appendix C: the register shows other active processes."""

    S42 = "s42", "Section 42 safeguarding enquiry"
    MARAC = "marac", "MARAC"
    CHANNEL = "channel", "Channel"
    MAPPA = "mappa", "MAPPA"
    CPA = "cpa", "Care Programme Approach"
    OTHER = "other", "Other"


class RegisterProcess(models.Model):
    """Another process running for the person, recorded on the entry with its dates."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="processes")
    kind = models.CharField(max_length=10, choices=ProcessKind.choices)
    detail = models.CharField("reference or who runs it", max_length=200, blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = RegisterRecordQuerySet.as_manager()

    class Meta:
        ordering = ["started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="process_dates_in_order",
            ),
            models.CheckConstraint(condition=~Q(kind="other") | ~Q(detail=""), name="other_process_is_named"),
        ]

    def __str__(self):
        return self.get_kind_display()

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class ReviewTask(models.Model):
    """A review the lead professional must hold, raised by a trigger (missed visits).

    Done when a review of the entry is recorded after it was raised.
    """

    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="review_tasks")
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    # Names the event that raised it, so the same missed visits raise one task.
    key = models.CharField(max_length=200, unique=True)
    raised_at = models.DateTimeField()
    done_by_review = models.ForeignKey(
        RegisterReview, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks_done"
    )

    objects = RegisterRecordQuerySet.as_manager()

    class Meta:
        ordering = ["raised_at", "pk"]

    def __str__(self):
        return self.reason


class SupportNotDelivered(models.Model):
    """A care provider's report that agreed support was not delivered (000 Appendix C:
    "Managing refusal or disengagement from support")."""

    class Why(models.TextChoices):
        REFUSED = "refused", "The person refused the visit"
        NO_ANSWER = "no_answer", "No answer at the door"
        NOT_HOME = "not_home", "The person was not at home"
        PROVIDER = "provider", "The provider could not staff the visit"
        OTHER = "other", "Other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="support_not_delivered")
    missed_on = models.DateField("date of the missed support")
    what_was_missed = models.CharField(max_length=200)
    why = models.CharField(max_length=20, choices=Why.choices)
    notes = models.TextField(blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_by_agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField()

    objects = SupportReportQuerySet.as_manager()

    class Meta:
        ordering = ["-missed_on", "-reported_at"]
        verbose_name_plural = "reports of support not delivered"
        indexes = [models.Index(fields=["person", "missed_on"], name="support_missed_person_idx")]

    def __str__(self):
        return f"{self.what_was_missed} not delivered on {self.missed_on}"


class DutyContact(models.Model):
    """A call or visit about a person, logged at the duty desk. Immutable."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="duty_contacts")
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    caller = models.CharField("who made contact", max_length=200)
    about = models.TextField("what it was about")
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField()

    objects = DutyContactQuerySet.as_manager()

    class Meta:
        ordering = ["-logged_at", "pk"]

    def __str__(self):
        return f"Contact about {self.person_id} at {self.logged_at:%Y-%m-%d %H:%M}"


class ContactAlert(models.Model):
    """The named professional told of a contact (000 Appendix C), and their acknowledgement.

    Acknowledgement records who and when, which Mosaic users miss ("no current
    way of determining which worker acknowledged an alert"). An alert left
    unacknowledged goes to the team's supervisors (``escalated_at``).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    contact = models.ForeignKey(DutyContact, on_delete=models.PROTECT, related_name="alerts")
    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="alerts")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = RegisterRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "entry"], name="one_alert_per_contact_and_entry"),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True, acknowledged_by__isnull=True)
                | Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False),
                name="acknowledgement_has_who_and_when",
            ),
        ]
        indexes = [models.Index(fields=["acknowledged_at", "escalated_at"], name="alert_waiting_idx")]

    def __str__(self):
        return f"Alert to {self.recipient_id} about contact {self.contact_id}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

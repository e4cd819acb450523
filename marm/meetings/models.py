"""Planning and review meetings (000 6.1 stages 2 and 3; 001 3.2).

Who was invited and who came, whether the adult took part or their views were
heard, and whether advocacy was offered are what the board measures (003
SAB1): they are fields, not free text.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from marm.cases.querysets import CaseRecordQuerySet
from marm.core.models import VersionedModel
from marm.meetings.vocab import (
    ADULT_SIDE,
    ADULT_SIDE_LABELS,
    AttendanceStatus,
    CommitResources,
    InviteeKind,
    MeetingKind,
    MeetingOutcome,
    MinutesItemStatus,
)


class Meeting(VersionedModel):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True)
    virtual_link = models.URLField(max_length=500, blank=True)
    # 000 6.1; 001 3.2: chaired by a manager from the lead agency (warned, not enforced).
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agenda = models.TextField(blank=True)
    # The calendar invitation: a stable UID, and a SEQUENCE raised on every change (RFC 5545).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scheduled_at = models.DateTimeField(auto_now_add=True)
    # Set once, when the meeting is finished; the minutes are then the record.
    outcome = models.CharField(max_length=20, choices=MeetingOutcome.choices, blank=True)
    next_review_date = models.DateField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Called off before it was held: kept, with why; everyone invited is sent the cancellation.
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancellation_reason = models.TextField("why the meeting is cancelled", blank=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"),
            models.CheckConstraint(
                condition=Q(finished_at=None) | ~Q(outcome="review") | ~Q(next_review_date=None),
                name="finished_meeting_sets_review",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at=None) | (~Q(cancellation_reason="") & Q(finished_at=None)),
                name="cancelled_meeting_has_reason_and_was_not_held",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "starts_at"], name="meeting_case_idx"),
            # Meetings to come, soonest first (the home page's "meetings you are invited to"): read in
            # order until enough are found, not from every case the agency takes part in.
            models.Index(
                fields=["starts_at", "id"],
                name="meeting_open_starts_idx",
                condition=Q(finished_at=None, cancelled_at=None),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class MeetingChange(models.Model):
    """A change of time or place, kept: who, when, what, and the calendar sequence it made."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="changes")
    sequence = models.PositiveIntegerField()
    changes = models.JSONField(default=dict)
    reason = models.TextField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"Change {self.sequence} of meeting {self.meeting_id}"


class UnderMeetingQuerySet(CaseRecordQuerySet):
    """Records under a meeting: readable with full access to the meeting's case."""

    case_path = "meeting__case_id"


class Invitation(models.Model):
    """Someone invited to the meeting: an agency, through a named marm user or a named person who does
    not use marm; someone from an organisation that does not use marm (named in ``organisation_name``);
    or the adult, their advocate, a family member or carer (001 3.2), who are not agencies."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="invitations")
    kind = models.CharField(max_length=20, choices=InviteeKind.choices, default=InviteeKind.AGENCY)
    agency = models.ForeignKey(
        "organisations.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation_name = models.CharField("organisation", max_length=200, blank=True)
    relationship = models.CharField("relationship to the adult", max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    role_title = models.CharField("role", max_length=200, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)
    # The calendar SEQUENCE last e-mailed to a person who does not use marm.
    emailed_sequence = models.IntegerField(default=-1)
    minutes_sent_at = models.DateTimeField(null=True, blank=True)

    objects = UnderMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["invited_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(user=None) | ~Q(name=""), name="invitation_names_someone"),
            # An agency's invitation names the agency; anyone else's names no agency and no marm user,
            # and someone from an organisation outside marm names it and is reached by e-mail.
            models.CheckConstraint(
                condition=Q(kind=InviteeKind.AGENCY, agency__isnull=False, organisation_name="")
                | Q(kind=InviteeKind.OUTSIDE, agency=None, user=None) & ~Q(organisation_name="") & ~Q(email="")
                | Q(kind__in=ADULT_SIDE, agency=None, user=None, organisation_name=""),
                name="invitation_agency_or_organisation",
            ),
            models.UniqueConstraint(fields=["meeting", "user"], name="invite_user_once"),
        ]

    def __str__(self):
        return f"{self.person_label} ({self.organisation_label})"

    @property
    def person_label(self) -> str:
        return self.user.full_name if self.user_id else self.name

    @property
    def organisation_label(self) -> str:
        """The agency, the organisation outside marm, or who they are to the adult."""
        if self.kind == InviteeKind.AGENCY:
            return self.agency.name
        if self.kind == InviteeKind.OUTSIDE:
            return f"{self.organisation_name} (not in marm)"
        label = ADULT_SIDE_LABELS[self.kind]
        return f"{label}: {self.relationship}" if self.relationship else label


class Attendance(models.Model):
    """Did the invitee come, and could they commit their agency's resources? One row per invitation."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendance")
    invitation = models.OneToOneField(Invitation, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)
    can_commit_resources = models.CharField(
        max_length=10, choices=CommitResources.choices, default=CommitResources.NOT_ASKED
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["invitation_id"]

    def __str__(self):
        return f"{self.invitation_id}: {self.get_status_display()}"


class AdultParticipation(VersionedModel):
    """The adult at the centre of the meeting (001 3.2; 000 5.1): there, or their views heard, and advocacy."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="adult")
    attended = models.BooleanField()
    views = models.TextField(blank=True, help_text="The adult's views and wishes, in their words where possible")
    views_gathered_by = models.CharField(max_length=200, blank=True)
    views_not_gathered_reason = models.TextField(blank=True)
    advocate_offered = models.BooleanField()
    advocate_accepted = models.BooleanField(default=False)
    advocate_present = models.BooleanField(default=False)
    family_or_carers_present = models.BooleanField(default=False)
    family_or_carers_details = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # 001 3.2: the adult is there, or their views (or why they could not be gathered) are.
            models.CheckConstraint(
                condition=Q(attended=True) | ~Q(views="") | ~Q(views_not_gathered_reason=""),
                name="adult_voice_recorded",
            ),
            models.CheckConstraint(
                condition=Q(advocate_offered=True) | (Q(advocate_accepted=False) & Q(advocate_present=False)),
                name="advocate_only_if_offered",
            ),
        ]

    def __str__(self):
        return f"The adult at meeting {self.meeting_id}"

    @property
    def views_heard(self) -> bool:
        return self.attended or bool(self.views)


class MinutesItem(VersionedModel):
    """One key action of the stage (000 Appendix A), addressed with notes or not addressed with a reason."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes_items")
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=MinutesItemStatus.choices, default=MinutesItemStatus.OUTSTANDING)
    notes = models.TextField(blank=True)
    reason_not_addressed = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    objects = UnderMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "code"], name="minutes_item_once"),
            models.CheckConstraint(
                condition=~Q(status="not_addressed") | ~Q(reason_not_addressed=""), name="not_addressed_needs_reason"
            ),
        ]

    def __str__(self):
        return self.label


class MeetingDecision(models.Model):
    """A decision taken in the meeting: the decision itself lives in the decision log."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decision_links")
    decision = models.OneToOneField("decisions.Decision", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"Decision {self.decision_id} at meeting {self.meeting_id}"

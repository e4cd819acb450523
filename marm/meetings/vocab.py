"""The lists a meeting is recorded against: the board measures these (003 SAB1), so they are data."""

from django.db import models

from marm.cases.vocab import STAGE_2_KEY_ACTIONS, STAGE_3_KEY_ACTIONS


class MeetingKind(models.TextChoices):
    PLANNING = "planning", "Planning meeting"
    REVIEW = "review", "Review meeting"


# 000 Appendix A: the key actions a meeting works through, by kind.
KEY_ACTIONS = {MeetingKind.PLANNING: STAGE_2_KEY_ACTIONS, MeetingKind.REVIEW: STAGE_3_KEY_ACTIONS}
STAGE = {MeetingKind.PLANNING: 2, MeetingKind.REVIEW: 3}


class InviteeKind(models.TextChoices):
    """Who an invitation is for: an agency in marm, or someone who is not an agency (001 3.2)."""

    AGENCY = "agency", "Someone from an agency involved in the case"
    OUTSIDE = "outside", "Someone from an organisation that does not use marm"
    ADULT = "adult", "The adult"
    ADVOCATE = "advocate", "The adult's advocate"
    FAMILY = "family", "Family member or carer"


# People invited for the adult, not for an organisation: the board's attendance by agency leaves them out.
ADULT_SIDE = (InviteeKind.ADULT, InviteeKind.ADVOCATE, InviteeKind.FAMILY)
ADULT_SIDE_LABELS = {
    InviteeKind.ADULT: "The adult",
    InviteeKind.ADVOCATE: "Advocate",
    InviteeKind.FAMILY: "Family member or carer",
}


class AttendanceStatus(models.TextChoices):
    """SafeLives MARAC minutes: attended, apologies, information sent, or did not attend."""

    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Sent apologies"
    SENT_INFORMATION = "sent_information", "Sent apologies and information"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"


# Who counts as present: a participant in the meeting's decisions and a recipient of its minutes.
ATTENDED = {AttendanceStatus.ATTENDED}


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class CommitResources(models.TextChoices):
    """000 Appendix A stage 1: attendees able to make decisions and commit resources for their agency."""

    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_ASKED = "not_asked", "Not known"


class MinutesItemStatus(models.TextChoices):
    OUTSTANDING = "outstanding", "Not yet discussed"
    ADDRESSED = "addressed", "Addressed"
    NOT_ADDRESSED = "not_addressed", "Not addressed"


class MeetingOutcome(models.TextChoices):
    """Each meeting sets the date of the next review, unless it closes or escalates the case (000 6.2, 5.4)."""

    REVIEW = "review", "Continue: review at the next meeting"
    CLOSE = "close", "Recommend closure: risks resolved or managed to an acceptable level"
    ESCALATE = "escalate", "Recommend escalation to a section 42 enquiry"

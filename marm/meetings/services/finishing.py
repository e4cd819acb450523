"""The minutes and the end of the meeting: each key action of the stage addressed or not,
finishing the meeting (the case moves to its stage), and sending the minutes to those who came."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marm.access.guard import acts_on
from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.lifecycle import CaseStatus, MoveNotAllowed
from marm.cases.rules import require_at_stage
from marm.cases.services import case_transition
from marm.core.locking import save_if_current
from marm.decisions.models import DecisionKind
from marm.decisions.services import decision_record
from marm.meetings.ics import meeting_title
from marm.meetings.models import Meeting, MeetingDecision, MinutesItem
from marm.meetings.selectors import finish_problems, meeting_attendees, minutes_not_borne_out
from marm.meetings.services._common import check_open, meeting_link
from marm.meetings.tasks import minutes_email_send
from marm.meetings.vocab import ADULT_SIDE, MeetingKind, MeetingOutcome, MinutesItemStatus
from marm.notifications.services import notify

# Finishing a meeting moves the case to the stage it belongs to.
STAGE_OF = {MeetingKind.PLANNING: CaseStatus.PLANNING, MeetingKind.REVIEW: CaseStatus.REVIEW}


@acts_on(item="meeting__case")
@transaction.atomic
def minutes_item_record(
    *, acting_user, item: MinutesItem, expected_version: int, status: str, notes: str = "", reason: str = ""
) -> MinutesItem:
    """A key action of the stage: addressed, with notes, or not addressed, with the reason."""
    require(acting_user, "meetings.record_meeting")
    meeting = item.meeting
    check_open(meeting)
    if status == MinutesItemStatus.ADDRESSED and not notes.strip():
        raise ValidationError({"notes": "Record what the meeting said or agreed"})
    if status == MinutesItemStatus.NOT_ADDRESSED and not reason.strip():
        raise ValidationError({"reason": "Say why this was not addressed"})
    if status not in MinutesItemStatus.values:
        raise ValidationError({"status": "Select whether this was addressed"})
    # A key action the records must bear out (a review's "Update the risk assessment": a version
    # agreed since the last meeting) is addressed only when they do.
    item.status = status
    contradicted = minutes_not_borne_out(meeting=meeting, items=[item])
    if contradicted:
        raise ValidationError({"status": contradicted[item.code]})
    item.notes = notes.strip()
    item.reason_not_addressed = reason.strip() if status == MinutesItemStatus.NOT_ADDRESSED else ""
    item.updated_by = acting_user
    item.updated_at = timezone.now()
    item.full_clean()
    save_if_current(
        item,
        expected_version=expected_version,
        fields=["status", "notes", "reason_not_addressed", "updated_by", "updated_at"],
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=item,
        person_id=meeting.case.person_id,
        detail={"code": item.code, "status": status},
    )
    return item


@acts_on(meeting="case")
@transaction.atomic
def meeting_finish(
    *,
    acting_user,
    meeting: Meeting,
    expected_version: int,
    outcome: str,
    next_review_date: datetime.date | None = None,
    rationale: str = "",
) -> Meeting:
    """Finish the meeting: its record is complete, the case moves to the meeting's stage, and
    the next review is set (000 6.1), unless the meeting recommends closure or escalation."""
    require_at_stage(
        acting_user,
        "meetings.finish_meeting",
        meeting,
        refusal=lambda: ValidationError(str(MoveNotAllowed(meeting.case.status, STAGE_OF[meeting.kind]))),
    )
    check_open(meeting)
    if outcome not in MeetingOutcome.values:
        raise ValidationError({"outcome": "Select the outcome of the meeting"})
    errors = finish_problems(meeting=meeting, outcome=outcome, next_review_date=next_review_date)
    if outcome != MeetingOutcome.REVIEW and not rationale.strip():
        errors["rationale"] = "Give the rationale for recommending this"
    if errors:
        raise ValidationError(errors)
    meeting.outcome = outcome
    meeting.next_review_date = next_review_date if outcome == MeetingOutcome.REVIEW else None
    meeting.finished_at = timezone.now()
    meeting.finished_by = acting_user
    meeting.full_clean()
    save_if_current(
        meeting, expected_version=expected_version, fields=["outcome", "next_review_date", "finished_at", "finished_by"]
    )
    case = meeting.case
    target = STAGE_OF[meeting.kind]
    held = f"{meeting.get_kind_display()} held on {timezone.localdate(meeting.starts_at):%d/%m/%Y}"
    if not (case.status == target == CaseStatus.PLANNING):
        try:
            case_transition(acting_user=acting_user, case=case, to_status=target, reason=held)
        except MoveNotAllowed as error:
            raise ValidationError(str(error)) from None
    _, present = meeting_attendees(meeting=meeting)
    summary = {
        MeetingOutcome.REVIEW: f"{held}; next review by {meeting.next_review_date:%d/%m/%Y}"
        if next_review_date
        else "",
        MeetingOutcome.CLOSE: f"{held}; the meeting recommends closing the case",
        MeetingOutcome.ESCALATE: f"{held}; the meeting recommends escalation to a section 42 enquiry",
    }[outcome]
    decision = decision_record(
        acting_user=acting_user,
        person=case.person,
        case=case,
        kind=DecisionKind.OTHER,
        summary=summary,
        rationale=rationale or "The stage's key actions were worked through and the plan agreed.",
        participants=[acting_user, *(i.user for i in present if i.user_id)],
        other_participants="; ".join(f"{i.name} ({i.organisation_label})" for i in present if not i.user_id),
    )
    MeetingDecision.objects.create(meeting=meeting, decision=decision)
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=meeting,
        person_id=case.person_id,
        detail={"finished": True, "outcome": outcome, "next_review_date": str(meeting.next_review_date or "")},
    )
    return meeting


@acts_on(meeting="case")
@transaction.atomic
def minutes_send(*, acting_user, meeting: Meeting) -> list[str]:
    """Send the minutes to those who attended: an audited disclosure.

    marm users are told in marm (the minutes stay behind sign-in); people who
    do not use marm are e-mailed the PDF by a background job. Returns who was sent them.
    """
    require(acting_user, "meetings.record_meeting")
    if not meeting.is_finished:
        raise ValidationError("Finish the meeting before sending its minutes")
    _, present = meeting_attendees(meeting=meeting)
    users = [i for i in present if i.user_id and i.user_id != acting_user.pk]
    # The adult and those there for them get what is theirs through the adult's copies (000 6.1), not
    # the minutes, which carry what every agency said.
    by_email = [i for i in present if not i.user_id and i.email and i.kind not in ADULT_SIDE]
    if not users and not by_email:
        raise ValidationError("Nobody who attended can be sent the minutes: record an e-mail address for them")
    for invitation in users:
        notify(
            recipient=invitation.user,
            kind="meeting_minutes",
            key=f"meeting-minutes:{meeting.pk}:{invitation.user_id}",
            title=f"The minutes of the {meeting_title(meeting)} are ready",
            link=meeting_link(meeting),
            actor=acting_user,
        )
    if by_email:
        minutes_email_send.enqueue(meeting.pk, [i.pk for i in by_email])
    recipients = [i.user.email for i in users] + [i.email for i in by_email]
    audit_record(
        actor=acting_user,
        action=AuditAction.EXPORT,
        obj=meeting,
        person_id=meeting.case.person_id,
        purpose="Minutes sent to the meeting's attendees",
        detail={"document": "minutes", "recipients": recipients},
    )
    return recipients

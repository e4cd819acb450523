"""Setting a meeting up, moving it, and calling it off (000 6.1; calendar files per RFC 5546)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marm.access.guard import acts_on
from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.lifecycle import CaseStatus
from marm.cases.models import Case
from marm.cases.rules import require_role
from marm.cases.services import key_actions_mark
from marm.cases.vocab import KeyActionStatus
from marm.core.locking import save_if_current
from marm.meetings.ics import meeting_title
from marm.meetings.models import Meeting, MeetingChange, MinutesItem
from marm.meetings.rules import SCHEDULE_MEETING
from marm.meetings.selectors import agency_has_full_access
from marm.meetings.services._common import check_open, tell_invited, when
from marm.meetings.services.invitations import _invite
from marm.meetings.vocab import KEY_ACTIONS, MeetingKind

# 000 Appendix A stage 1: "Set up a multi-agency risk planning meeting".
PLANNING_MEETING_SET_UP = "planning_meeting"


def _check_times(starts_at, ends_at, place, virtual_link) -> dict:
    errors = {}
    if starts_at is None:
        errors["starts_at"] = "Enter the date and time the meeting starts"
    if ends_at is None:
        errors["ends_at"] = "Enter the time the meeting ends"
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = "The meeting must end after it starts"
    if not (place or "").strip() and not (virtual_link or "").strip():
        errors["place"] = "Enter where the meeting is, or a link to join it online"
    return errors


@acts_on("case")
@transaction.atomic
def meeting_schedule(
    *,
    acting_user,
    case: Case,
    kind: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    chair,
    place: str = "",
    virtual_link: str = "",
    agenda: str = "",
) -> Meeting:
    """Schedule a planning (stage 2) or review (stage 3) meeting; its minutes follow the stage's key actions."""
    require_role(acting_user, "meetings.schedule_meeting", case)
    errors = _check_times(starts_at, ends_at, place, virtual_link)
    if kind not in MeetingKind.values:
        errors["kind"] = "Select planning or review meeting"
    elif not acting_user.has_perm(SCHEDULE_MEETING[kind], case):
        errors["kind"] = (
            f"A {MeetingKind(kind).label.lower()} cannot be scheduled while the case is at "
            f"'{CaseStatus(case.status).label}'"
        )
    if chair is None:
        errors["chair"] = "Select who will chair the meeting"
    elif not agency_has_full_access(case=case, agency_id=chair.agency_id):
        errors["chair"] = "The chair must work for an agency that takes part in the case in full"
    if errors:
        raise ValidationError(errors)
    meeting = Meeting(
        case=case,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        chair=chair,
        place=place.strip(),
        virtual_link=virtual_link.strip(),
        agenda=agenda.strip(),
        scheduled_by=acting_user,
    )
    meeting.full_clean()
    meeting.save(force_insert=True)
    items = MinutesItem.objects.bulk_create(
        MinutesItem(meeting=meeting, code=code, label=label, position=position)
        for position, (code, label) in enumerate(KEY_ACTIONS[kind], start=1)
    )
    # The minutes' items are born with the meeting, blank, from a fixed list: the meeting's own
    # row names them rather than one row each.
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=meeting,
        person_id=case.person_id,
        detail={
            "kind": kind,
            "starts_at": starts_at.isoformat(),
            "chair": chair.pk,
            "minutes_items": [item.pk for item in items],
        },
    )
    # The chair is invited, so their attendance is recorded like everyone's.
    _invite(acting_user=acting_user, meeting=meeting, agency=chair.agency, user=chair, role_title="Chair")
    if kind == MeetingKind.PLANNING:
        key_actions_mark(
            acting_user=acting_user,
            case=case,
            codes=[PLANNING_MEETING_SET_UP],
            status=KeyActionStatus.DONE,
            from_statuses=[KeyActionStatus.OUTSTANDING],
            reason=f"Planning meeting scheduled for {when(meeting)}",
        )
    return meeting


@acts_on(meeting="case")
@transaction.atomic
def meeting_change(
    *,
    acting_user,
    meeting: Meeting,
    expected_version: int,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    virtual_link: str = "",
    agenda: str = "",
    reason: str,
) -> Meeting:
    """Move the meeting or change where it is: the calendar SEQUENCE rises and everyone invited is told."""
    require(acting_user, "meetings.change_meeting")
    check_open(meeting)
    errors = _check_times(starts_at, ends_at, place, virtual_link)
    if not reason.strip():
        errors["reason"] = "Say why the meeting is changing"
    if errors:
        raise ValidationError(errors)
    before = {
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "virtual_link": meeting.virtual_link,
        "agenda": meeting.agenda,
    }
    after = {
        "starts_at": starts_at,
        "ends_at": ends_at,
        "place": place.strip(),
        "virtual_link": virtual_link.strip(),
        "agenda": agenda.strip(),
    }
    changed = {field: [str(before[field]), str(after[field])] for field in before if before[field] != after[field]}
    if not changed:
        raise ValidationError("Nothing has changed")
    for field, value in after.items():
        setattr(meeting, field, value)
    meeting.sequence += 1
    meeting.full_clean()
    save_if_current(meeting, expected_version=expected_version, fields=[*after, "sequence"])
    MeetingChange.objects.create(
        meeting=meeting, sequence=meeting.sequence, changes=changed, reason=reason.strip(), changed_by=acting_user
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=meeting,
        person_id=meeting.case.person_id,
        detail={"changes": changed, "sequence": meeting.sequence},
    )
    tell_invited(
        meeting,
        acting_user=acting_user,
        kind="meeting_changed",
        key=f"meeting-changed:{meeting.pk}:{meeting.sequence}",
        title=f"The {meeting_title(meeting)} has changed: now {when(meeting)}",
    )
    return meeting


@acts_on(meeting="case")
@transaction.atomic
def meeting_cancel(*, acting_user, meeting: Meeting, expected_version: int, reason: str) -> Meeting:
    """Call the meeting off before it is held, with why: the calendar SEQUENCE rises and everyone
    invited is sent the cancellation (METHOD:CANCEL), so it leaves their calendars."""
    require(acting_user, "meetings.change_meeting")
    check_open(meeting)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the meeting is cancelled"})
    meeting.cancelled_at = timezone.now()
    meeting.cancelled_by = acting_user
    meeting.cancellation_reason = reason.strip()
    meeting.sequence += 1
    meeting.full_clean()
    save_if_current(
        meeting,
        expected_version=expected_version,
        fields=["cancelled_at", "cancelled_by", "cancellation_reason", "sequence"],
    )
    MeetingChange.objects.create(
        meeting=meeting,
        sequence=meeting.sequence,
        changes={"cancelled": [str(meeting.starts_at), "cancelled"]},
        reason=f"Cancelled: {reason.strip()}",
        changed_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=meeting,
        person_id=meeting.case.person_id,
        detail={"cancelled": True, "sequence": meeting.sequence},
    )
    if (
        meeting.kind == MeetingKind.PLANNING
        and not Meeting.objects.filter(case=meeting.case, kind=MeetingKind.PLANNING, cancelled_at__isnull=True)
        .exclude(pk=meeting.pk)
        .exists()
    ):
        # No planning meeting is set up any more: 000 Appendix A stage 1 is outstanding again.
        key_actions_mark(
            acting_user=acting_user,
            case=meeting.case,
            codes=[PLANNING_MEETING_SET_UP],
            status=KeyActionStatus.OUTSTANDING,
            from_statuses=[KeyActionStatus.DONE],
            reason=f"The planning meeting of {when(meeting)} was cancelled",
        )
    tell_invited(
        meeting,
        acting_user=acting_user,
        kind="meeting_cancelled",
        key=f"meeting-cancelled:{meeting.pk}",
        title=f"The {meeting_title(meeting)} of {when(meeting)} is cancelled",
    )
    return meeting

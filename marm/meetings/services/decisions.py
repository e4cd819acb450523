"""Decisions taken in the meeting: into the decision log, with everyone who attended as participants."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marm.access.guard import acts_on
from marm.access.rules import require
from marm.decisions.models import DecisionKind
from marm.decisions.services import decision_record
from marm.meetings.models import Meeting, MeetingDecision
from marm.meetings.selectors import meeting_attendees
from marm.meetings.services._common import check_open


@acts_on(meeting="case")
@transaction.atomic
def meeting_decision_record(
    *, acting_user, meeting: Meeting, summary: str, rationale: str, options_considered: str = "", legislation=()
):
    """A decision taken in the meeting, in the decision log with everyone who attended as participants."""
    require(acting_user, "meetings.record_meeting")
    check_open(meeting)
    if not rationale.strip():
        raise ValidationError({"rationale": "Give the rationale, tied to the circumstances of this case"})
    _, present = meeting_attendees(meeting=meeting)
    decision = decision_record(
        acting_user=acting_user,
        person=meeting.case.person,
        case=meeting.case,
        kind=DecisionKind.OTHER,
        summary=f"{meeting.get_kind_display()} {timezone.localdate(meeting.starts_at):%d/%m/%Y}: {summary.strip()}",
        rationale=rationale,
        options_considered=options_considered,
        participants=[acting_user, *(i.user for i in present if i.user_id)],
        other_participants="; ".join(
            f"{i.name}{f', {i.role_title}' if i.role_title else ''} ({i.agency})" for i in present if not i.user_id
        ),
        legislation=legislation,
    )
    MeetingDecision.objects.create(meeting=meeting, decision=decision)
    return decision

"""Writes on meetings: scheduling and changing them, invitations, attendance, the adult's
participation, the minutes, decisions taken in the meeting, finishing and sending the minutes.

Each service is one transaction with its audit rows, and acts only on a case its user sees in
full (``marm.access.guard.acts_on``). Invited users are told through marm.notifications; people
who do not use marm are e-mailed the calendar file by a background job written in the same
transaction. Reads (what stops a meeting finishing, who attended) are in ``marm.meetings.selectors``.
"""

from marm.meetings.services.decisions import meeting_decision_record
from marm.meetings.services.finishing import meeting_finish, minutes_item_record, minutes_send
from marm.meetings.services.invitations import (
    adult_participation_record,
    attendance_record,
    invitation_add,
    invitation_add_person,
)
from marm.meetings.services.scheduling import meeting_cancel, meeting_change, meeting_schedule

__all__ = [
    "adult_participation_record",
    "attendance_record",
    "invitation_add",
    "invitation_add_person",
    "meeting_cancel",
    "meeting_change",
    "meeting_decision_record",
    "meeting_finish",
    "meeting_schedule",
    "minutes_item_record",
    "minutes_send",
]

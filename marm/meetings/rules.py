import rules

from marm.access.rules import does_casework, is_manager
from marm.cases.lifecycle import CaseStatus, moves_into
from marm.cases.rules import add_case_perm, case_status_in
from marm.meetings.vocab import MeetingKind


@rules.predicate
def in_meeting_lead_agency(user, meeting):
    return meeting is not None and user.agency_id == meeting.case.lead_agency_id


# 000 6.1: finishing a meeting brings the case to the meeting's stage, so a meeting is held where
# that move is open: a planning meeting follows acceptance (or an enquiry, or another planning
# meeting); review meetings follow the planning meeting.
MEETING_STAGES = {
    MeetingKind.PLANNING: moves_into(CaseStatus.PLANNING) | {CaseStatus.PLANNING},
    MeetingKind.REVIEW: moves_into(CaseStatus.REVIEW),
}
SCHEDULE_MEETING = {
    MeetingKind.PLANNING: "meetings.schedule_planning_meeting",
    MeetingKind.REVIEW: "meetings.schedule_review_meeting",
}


@rules.predicate
def meeting_at_stage(user, meeting):
    return meeting is not None and meeting.case.status in MEETING_STAGES[meeting.kind]


# 001 3.2: the lead professional usually convenes, but any involved agency may.
add_case_perm(
    SCHEDULE_MEETING[MeetingKind.PLANNING],
    who=does_casework,
    stage=case_status_in(MEETING_STAGES[MeetingKind.PLANNING]),
)
add_case_perm(
    SCHEDULE_MEETING[MeetingKind.REVIEW], who=does_casework, stage=case_status_in(MEETING_STAGES[MeetingKind.REVIEW])
)
# A meeting of some kind can be scheduled on the case now.
add_case_perm(
    "meetings.schedule_meeting", who=does_casework, stage=case_status_in(frozenset().union(*MEETING_STAGES.values()))
)
# Moving a meeting or calling it off.
rules.add_perm("meetings.change_meeting", does_casework)
# Attendance, the adult's participation, minutes, invitations and decisions taken in the meeting.
rules.add_perm("meetings.record_meeting", does_casework)
# Finishing moves the case (planning, review): a responsible manager of the lead agency signs it off (000 6.1).
add_case_perm("meetings.finish_meeting", who=is_manager & in_meeting_lead_agency, stage=meeting_at_stage)

import rules

from marm.access.rules import does_casework, is_manager


@rules.predicate
def in_meeting_lead_agency(user, meeting):
    return meeting is not None and user.agency_id == meeting.case.lead_agency_id


# 001 3.2: the lead professional usually convenes, but any involved agency may.
rules.add_perm("meetings.schedule_meeting", does_casework)
# Attendance, the adult's participation, minutes, invitations and decisions taken in the meeting.
rules.add_perm("meetings.record_meeting", does_casework)
# Finishing moves the case (planning, review): a responsible manager of the lead agency signs it off (000 6.1).
rules.add_perm("meetings.finish_meeting", is_manager & in_meeting_lead_agency)

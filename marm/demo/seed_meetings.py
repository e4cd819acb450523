"""A planning meeting held last week on one demo case, written through the meetings and plans services:
attendance, the adult's views, every key action, two actions (one due in two days, so the reminder
sweep has something to send), a contingency plan and the next review date."""

import datetime

from django.utils import timezone

from marm.meetings.models import Meeting
from marm.meetings.services import (
    adult_participation_record,
    attendance_record,
    invitation_add,
    meeting_finish,
    meeting_schedule,
    minutes_item_record,
)
from marm.plans.services import action_create, contingency_plan_agree

AGREED_AFTER_THE_MEETING = {
    "holistic_assessment": "The agencies send their parts this week; the lead professional agrees it then.",
    "copy_of_assessment": "She is given a copy once the assessment is agreed.",
}


def seed_planning_meeting(case, users, agencies) -> None:
    if Meeting.objects.filter(case=case).exists():
        return
    manager, practitioner, police = users["manager"], users["practitioner"], users["police"]
    today = timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=7), datetime.time(10)))
    meeting = meeting_schedule(
        acting_user=practitioner,
        case=case,
        kind="planning",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1, minutes=30),
        chair=manager,
        place="County Hall, Committee Room 2",
        agenda="The risks; the adult's views; the plan; contingency",
    )
    invitation_add(acting_user=practitioner, meeting=meeting, agency=practitioner.agency, user=practitioner)
    invitation_add(acting_user=practitioner, meeting=meeting, agency=police.agency, user=police)
    invitation_add(
        acting_user=practitioner,
        meeting=meeting,
        agency=police.agency,
        name="Sergeant Alan Whitby",
        email="alan.whitby@police.example.org",
        role_title="Neighbourhood sergeant",
    )
    attendance_record(
        acting_user=practitioner,
        meeting=meeting,
        entries=[
            (invitation, "apologies" if invitation.name else "attended", "not_asked" if invitation.name else "yes")
            for invitation in meeting.invitations.all()
        ],
    )
    adult_participation_record(
        acting_user=practitioner,
        meeting=meeting,
        attended=False,
        views="Wants to stay at home and be left alone; would accept help with the electricity.",
        views_gathered_by=f"{practitioner.full_name}, on a home visit two days before",
        advocate_offered=True,
    )
    action_create(
        acting_user=practitioner,
        case=case,
        what="Welfare check after dark, weekly, and report any visitors",
        lead_user=police,
        agency=police.agency,
        due_date=today + datetime.timedelta(days=2),
        risk_aspects=["public_safety", "support_network"],
        source="meeting",
        meeting=meeting,
    )
    action_create(
        acting_user=practitioner,
        case=case,
        what="Arrange an energy supplier priority-services registration with the adult",
        lead_user=practitioner,
        agency=practitioner.agency,
        due_date=today + datetime.timedelta(days=14),
        risk_aspects=["home_environment", "money"],
        source="meeting",
        meeting=meeting,
    )
    contingency_plan_agree(
        acting_user=practitioner,
        case=case,
        meeting=meeting,
        summary="If she stops answering the door or the police are called again.",
        triggers=[
            {
                "kind": "missed_contacts",
                "threshold": "Two missed contacts in a week",
                "what_to_do": "Joint visit by social care and police within 48 hours",
                "who_to_contact": "Lead professional; out of hours the emergency duty team",
                "escalation_route": "senior_manager",
            },
            {
                "kind": "police_call_out",
                "threshold": "Any call-out about a visitor taking money",
                "what_to_do": "Reconvene the meeting within a week",
                "who_to_contact": "Vulnerability hub and the lead professional",
                "escalation_route": "s42_referral",
            },
        ],
    )
    # The risk assessment is agreed after the meeting (seed_risk), once every agency has sent its
    # part: those key actions are minuted as not addressed, as the records cannot bear them out yet.
    for item in meeting.minutes_items.all():
        later = AGREED_AFTER_THE_MEETING.get(item.code, "")
        minutes_item_record(
            acting_user=practitioner,
            item=item,
            expected_version=item.version,
            status="not_addressed" if later else "addressed",
            notes="" if later else "Discussed and agreed; see the action plan.",
            reason=later,
        )
    meeting.refresh_from_db()
    meeting_finish(
        acting_user=manager,
        meeting=meeting,
        expected_version=meeting.version,
        outcome="review",
        next_review_date=today + datetime.timedelta(days=35),
    )

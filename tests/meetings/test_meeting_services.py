"""Running a planning meeting and a review meeting end to end through the services."""

import datetime

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from marm.audit.models import AuditAction, AuditEvent
from marm.cases.models import CaseTransition, KeyAction
from marm.decisions.models import Decision
from marm.meetings import services
from marm.meetings.models import AdultParticipation, Meeting
from marm.notifications.models import Notification
from marm.plans.services import action_create
from tests.meetings.conftest import at, hours_ago
from tests.risk.helpers import agreed_version

pytestmark = pytest.mark.django_db

# Key actions done only when their records exist (the key action checks of marm.cases, marm.risk and
# marm.plans) that these meetings do not make: the risk assessment, the adult's copy, the contingency
# plan, their updates at a review, the lead professional.
RECORDS_MADE_AFTER = {
    "holistic_assessment",
    "copy_of_assessment",
    "contingency_plan",
    "update_assessment",
    "update_contingency",
    "agree_lead",
}


def run_through(meeting, *, by, police_b=None):
    """Attendance, the adult, one action, and every key action addressed: ready to finish."""
    services.attendance_record(
        acting_user=by,
        meeting=meeting,
        entries=[(i, "attended", "yes") for i in meeting.invitations.all()],
    )
    services.adult_participation_record(
        acting_user=by,
        meeting=meeting,
        attended=False,
        views="I want to stay in my flat and keep my things.",
        views_gathered_by="Priya Nandra, social worker, on a home visit",
        advocate_offered=True,
        advocate_accepted=False,
    )
    action_create(
        acting_user=by,
        case=meeting.case,
        what="Fire service home safety visit and smoke alarms fitted",
        lead_name="Station Manager Kaur",
        agency=by.agency,
        due_date=timezone.localdate() + datetime.timedelta(days=14),
        risk_aspects=["home_environment", "public_safety"],
        meeting=meeting,
        source="meeting",
    )
    for item in meeting.minutes_items.all():
        try:
            services.minutes_item_record(
                acting_user=by, item=item, expected_version=item.version, status="addressed", notes="Discussed."
            )
        except ValidationError as refused:
            # Records the meeting has not made yet (the risk assessment, the adult's copy, the
            # contingency plan): minuted as not addressed, saying why.
            if item.code not in RECORDS_MADE_AFTER:
                raise
            services.minutes_item_record(
                acting_user=by,
                item=item,
                expected_version=item.version,
                status="not_addressed",
                reason=refused.message_dict["status"][0],
            )


def test_scheduling_sets_up_the_minutes_invites_the_chair_and_ticks_stage_1(planning_meeting, manager_a):
    codes = list(planning_meeting.minutes_items.values_list("code", flat=True))
    assert codes[0] == "care_and_support_summary" and "smart_action_plan" in codes and len(codes) == 14
    assert [i.user for i in planning_meeting.invitations.all()] == [manager_a]
    assert Notification.objects.filter(recipient=manager_a, kind="meeting_invitation").count() == 1
    assert KeyAction.objects.get(case=planning_meeting.case, stage=1, code="planning_meeting").status == "done"


def test_a_review_meeting_works_through_stage_3(planning_meeting):
    assert planning_meeting.case.status == "accepted"
    with pytest.raises(ValidationError) as error:
        services.meeting_schedule(
            acting_user=planning_meeting.scheduled_by,
            case=planning_meeting.case,
            kind="review",
            starts_at=at(10),
            ends_at=at(10, 11),
            chair=planning_meeting.chair,
            place="Civic Centre",
        )
    assert "cannot be scheduled" in str(error.value)


def test_a_meeting_needs_a_place_or_link_and_a_chair_who_sees_the_case(planning_case, practitioner_a, gp_c):
    with pytest.raises(ValidationError) as error:
        services.meeting_schedule(
            acting_user=practitioner_a,
            case=planning_case,
            kind="planning",
            starts_at=at(3),
            ends_at=at(3, 11),
            chair=gp_c,
        )
    assert set(error.value.message_dict) == {"place", "chair"}
    assert not Meeting.objects.exists()


def test_inviting_a_user_notifies_them_and_a_named_person_gets_the_ics_by_email(
    planning_meeting, practitioner_a, police_b, agency_b
):
    mail.outbox.clear()
    services.invitation_add(acting_user=practitioner_a, meeting=planning_meeting, agency=agency_b, user=police_b)
    services.invitation_add(
        acting_user=practitioner_a,
        meeting=planning_meeting,
        agency=agency_b,
        name="Sergeant Alan Whitby",
        email="alan.whitby@police.example.org",
        role_title="Neighbourhood sergeant",
    )
    told = Notification.objects.get(recipient=police_b, kind="meeting_invitation")
    assert planning_meeting.case.reference in told.title
    assert "Thornbury" not in told.title
    to_whitby = [m for m in mail.outbox if m.to == ["alan.whitby@police.example.org"]]
    assert len(to_whitby) == 1
    name, content, mimetype = to_whitby[0].attachments[0]
    assert name == "invitation.ics" and mimetype.startswith("text/calendar")
    event = icalendar.Calendar.from_ical(content).events[0]
    assert event.start == planning_meeting.starts_at
    assert "Thornbury" not in content.decode() if isinstance(content, bytes) else "Thornbury" not in content
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="meetings.invitation").count() == 1


def test_an_agency_not_in_the_case_cannot_be_invited(planning_meeting, practitioner_a, agency_c):
    with pytest.raises(ValidationError) as error:
        services.invitation_add(acting_user=practitioner_a, meeting=planning_meeting, agency=agency_c, name="Dr Rao")
    assert "share the case with it first" in str(error.value)


def test_changing_the_meeting_raises_the_sequence_and_tells_everyone_once(
    planning_meeting, practitioner_a, police_b, agency_b
):
    services.invitation_add(acting_user=practitioner_a, meeting=planning_meeting, agency=agency_b, user=police_b)
    services.invitation_add(
        acting_user=practitioner_a, meeting=planning_meeting, agency=agency_b, name="Alan", email="alan@p.example.org"
    )
    mail.outbox.clear()
    services.meeting_change(
        acting_user=practitioner_a,
        meeting=planning_meeting,
        expected_version=planning_meeting.version,
        starts_at=at(2, 14),
        ends_at=at(2, 15),
        place="Fire station, Mill Lane",
        reason="The room is needed for an inquest",
    )
    planning_meeting.refresh_from_db()
    assert planning_meeting.sequence == 1
    assert Notification.objects.filter(recipient=police_b, kind="meeting_changed").count() == 1
    [update] = [m for m in mail.outbox if m.to == ["alan@p.example.org"]]
    event = icalendar.Calendar.from_ical(update.attachments[0][1]).events[0]
    assert event["SEQUENCE"] == 1
    assert event.start == at(2, 14)
    assert str(event["UID"]) == f"{planning_meeting.uid}@marm"


def test_finishing_needs_the_record_and_a_review_date_and_leaves_nothing_if_refused(planning_meeting, manager_a):
    with pytest.raises(ValidationError) as error:
        services.meeting_finish(
            acting_user=manager_a, meeting=planning_meeting, expected_version=planning_meeting.version, outcome="review"
        )
    assert {"attendance", "adult", "minutes", "actions", "next_review_date"} <= set(error.value.message_dict)
    planning_meeting.refresh_from_db()
    assert planning_meeting.finished_at is None
    assert planning_meeting.case.status == "accepted"


def test_a_planning_meeting_finished_moves_the_case_and_records_the_decision(planning_meeting, manager_a):
    run_through(planning_meeting, by=manager_a)
    planning_meeting.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.meeting_finish(
            acting_user=manager_a, meeting=planning_meeting, expected_version=planning_meeting.version, outcome="review"
        )
    assert set(error.value.message_dict) == {"next_review_date"}
    review_by = timezone.localdate() + datetime.timedelta(days=42)
    services.meeting_finish(
        acting_user=manager_a,
        meeting=planning_meeting,
        expected_version=planning_meeting.version,
        outcome="review",
        next_review_date=review_by,
    )
    case = planning_meeting.case
    case.refresh_from_db()
    assert case.status == "planning"
    assert CaseTransition.objects.filter(case=case, to_status="planning").count() == 1
    decision = Decision.objects.filter(case=case, summary__contains="next review by").get()
    assert manager_a in decision.participants.all()
    # The review meeting, then: stage 3 and the case moves to review.
    review = services.meeting_schedule(
        acting_user=manager_a,
        case=case,
        kind="review",
        starts_at=hours_ago(2),
        ends_at=hours_ago(1),
        chair=manager_a,
        virtual_link="https://meet.example.org/marm-review",
    )
    assert review.minutes_items.first().code == "involve_adult"
    # The review updates the risk assessment: a version agreed since the planning meeting.
    agreed_version(case, manager_a, manager_a)
    run_through(review, by=manager_a)
    review.refresh_from_db()
    services.meeting_finish(
        acting_user=manager_a,
        meeting=review,
        expected_version=review.version,
        outcome="escalate",
        rationale="The fire risk has grown despite the plan; the neighbours are at risk.",
    )
    case.refresh_from_db()
    assert case.status == "review"
    review.refresh_from_db()
    assert review.next_review_date is None and review.outcome == "escalate"


def test_only_a_manager_of_the_lead_agency_finishes(planning_meeting, practitioner_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.meeting_finish(
            acting_user=practitioner_a,
            meeting=planning_meeting,
            expected_version=planning_meeting.version,
            outcome="review",
            next_review_date=timezone.localdate() + datetime.timedelta(days=30),
        )


def test_the_adult_is_there_or_their_views_or_why_not(planning_meeting, practitioner_a):
    with pytest.raises(ValidationError) as error:
        services.adult_participation_record(
            acting_user=practitioner_a, meeting=planning_meeting, attended=False, advocate_offered=False
        )
    assert "views" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.adult_participation_record(
            acting_user=practitioner_a,
            meeting=planning_meeting,
            attended=True,
            advocate_offered=False,
            advocate_present=True,
        )
    assert not AdultParticipation.objects.exists()
    services.adult_participation_record(
        acting_user=practitioner_a,
        meeting=planning_meeting,
        attended=False,
        advocate_offered=True,
        views_not_gathered_reason="Margaret would not open the door on three visits.",
    )
    adult = AdultParticipation.objects.get()
    assert not adult.views_heard and adult.advocate_offered


def test_a_key_action_not_addressed_needs_a_reason(planning_meeting, practitioner_a):
    item = planning_meeting.minutes_items.get(code="legal_powers")
    with pytest.raises(ValidationError):
        services.minutes_item_record(
            acting_user=practitioner_a, item=item, expected_version=item.version, status="not_addressed"
        )
    services.minutes_item_record(
        acting_user=practitioner_a,
        item=item,
        expected_version=item.version,
        status="not_addressed",
        reason="Legal services could not attend; deferred to the review.",
    )
    item.refresh_from_db()
    assert item.status == "not_addressed" and "Legal services" in item.reason_not_addressed


def test_a_decision_in_the_meeting_goes_into_the_decision_log_with_the_attendees(
    planning_meeting, practitioner_a, police_b, agency_b
):
    services.invitation_add(acting_user=practitioner_a, meeting=planning_meeting, agency=agency_b, user=police_b)
    services.attendance_record(
        acting_user=practitioner_a,
        meeting=planning_meeting,
        entries=[(i, "attended", "yes") for i in planning_meeting.invitations.all()],
    )
    decision = services.meeting_decision_record(
        acting_user=practitioner_a,
        meeting=planning_meeting,
        summary="The fire service leads on fire safety",
        rationale="Two small fires in a month; they hold the expertise.",
    )
    assert set(decision.participants.all()) == {practitioner_a, police_b, planning_meeting.chair}
    assert planning_meeting.decision_links.get().decision == decision

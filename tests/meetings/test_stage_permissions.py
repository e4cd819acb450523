"""Scheduling and finishing meetings are named permissions whose rules include the case's status
(marm/meetings/rules.py): the case page's panel, the meeting page and the services ask them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from marm.cases.lifecycle import CaseStatus
from marm.cases.models import Case
from marm.meetings import services
from marm.meetings.models import Meeting
from tests.meetings.conftest import at, hours_ago
from tests.meetings.test_meeting_services import run_through

pytestmark = pytest.mark.django_db

S = CaseStatus
PLANNING_STAGES = {S.ACCEPTED, S.PLANNING, S.ESCALATED}
REVIEW_STAGES = {S.PLANNING, S.REVIEW, S.ESCALATED}
SCHEDULE = {
    "meetings.schedule_planning_meeting": PLANNING_STAGES,
    "meetings.schedule_review_meeting": REVIEW_STAGES,
    "meetings.schedule_meeting": PLANNING_STAGES | REVIEW_STAGES,
}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("perm", sorted(SCHEDULE))
def test_a_meeting_is_scheduled_only_at_the_stages_it_belongs_to(perm, status, concern, practitioner_a, auditor_a):
    concern.status = status
    assert practitioner_a.has_perm(perm, concern) is (status in SCHEDULE[perm])
    assert not auditor_a.has_perm(perm, concern)
    assert not practitioner_a.has_perm(perm)


@pytest.mark.parametrize("status", list(S))
def test_a_meeting_is_finished_only_where_it_can_move_the_case_to_its_stage(
    status, planning_meeting, manager_a, practitioner_a
):
    review = Meeting(case=planning_meeting.case, kind="review")
    planning_meeting.case.status = status
    assert manager_a.has_perm("meetings.finish_meeting", planning_meeting) is (status in PLANNING_STAGES)
    assert manager_a.has_perm("meetings.finish_meeting", review) is (status in REVIEW_STAGES)
    assert not practitioner_a.has_perm("meetings.finish_meeting", planning_meeting)


def test_moving_or_cancelling_a_meeting_is_open_at_every_stage(concern, practitioner_a, auditor_a):
    assert practitioner_a.has_perm("meetings.change_meeting")
    assert not auditor_a.has_perm("meetings.change_meeting")


def test_scheduling_on_a_concern_is_refused_saying_why(concern, practitioner_a, auditor_a):
    arguments = {
        "case": concern,
        "kind": "planning",
        "starts_at": at(3),
        "ends_at": at(3, 11),
        "chair": practitioner_a,
        "place": "Civic Centre",
    }
    with pytest.raises(ValidationError) as refused:
        services.meeting_schedule(acting_user=practitioner_a, **arguments)
    assert "A planning meeting cannot be scheduled while the case is at 'Concern raised'" in str(refused.value)
    with pytest.raises(PermissionDenied):
        services.meeting_schedule(acting_user=auditor_a, **arguments)
    assert not Meeting.objects.exists()


def test_finishing_a_planning_meeting_once_the_case_is_at_review_is_refused_saying_why(planning_meeting, manager_a):
    run_through(planning_meeting, by=manager_a)
    planning_meeting.refresh_from_db()
    Case.objects.filter(pk=planning_meeting.case_id).update(status=S.REVIEW)
    with pytest.raises(ValidationError) as refused:
        services.meeting_finish(
            acting_user=manager_a,
            meeting=planning_meeting,
            expected_version=planning_meeting.version,
            outcome="close",
            rationale="Risks managed",
        )
    assert "A case at 'Review' cannot move to 'Planning'" in str(refused.value)
    planning_meeting.refresh_from_db()
    assert planning_meeting.finished_at is None


@pytest.mark.parametrize(
    ("status", "shown"), [(S.ACCEPTED, True), (S.REVIEW, True), (S.CONCERN, False), (S.CLOSED, False)]
)
def test_the_case_page_offers_to_schedule_only_when_a_meeting_can_be(status, shown, concern, practitioner_a_client):
    Case.objects.filter(pk=concern.pk).update(status=status)
    page = practitioner_a_client.get(reverse("cases:detail", kwargs={"case_pk": concern.pk})).content.decode()
    assert ("Schedule a meeting" in page) is shown


@pytest.mark.parametrize(("status", "shown"), [(S.ACCEPTED, True), (S.REVIEW, False)])
def test_the_finish_button_shows_only_when_the_meeting_can_move_the_case(
    status, shown, planning_meeting, manager_a, client_for
):
    Case.objects.filter(pk=planning_meeting.case_id).update(status=status)
    url = reverse("meetings:detail", kwargs={"case_pk": planning_meeting.case_id, "meeting_id": planning_meeting.pk})
    page = client_for(manager_a).get(url).content.decode()
    assert ('class="govuk-button" data-module="govuk-button">Finish the meeting</a>' in page) is shown


@pytest.mark.parametrize(("status", "kind"), [(S.ACCEPTED, "planning"), (S.PLANNING, "review")])
def test_the_schedule_form_offers_the_meeting_the_stage_calls_for(status, kind, concern, practitioner_a_client):
    Case.objects.filter(pk=concern.pk).update(status=status)
    page = practitioner_a_client.get(reverse("meetings:schedule", kwargs={"case_pk": concern.pk})).content.decode()
    assert f'value="{kind}" checked' in page


def test_a_review_meeting_scheduled_after_the_planning_meeting(planning_meeting, manager_a):
    Case.objects.filter(pk=planning_meeting.case_id).update(status=S.PLANNING)
    planning_meeting.case.refresh_from_db()
    review = services.meeting_schedule(
        acting_user=manager_a,
        case=planning_meeting.case,
        kind="review",
        starts_at=hours_ago(2),
        ends_at=hours_ago(1),
        chair=manager_a,
        place="Civic Centre",
    )
    assert review.kind == "review"

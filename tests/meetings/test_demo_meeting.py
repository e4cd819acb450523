import pytest

from marm.demo.seed import seed_demo
from marm.meetings.models import Meeting
from marm.notifications.sweeps import run_sweeps
from marm.plans.models import Action, ContingencyPlan

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_planning_meeting_held_and_an_action_to_remind():
    seed_demo()
    meeting = Meeting.objects.get()
    assert meeting.is_finished and meeting.case.status == "planning" and meeting.next_review_date
    assert Action.objects.filter(meeting=meeting).count() == 2
    assert ContingencyPlan.objects.filter(agreed_at_meeting=meeting).exists()
    assert run_sweeps(names=["actions-due"])["actions-due"] == 2

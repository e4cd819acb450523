"""Key actions of the plan and the lead that the records must bear out: the SMART action plan and
the lead coordinating professional at planning, the contingency plan's update at a review."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from marm.cases.key_action_checks import key_actions_not_borne_out
from marm.cases.services import lead_professional_allocate
from marm.meetings import services
from marm.meetings.models import MinutesItem
from marm.plans.services import action_create, contingency_plan_agree
from tests.risk.helpers import agreed_version

pytestmark = pytest.mark.django_db

TRIGGER = {
    "kind": "missed_contacts",
    "threshold": "Two missed visits in a week",
    "what_to_do": "Joint visit within 48 hours",
    "who_to_contact": "The lead professional",
    "escalation_route": "senior_manager",
}


def _mark(meeting, code, by):
    item = MinutesItem.objects.get(meeting=meeting, code=code)
    return services.minutes_item_record(
        acting_user=by, item=item, expected_version=item.version, status="addressed", notes="Agreed together."
    )


def _refused(meeting, code, by) -> str:
    with pytest.raises(ValidationError) as error:
        _mark(meeting, code, by)
    assert MinutesItem.objects.get(meeting=meeting, code=code).status == "outstanding"
    return error.value.message_dict["status"][0]


def test_the_action_plan_is_agreed_only_when_it_has_an_action(planning_meeting, manager_a):
    assert _refused(planning_meeting, "smart_action_plan", manager_a) == (
        "The action plan has no actions: add each action, with its due date and named lead, first"
    )
    action_create(
        acting_user=manager_a,
        case=planning_meeting.case,
        what="Fit smoke alarms",
        lead_name="Station Manager Kaur",
        agency=manager_a.agency,
        due_date=timezone.localdate() + datetime.timedelta(days=14),
        meeting=planning_meeting,
        source="meeting",
    )
    assert _mark(planning_meeting, "smart_action_plan", manager_a).status == "addressed"


def test_the_lead_is_agreed_only_when_one_is_allocated(accepted_case, manager_a, practitioner_a):
    def why_not():
        return key_actions_not_borne_out(case=accepted_case, codes=["agree_lead"], since=None).get("agree_lead", "")

    assert why_not() == "No lead professional has been allocated: allocate the lead professional first"
    lead_professional_allocate(acting_user=manager_a, case=accepted_case, user=practitioner_a, rationale="Knows her")
    assert why_not() == ""


def test_a_review_updates_the_contingency_plan_only_with_a_version_agreed_since_the_last_meeting(
    first_review, manager_a
):
    case = first_review.case
    # No plan at all yet.
    assert _refused(first_review, "update_contingency", manager_a).startswith("No contingency plan has been agreed")
    # Backdate a plan to before the planning meeting closed: it is the one the planning meeting had.
    old = contingency_plan_agree(acting_user=manager_a, case=case, triggers=[TRIGGER])
    type(old).objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    assert _refused(first_review, "update_contingency", manager_a).startswith(
        "No new version of the contingency plan has been agreed since the last meeting on"
    )
    contingency_plan_agree(acting_user=manager_a, case=case, triggers=[TRIGGER], meeting=first_review)
    assert _mark(first_review, "update_contingency", manager_a).status == "addressed"


def test_the_minutes_page_says_what_record_is_missing_and_links_to_where_it_is_made(
    planning_meeting, manager_a, practitioner_a, client_for
):
    item = MinutesItem.objects.get(meeting=planning_meeting, code="holistic_assessment")
    url = reverse(
        "meetings:minutes-item",
        kwargs={"case_pk": planning_meeting.case.pk, "meeting_id": planning_meeting.pk, "minutes_item_id": item.pk},
    )
    client = client_for(manager_a)
    page = client.get(url).content.decode()
    assert "The records do not show this yet. No version of the risk assessment has been agreed" in page
    assessment = reverse("risk:assessment", kwargs={"case_pk": planning_meeting.case.pk})
    assert f'<a href="{assessment}" class="govuk-link">Go to the risk assessment</a>' in page
    # Made while the meeting is open: the page no longer asks, and the item can be minuted addressed.
    agreed_version(planning_meeting.case, practitioner_a, manager_a)
    assert 'id="still-to-record"' not in client.get(url).content.decode()
    assert _mark(planning_meeting, "holistic_assessment", manager_a).status == "addressed"


def test_an_item_with_no_record_to_make_shows_no_such_note(planning_meeting, manager_a, client_for):
    item = MinutesItem.objects.get(meeting=planning_meeting, code="legal_powers")
    url = reverse(
        "meetings:minutes-item",
        kwargs={"case_pk": planning_meeting.case.pk, "meeting_id": planning_meeting.pk, "minutes_item_id": item.pk},
    )
    assert 'id="still-to-record"' not in client_for(manager_a).get(url).content.decode()

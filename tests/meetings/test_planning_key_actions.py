"""The planning meeting cannot record the risk assessment, the adult's copy of it or the contingency
plan as addressed unless those records exist (000 6.1; Appendix A stage 2)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from marm.audit.models import AuditEvent
from marm.cases import key_action_checks
from marm.meetings import services
from marm.meetings.models import MinutesItem
from marm.plans.services import contingency_plan_agree
from marm.risk.services import adult_copy_give
from tests.risk.helpers import agreed_version

pytestmark = pytest.mark.django_db

HOLISTIC = "holistic_assessment"
CONTINGENCY = "contingency_plan"
COPY = "copy_of_assessment"


def _item(meeting, code):
    return MinutesItem.objects.get(meeting=meeting, code=code)


def _mark(meeting, code, by):
    item = _item(meeting, code)
    return services.minutes_item_record(
        acting_user=by, item=item, expected_version=item.version, status="addressed", notes="Agreed together."
    )


def _refused(meeting, code, by) -> str:
    audit_rows = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        _mark(meeting, code, by)
    item = _item(meeting, code)
    # Nothing saved: the item is as it was and no audit row was written.
    assert item.status == "outstanding" and item.notes == "" and item.updated_by is None
    assert AuditEvent.objects.count() == audit_rows
    return error.value.message_dict["status"][0]


def _contingency(case, by):
    return contingency_plan_agree(
        acting_user=by,
        case=case,
        summary="If she stops answering the door",
        triggers=[
            {
                "kind": "missed_contacts",
                "threshold": "Two missed contacts in a week",
                "what_to_do": "Joint visit within 48 hours",
                "who_to_contact": "The lead professional",
                "escalation_route": "senior_manager",
            }
        ],
    )


def _copy(version, by):
    return adult_copy_give(
        acting_user=by, version=version, format="standard", given_on=timezone.localdate(), given_how="in_person"
    )


def test_the_risk_and_plans_apps_register_the_planning_checks():
    for code in (HOLISTIC, CONTINGENCY, COPY):
        assert key_action_checks.has_check(code)


def test_the_holistic_assessment_is_refused_until_a_version_is_agreed(planning_meeting, manager_a, practitioner_a):
    reason = _refused(planning_meeting, HOLISTIC, manager_a)
    assert "No version of the risk assessment has been agreed" in reason
    agreed_version(planning_meeting.case, practitioner_a, manager_a)
    assert _mark(planning_meeting, HOLISTIC, manager_a).status == "addressed"


def test_a_draft_assessment_is_not_enough(planning_meeting, manager_a, practitioner_a):
    from marm.risk.services import risk_assessment_start

    risk_assessment_start(acting_user=practitioner_a, case=planning_meeting.case)
    assert "No version of the risk assessment has been agreed" in _refused(planning_meeting, HOLISTIC, manager_a)


def test_the_contingency_plan_is_refused_until_one_is_agreed(planning_meeting, manager_a, practitioner_a):
    reason = _refused(planning_meeting, CONTINGENCY, manager_a)
    assert "No contingency plan has been agreed" in reason
    _contingency(planning_meeting.case, practitioner_a)
    assert _mark(planning_meeting, CONTINGENCY, manager_a).status == "addressed"


def test_the_adults_copy_is_refused_until_they_have_the_version_agreed_last(
    planning_meeting, manager_a, practitioner_a
):
    case = planning_meeting.case
    assert "No version of the risk assessment has been agreed" in _refused(planning_meeting, COPY, manager_a)
    first = agreed_version(case, practitioner_a, manager_a)
    assert "has not been given a copy of version 1" in _refused(planning_meeting, COPY, manager_a)
    _copy(first, practitioner_a)
    # A copy of an earlier version does not do once a newer one is agreed.
    second = agreed_version(case, practitioner_a, manager_a)
    assert "has not been given a copy of version 2" in _refused(planning_meeting, COPY, manager_a)
    _copy(second, practitioner_a)
    assert _mark(planning_meeting, COPY, manager_a).status == "addressed"


def test_not_addressed_with_the_reason_is_always_open_to_the_meeting(planning_meeting, manager_a):
    for code in (HOLISTIC, CONTINGENCY, COPY):
        item = _item(planning_meeting, code)
        services.minutes_item_record(
            acting_user=manager_a,
            item=item,
            expected_version=item.version,
            status="not_addressed",
            reason="The agencies send their parts this week.",
        )
        assert _item(planning_meeting, code).status == "not_addressed"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (HOLISTIC, "No version of the risk assessment has been agreed"),
        (CONTINGENCY, "No contingency plan has been agreed"),
        (COPY, "No version of the risk assessment has been agreed, so the adult has not been given a copy"),
    ],
)
def test_the_minutes_page_shows_the_refusal_on_the_form_and_saves_nothing(
    planning_meeting, client_for, manager_a, gp_c, code, message
):
    item = _item(planning_meeting, code)
    url = reverse(
        "meetings:minutes-item",
        kwargs={"case_pk": planning_meeting.case_id, "meeting_id": planning_meeting.pk, "minutes_item_id": item.pk},
    )
    response = client_for(manager_a).post(url, {"status": "addressed", "notes": "Agreed.", "version": item.version})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and message in page
    assert _item(planning_meeting, code).status == "outstanding"
    # Another agency, not involved in the case, does not learn the meeting exists.
    assert client_for(gp_c).post(url, {"status": "addressed", "notes": "x", "version": 0}).status_code == 404


def test_a_planning_meeting_ticked_without_the_records_cannot_be_finished(planning_meeting, manager_a):
    # Marked addressed by a route that skipped the rule: the records still say no.
    MinutesItem.objects.filter(meeting=planning_meeting).update(status="addressed", notes="Said so.")
    planning_meeting.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.meeting_finish(
            acting_user=manager_a,
            meeting=planning_meeting,
            expected_version=planning_meeting.version,
            outcome="review",
            next_review_date=timezone.localdate() + datetime.timedelta(days=42),
        )
    minutes = " ".join(error.value.message_dict["minutes"])
    assert "No contingency plan has been agreed" in minutes
    assert "No version of the risk assessment has been agreed" in minutes
    planning_meeting.refresh_from_db()
    assert planning_meeting.finished_at is None

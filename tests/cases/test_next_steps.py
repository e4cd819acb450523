"""The case page's "what next": the stage and what is still to do, from the records, not from ticks."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from marm.cases.next_steps import StepState, next_steps, stage_of
from marm.cases.services import lead_professional_allocate
from marm.meetings.models import Meeting
from marm.plans.models import Action
from tests.meetings.conftest import at, hours_ago

pytestmark = pytest.mark.django_db


def _steps(case, user):
    return {step.text: step.state for step in next_steps(user=user, case=_page_case(case, user))}


def _page_case(case, user):
    from marm.cases.selectors import case_page_for_user

    page_case, _ = case_page_for_user(user=user, pk=case.pk)
    return page_case


def test_a_new_concern_waits_for_screening(concern, manager_a):
    assert stage_of(concern).label == "Concern and screening"
    steps = _steps(concern, manager_a)
    assert steps == {
        "Decide where the concern goes: accept into MARM, route elsewhere, or no further action": StepState.TO_DO
    }


def test_a_practitioner_sees_the_concern_waits_for_a_manager(concern, practitioner_a):
    assert _steps(concern, practitioner_a) == {
        f"A manager of {concern.lead_agency.name} screens the concern": StepState.TO_DO
    }


def test_an_accepted_case_lists_the_planning_work_and_each_step_is_done_by_its_record(
    accepted_case, manager_a, practitioner_a
):
    assert stage_of(accepted_case).label == "Planning"
    steps = _steps(accepted_case, manager_a)
    assert steps["Allocate a lead professional"] == StepState.TO_DO
    assert steps["Set up the planning meeting"] == StepState.TO_DO
    assert steps["Agree the multi-agency risk assessment"] == StepState.TO_DO
    assert steps["Agree the contingency plan: what to do if things get worse"] == StepState.TO_DO

    lead_professional_allocate(acting_user=manager_a, case=accepted_case, user=practitioner_a, rationale="Knows her")
    steps = _steps(accepted_case, manager_a)
    assert steps[f"Lead professional: {practitioner_a.full_name}"] == StepState.DONE
    assert "Allocate a lead professional" not in steps


def test_an_overdue_action_comes_first(accepted_case, manager_a):
    Action.objects.create(
        case=accepted_case,
        what="Fit a smoke alarm",
        lead_name="Fire officer",
        agency=manager_a.agency,
        due_date=timezone.localdate() - datetime.timedelta(days=2),
        created_by=manager_a,
    )
    first = next_steps(user=manager_a, case=_page_case(accepted_case, manager_a))[0]
    assert (first.text, first.state) == ("1 action is overdue", StepState.OVERDUE)


def test_the_next_review_is_one_date_from_the_last_meeting_held(accepted_case, manager_a):
    review_by = timezone.localdate() - datetime.timedelta(days=3)
    Meeting.objects.create(
        case=accepted_case,
        kind="planning",
        starts_at=hours_ago(24 * 40),
        ends_at=hours_ago(24 * 40 - 1),
        chair=manager_a,
        scheduled_by=manager_a,
        outcome="review",
        next_review_date=review_by,
        finished_at=hours_ago(24 * 40 - 2),
        finished_by=manager_a,
    )
    steps = _steps(accepted_case, manager_a)
    held = [text for text in steps if text.startswith("Planning meeting held on")]
    assert held and steps[held[0]] == StepState.DONE
    due = f"Next review: by {review_by.day} {review_by:%B %Y}. Set up the review meeting"
    assert steps[due] == StepState.OVERDUE  # the date set has passed and no review meeting is arranged
    Meeting.objects.create(
        case=accepted_case, kind="review", starts_at=at(5), ends_at=at(5, 11), chair=manager_a, scheduled_by=manager_a
    )
    steps = _steps(accepted_case, manager_a)
    assert due not in steps
    assert [state for text, state in steps.items() if text.startswith("Next review: the review meeting on")] == [
        StepState.TO_DO
    ]


def test_a_capacity_doubt_at_the_concern_asks_for_an_assessment(accepted_case, manager_a):
    type(accepted_case).objects.filter(pk=accepted_case.pk).update(capacity_assessment_needed="yes")
    steps = _steps(accepted_case, manager_a)
    assert steps["Carry out a capacity assessment"] == StepState.TO_DO


def test_the_case_page_shows_what_next_with_links(client_for, manager_a, accepted_case):
    page = client_for(manager_a).get(reverse("cases:detail", kwargs={"case_pk": accepted_case.pk})).content.decode()
    assert "What next" in page and "Stage 2 of 4" in page
    assert reverse("cases:allocate", kwargs={"case_pk": accepted_case.pk}) in page
    assert reverse("meetings:schedule", kwargs={"case_pk": accepted_case.pk}) in page


def test_the_adults_copy_is_done_only_for_the_latest_agreed_version(accepted_case, manager_a):
    from marm.risk.models import AdultCopy, RiskAssessment, RiskAssessmentVersion

    assessment = RiskAssessment.objects.create(case=accepted_case, started_by=manager_a)

    def agreed(number):
        return RiskAssessmentVersion.objects.create(
            assessment=assessment,
            number=number,
            status="agreed",
            overall_level="high",
            agreed_by=manager_a,
            agreed_at=timezone.now(),
            started_by=manager_a,
        )

    first = agreed(1)
    AdultCopy.objects.create(
        case=accepted_case,
        version=first,
        format="standard",
        given_on=timezone.localdate(),
        given_how="in_person",
        recorded_by=manager_a,
    )
    steps = _steps(accepted_case, manager_a)
    assert steps["The adult has a copy of the latest agreed risk assessment"] == StepState.DONE
    agreed(2)
    steps = _steps(accepted_case, manager_a)
    assert steps["Give the adult a copy of the latest agreed risk assessment"] == StepState.TO_DO


def _planning_held(case, manager, review_by):
    return Meeting.objects.create(
        case=case,
        kind="planning",
        starts_at=hours_ago(24 * 3),
        ends_at=hours_ago(24 * 3 - 1),
        chair=manager,
        scheduled_by=manager,
        outcome="review",
        next_review_date=review_by,
        finished_at=hours_ago(24 * 3 - 2),
        finished_by=manager,
    )


def test_after_the_planning_meeting_its_records_come_before_setting_up_the_review(accepted_case, manager_a):
    # 000 6.1: the risk assessment and the contingency plan are agreed at planning, before any review.
    type(accepted_case).objects.filter(pk=accepted_case.pk).update(capacity_assessment_needed="yes")
    review_by = timezone.localdate() + datetime.timedelta(days=42)
    _planning_held(accepted_case, manager_a, review_by)
    to_do = [
        step.text
        for step in next_steps(user=manager_a, case=_page_case(accepted_case, manager_a))
        if step.state == StepState.TO_DO and step.url
    ]
    assert to_do == [
        "Allocate a lead professional",
        f"{manager_a.agency.name} names its lead worker",
        "Agree the multi-agency risk assessment",
        "Carry out a capacity assessment",
        "Agree the contingency plan: what to do if things get worse",
        f"Next review: by {review_by.day} {review_by:%B %Y}. Set up the review meeting",
    ]


def test_an_overdue_review_comes_before_everything(accepted_case, manager_a):
    review_by = timezone.localdate() - datetime.timedelta(days=1)
    _planning_held(accepted_case, manager_a, review_by)
    Action.objects.create(
        case=accepted_case,
        what="Fit a smoke alarm",
        lead_name="Fire officer",
        agency=manager_a.agency,
        due_date=timezone.localdate() - datetime.timedelta(days=2),
        created_by=manager_a,
    )
    steps = next_steps(user=manager_a, case=_page_case(accepted_case, manager_a))
    assert [(step.text, step.state) for step in steps[:2]] == [
        (f"Next review: by {review_by.day} {review_by:%B %Y}. Set up the review meeting", StepState.OVERDUE),
        ("1 action is overdue", StepState.OVERDUE),
    ]

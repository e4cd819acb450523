"""What next after a meeting recommends closure or escalation: the sign-off or the referral comes
first, with its link, for the manager who can do it; everyone else is told who acts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from marm.cases.next_steps import StepState, next_steps
from marm.cases.selectors import case_page_for_user
from marm.closure.services import s42_refer
from marm.meetings import services
from tests.meetings.conftest import finish_meeting
from tests.meetings.test_meeting_services import run_through

pytestmark = pytest.mark.django_db


def _steps(case, user):
    page_case, _ = case_page_for_user(user=user, pk=case.pk)
    return next_steps(user=user, case=page_case)


def _hold(meeting, by, outcome):
    run_through(meeting, by=by)
    meeting.refresh_from_db()
    services.meeting_finish(
        acting_user=by,
        meeting=meeting,
        expected_version=meeting.version,
        outcome=outcome,
        rationale="The risks are managed by the agencies; she agrees to the plan.",
    )
    meeting.case.refresh_from_db()
    return timezone.localdate(meeting.starts_at)


def _long(day):
    return f"{day.day} {day:%B %Y}"


def test_a_review_that_recommends_closure_leads_the_manager_to_the_closure_page(first_review, manager_a):
    held = _hold(first_review, manager_a, "close")
    steps = _steps(first_review.case, manager_a)
    first = steps[0]
    assert first.text == f"The meeting on {_long(held)} recommended closure: check with the agencies and close the case"
    assert first.state == StepState.TO_DO
    assert first.url == reverse("closure:closure", kwargs={"case_pk": first_review.case.pk})
    # The review is done, and no next review is asked for: the meeting set none.
    texts = {step.text: step.state for step in steps}
    assert texts[f"Review meeting held on {_long(held)}"] == StepState.DONE
    assert not [text for text in texts if text.startswith("Next review")]


def test_a_practitioner_is_told_a_manager_signs_the_closure_off(first_review, manager_a, practitioner_a):
    held = _hold(first_review, manager_a, "close")
    first = _steps(first_review.case, practitioner_a)[0]
    agency = first_review.case.lead_agency.name
    assert first.text == f"The meeting on {_long(held)} recommended closure: a manager of {agency} signs it off"
    assert first.url == ""


def test_a_review_that_recommends_escalation_leads_to_the_referral_then_waits_for_the_decision(first_review, manager_a):
    held = _hold(first_review, manager_a, "escalate")
    case = first_review.case
    first = _steps(case, manager_a)[0]
    assert first.text == f"The meeting on {_long(held)} recommended escalation: refer to a section 42 enquiry"
    assert first.url == reverse("closure:s42-refer", kwargs={"case_pk": case.pk})

    s42_refer(
        acting_user=manager_a,
        case=case,
        risk_of_serious_harm="Fire in the hallway",
        steps_taken="Weekly visits; smoke alarms fitted",
        why_not_enough="She has refused every visit since the review",
        lawful_basis="risk_to_others",
        referred_to="Safeguarding hub",
        referred_on=timezone.localdate(),
        marm_work="continue",
    )
    case.refresh_from_db()
    first = _steps(case, manager_a)[0]
    assert first.text == "Record the local authority's decision on the section 42 referral"
    assert first.url == reverse("closure:s42", kwargs={"case_pk": case.pk})


def test_a_review_that_continues_asks_for_the_next_review_and_nothing_of_closure(first_review, manager_a):
    run_through(first_review, by=manager_a)
    finish_meeting(first_review, manager_a)
    texts = [step.text for step in _steps(first_review.case, manager_a)]
    due = timezone.localdate() + datetime.timedelta(days=42)
    assert f"Next review: by {_long(due)}. Set up the review meeting" in texts
    assert not [text for text in texts if "recommended" in text]


def test_the_case_page_folds_the_stage_1_key_actions_away_at_review(first_review, manager_a, client_for):
    _hold(first_review, manager_a, "close")
    page = client_for(manager_a).get(reverse("cases:detail", kwargs={"case_pk": first_review.case.pk}))
    html = page.content.decode()
    assert '<h2 class="govuk-heading-m">Stage 1 key actions</h2>' not in html
    assert "Stage 1 key actions, from the concern" in html
    assert "recommended closure" in html

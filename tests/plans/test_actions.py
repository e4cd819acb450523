"""SMART actions: a named lead, a due date, a trail; overdue computed; 'Your actions' on the home page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from marm.access.guard import RecordNotVisible
from marm.notifications.models import Notification
from marm.plans.models import Action, ActionUpdate, ContingencyPlan
from marm.plans.services import action_create, action_progress, action_revise, contingency_plan_agree

pytestmark = pytest.mark.django_db


def soon(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def make_action(case, *, by, lead=None, days=7, **extra):
    return action_create(
        acting_user=by,
        case=case,
        what="Weekly welfare visit by the neighbourhood team",
        lead_user=lead,
        lead_name="" if lead else "PC Jo Marsh",
        agency=(lead or by).agency,
        due_date=soon(days),
        **{"risk_aspects": ["public_safety"], **extra},
    )


def test_an_action_has_a_named_lead_and_tells_them(planning_case, practitioner_a, police_b):
    action = make_action(planning_case, by=practitioner_a, lead=police_b)
    assert action.status == "open" and action.lead_label == police_b.full_name
    assert ActionUpdate.objects.filter(action=action).count() == 1
    told = Notification.objects.get(recipient=police_b, kind="action_assigned")
    assert planning_case.reference in told.title and "Thornbury" not in told.title


def test_an_action_without_a_lead_or_with_a_past_date_or_unknown_aspect_is_refused(planning_case, practitioner_a):
    with pytest.raises(ValidationError) as error:
        action_create(
            acting_user=practitioner_a,
            case=planning_case,
            what="",
            agency=practitioner_a.agency,
            due_date=soon(-1),
        )
    assert {"what", "lead_user", "due_date"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError):
        make_action(planning_case, by=practitioner_a, risk_aspects=["astrology"])
    assert not Action.objects.exists()


def test_a_lead_in_another_agency_must_see_the_case(planning_case, practitioner_a, gp_c):
    with pytest.raises(ValidationError) as error:
        action_create(
            acting_user=practitioner_a,
            case=planning_case,
            what="GP review of medication",
            lead_user=gp_c,
            agency=gp_c.agency,
            due_date=soon(5),
        )
    assert "lead_user" in error.value.message_dict


def test_an_agency_not_involved_cannot_add_actions(planning_case, gp_c):
    # The service checks the case for its acting user, whoever calls it (a 404 for a page).
    with pytest.raises(RecordNotVisible):
        make_action(planning_case, by=gp_c)


def test_progress_and_outcomes_are_a_trail_and_not_done_says_why(planning_case, practitioner_a, police_b):
    action = make_action(planning_case, by=practitioner_a, lead=police_b)
    action_progress(
        acting_user=police_b, action=action, expected_version=action.version, status="in_progress", note="First visit."
    )
    with pytest.raises(ValidationError):
        action_progress(
            acting_user=police_b, action=action, expected_version=action.version, status="agency_did_not_act", note="x"
        )
    action_progress(
        acting_user=police_b,
        action=action,
        expected_version=action.version,
        status="not_possible",
        note="Margaret moved to her sister's; visits no longer possible.",
    )
    action.refresh_from_db()
    assert action.status == "not_possible"
    assert list(action.updates.values_list("status", flat=True)) == ["open", "in_progress", "not_possible"]


def test_revising_keeps_what_changed(planning_case, practitioner_a):
    action = make_action(planning_case, by=practitioner_a)
    action_revise(
        acting_user=practitioner_a,
        action=action,
        expected_version=action.version,
        what=action.what,
        due_date=soon(21),
        agency=action.agency,
        lead_name="PC Jo Marsh",
        risk_aspects=["public_safety"],
        note="Revised at the review: visits fortnightly",
    )
    update = action.updates.last()
    assert update.changes == {"due_date": [soon(7).isoformat(), soon(21).isoformat()]}


def test_overdue_is_computed_and_your_actions_lists_them_first(planning_case, practitioner_a, client_for):
    later = make_action(planning_case, by=practitioner_a, lead=practitioner_a, days=10)
    late = make_action(planning_case, by=practitioner_a, lead=practitioner_a, days=1)
    Action.objects.filter(pk=late.pk).update(due_date=soon(-3))  # time has passed
    page = client_for(practitioner_a).get(reverse("dashboards:home")).content.decode()
    assert "Overdue by 3 days" in page
    assert page.index(f"/plan/actions/{late.pk}/") < page.index(f"/plan/actions/{later.pk}/")


def test_the_contingency_plan_is_versioned(planning_case, practitioner_a):
    trigger = {
        "kind": "missed_contacts",
        "threshold": "Two missed contacts in a week",
        "what_to_do": "Joint visit by housing and social care within 48 hours",
        "who_to_contact": "Lead professional; out of hours: emergency duty team",
        "escalation_route": "senior_manager",
    }
    first = contingency_plan_agree(acting_user=practitioner_a, case=planning_case, triggers=[trigger])
    second = contingency_plan_agree(
        acting_user=practitioner_a,
        case=planning_case,
        triggers=[trigger, {**trigger, "kind": "fire_safety", "escalation_route": "s42_referral"}],
    )
    assert (first.number, second.number) == (1, 2)
    assert ContingencyPlan.objects.get(pk=first.pk).triggers.count() == 1
    with pytest.raises(ValidationError):
        contingency_plan_agree(
            acting_user=practitioner_a, case=planning_case, triggers=[{**trigger, "who_to_contact": ""}]
        )
    assert ContingencyPlan.objects.count() == 2

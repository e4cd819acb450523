"""Permissions that know the case's stage: non-engagement, section 42 escalation and closure.

Each action is one named permission whose rule includes the case's status (marm/closure/rules.py);
the pages and the services ask it.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from marm.cases.lifecycle import CaseStatus
from marm.cases.models import Case
from marm.closure import services
from marm.closure.models import CaseClosure, EngagementAttempt, S42Outcome, S42Referral

pytestmark = pytest.mark.django_db

S = CaseStatus
LIVE = {S.CONCERN, S.SCREENING, S.ACCEPTED, S.PLANNING, S.REVIEW, S.ESCALATED, S.REOPENED}
EVERY = set(S)
# Each permission: who may (a persona with the role) and at which stages.
STAGES = {
    "closure.log_engagement": ("practitioner_a", LIVE),
    "closure.flag_non_engagement": ("practitioner_a", LIVE),
    "closure.reflect": ("practitioner_a", LIVE),
    "closure.lift_flag": ("practitioner_a", EVERY),
    "closure.refer_s42": ("manager_a", {S.ACCEPTED, S.PLANNING, S.REVIEW}),
    "closure.record_s42_outcome": ("manager_a", {S.ESCALATED, S.PLANNING, S.REVIEW}),
    "closure.resume_marm_work": ("manager_a", {S.ESCALATED}),
    "closure.close_case": ("manager_a", {S.ACCEPTED, S.PLANNING, S.REVIEW, S.ESCALATED}),
}
# Someone without the role, for each kind of permission.
WITHOUT_ROLE = {"practitioner_a": "auditor_a", "manager_a": "practitioner_a"}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("perm", sorted(STAGES))
def test_each_action_is_open_to_its_role_only_at_its_stages(perm, status, concern, request):
    persona, stages = STAGES[perm]
    user, other = request.getfixturevalue(persona), request.getfixturevalue(WITHOUT_ROLE[persona])
    concern.status = status
    assert user.has_perm(perm, concern) is (status in stages)
    assert not other.has_perm(perm, concern)


def _refer(user, case, today, **overrides):
    values = {
        "risk_of_serious_harm": "A third fire in the flat.",
        "steps_taken": "Joint visits; two meetings.",
        "why_not_enough": "She refuses every intervention.",
        "lawful_basis": "risk_to_others",
        "referred_to": "Shire Safeguarding Hub",
        "referred_on": today,
        "marm_work": "pause",
    }
    return services.s42_refer(acting_user=user, case=case, **{**values, **overrides})


def test_escalating_a_case_not_in_marm_is_refused_saying_why(concern, manager_a, practitioner_a, today):
    with pytest.raises(ValidationError) as refused:
        _refer(manager_a, concern, today)
    assert "A case at 'Concern raised' cannot be escalated" in str(refused.value)
    with pytest.raises(PermissionDenied):
        _refer(practitioner_a, concern, today)
    assert not S42Referral.objects.exists()


def test_a_decision_is_recorded_only_while_the_referral_can_wait(live_case, manager_a, today):
    referral = _refer(manager_a, live_case, today)
    # Not a move marm makes (a waiting referral stops closure): the rule is asked all the same.
    Case.objects.filter(pk=live_case.pk).update(status=S.CLOSED)
    referral.case.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.s42_outcome_record(
            acting_user=manager_a,
            referral=referral,
            outcome="no_enquiry",
            reason="Not for s42",
            decided_on=today,
            decided_by="J Patel",
        )
    assert "has no referral waiting for the local authority's decision" in str(refused.value)
    assert not S42Outcome.objects.exists()


def test_work_resumes_only_on_an_escalated_case(live_case, manager_a, today):
    referral = _refer(manager_a, live_case, today)
    services.s42_outcome_record(
        acting_user=manager_a,
        referral=referral,
        outcome="enquiry_opened",
        reason="Exploitation",
        decided_on=today,
        decided_by="J Patel",
    )
    Case.objects.filter(pk=live_case.pk).update(status=S.REVIEW)
    with pytest.raises(ValidationError) as refused:
        services.s42_marm_resume(acting_user=manager_a, referral=referral, reason="The enquiry ended")
    assert "MARM work resumes only on an escalated case" in str(refused.value)


def test_closing_before_acceptance_is_refused_saying_why(concern, manager_a, practitioner_a, close_values):
    with pytest.raises(ValidationError) as refused:
        services.case_close(acting_user=manager_a, case=concern, **close_values())
    assert "A case at 'Concern raised' cannot be closed here" in str(refused.value)
    with pytest.raises(PermissionDenied):
        services.case_close(acting_user=practitioner_a, case=concern, **close_values())
    assert not CaseClosure.objects.exists()


def test_an_attempt_on_a_closed_case_is_refused_saying_why(live_case, practitioner_a, auditor_a, today):
    Case.objects.filter(pk=live_case.pk).update(status=S.CLOSED)
    live_case.refresh_from_db()
    arguments = {"case": live_case, "strategy": "home_visit", "attempted_on": today, "outcome": "no_answer"}
    with pytest.raises(ValidationError) as refused:
        services.engagement_attempt_log(acting_user=practitioner_a, **arguments)
    assert "reopen it first" in str(refused.value)
    with pytest.raises(PermissionDenied):
        services.engagement_attempt_log(acting_user=auditor_a, **arguments)
    assert not EngagementAttempt.objects.exists()


def _page(client, name, case):
    return client.get(reverse(f"closure:{name}", kwargs={"case_pk": case.pk})).content.decode()


ENGAGEMENT_BUTTONS = ("Log an engagement attempt", "Flag as not engaging", "Reflect on non-engagement")


@pytest.mark.parametrize(("status", "shown"), [(S.ACCEPTED, True), (S.CLOSED, False), (S.ROUTED, False)])
def test_the_engagement_page_offers_its_actions_only_on_a_live_case(status, shown, live_case, practitioner_a_client):
    Case.objects.filter(pk=live_case.pk).update(status=status)
    page = _page(practitioner_a_client, "engagement", live_case)
    for label in ENGAGEMENT_BUTTONS:
        assert (label in page) is shown, label


@pytest.mark.parametrize(("status", "shown"), [(S.ACCEPTED, True), (S.ESCALATED, True), (S.CONCERN, False)])
def test_the_close_button_shows_only_when_the_case_can_close(status, shown, live_case, manager_a, client_for):
    Case.objects.filter(pk=live_case.pk).update(status=status)
    assert ("Close the case" in _page(client_for(manager_a), "closure", live_case)) is shown


@pytest.mark.parametrize(("status", "shown"), [(S.ACCEPTED, True), (S.REVIEW, True), (S.CLOSED, False)])
def test_the_escalate_button_shows_only_when_the_case_can_be_escalated(status, shown, live_case, manager_a, client_for):
    Case.objects.filter(pk=live_case.pk).update(status=status)
    assert ("Escalate to a section 42 enquiry" in _page(client_for(manager_a), "s42", live_case)) is shown


def test_the_resume_link_shows_only_while_the_case_is_escalated(live_case, manager_a, client_for, today):
    referral = _refer(manager_a, live_case, today)
    client = client_for(manager_a)
    assert "Record the local authority's decision" in _page(client, "s42", live_case)
    services.s42_outcome_record(
        acting_user=manager_a,
        referral=referral,
        outcome="enquiry_opened",
        reason="Exploitation",
        decided_on=today,
        decided_by="J Patel",
    )
    assert "Resume MARM work" in _page(client, "s42", live_case)
    Case.objects.filter(pk=live_case.pk).update(status=S.REVIEW)
    assert "Resume MARM work" not in _page(client, "s42", live_case)

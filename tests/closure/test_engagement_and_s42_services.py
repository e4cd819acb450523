import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from marm.access.guard import RecordNotVisible
from marm.audit.models import AuditAction, AuditEvent
from marm.cases.lifecycle import CaseStatus
from marm.cases.services import case_transition
from marm.closure import services
from marm.closure.models import EngagementAttempt, NonEngagementFlag, ReflectiveReview, S42Outcome, S42Referral
from marm.decisions.models import Decision, DecisionKind

pytestmark = pytest.mark.django_db


def test_an_attempt_is_logged_for_the_users_agency_and_audited(live_case, police_b, today):
    attempt = services.engagement_attempt_log(
        acting_user=police_b, case=live_case, strategy="home_visit", attempted_on=today, outcome="no_answer"
    )
    assert attempt.agency == police_b.agency and attempt.not_engaged
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(attempt.pk), actor_user=police_b)


def test_an_agency_without_full_access_cannot_log_an_attempt(live_case, gp_c, today):
    with pytest.raises(RecordNotVisible):
        services.engagement_attempt_log(
            acting_user=gp_c, case=live_case, strategy="call", attempted_on=today, outcome="no_answer"
        )
    assert not EngagementAttempt.objects.exists()


def test_an_unknown_strategy_is_refused(live_case, practitioner_a, today):
    with pytest.raises(ValidationError) as refused:
        services.engagement_attempt_log(
            acting_user=practitioner_a, case=live_case, strategy="pigeon", attempted_on=today, outcome="no_answer"
        )
    assert "strategy" in refused.value.message_dict
    assert not EngagementAttempt.objects.exists()


def test_a_case_is_flagged_once_and_lifting_keeps_the_history(live_case, practitioner_a, police_b):
    services.non_engagement_flag_raise(acting_user=practitioner_a, case=live_case, reason="No answer")
    with pytest.raises(ValidationError):
        services.non_engagement_flag_raise(acting_user=police_b, case=live_case, reason="Also no answer")
    services.non_engagement_flag_lift(acting_user=police_b, case=live_case, reason="She came to the station")
    services.non_engagement_flag_raise(acting_user=police_b, case=live_case, reason="Stopped answering again")
    flags = list(NonEngagementFlag.objects.filter(case=live_case).order_by("raised_at", "pk"))
    assert [f.lifted_at is None for f in flags] == [False, True]
    assert flags[0].lift_reason == "She came to the station" and flags[0].lifted_by == police_b


def test_every_colluding_question_must_be_answered(live_case, practitioner_a, reflect):
    with pytest.raises(ValidationError) as refused:
        reflect(practitioner_a, live_case, colluding_answers={"family_word": "no"})
    assert "colluding_answers" in refused.value.message_dict
    assert not ReflectiveReview.objects.exists()


def test_feeling_at_risk_needs_a_reason(live_case, practitioner_a, reflect):
    with pytest.raises(ValidationError) as refused:
        reflect(practitioner_a, live_case, feel_at_risk="yes", feel_at_risk_details=" ")
    assert "feel_at_risk_details" in refused.value.message_dict


def test_a_reflections_audit_row_names_it_but_holds_none_of_its_words(live_case, practitioner_a, reflect):
    review = reflect(practitioner_a, live_case, reflection="Her son frightens me")
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="closure.reflectivereview")
    assert event.object_id == str(review.pk)
    assert "frightens" not in str(event.detail)


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
    values.update(overrides)
    return services.s42_refer(acting_user=user, case=case, **values)


def test_escalation_is_a_decision_citing_s42_and_moves_the_case(live_case, manager_a, today):
    referral = _refer(manager_a, live_case, today)
    live_case.refresh_from_db()
    assert live_case.status == CaseStatus.ESCALATED
    decision = referral.decision
    assert decision.kind == DecisionKind.ESCALATE
    assert "Joint visits; two meetings." in decision.rationale
    assert {ref.code for ref in decision.legislation.all()} == {"care-act-2014-s42", "dpa-2018"}


@pytest.mark.parametrize("field", ["risk_of_serious_harm", "steps_taken", "why_not_enough", "referred_to"])
def test_escalation_needs_its_rationale(live_case, manager_a, today, field):
    decisions = Decision.objects.count()
    with pytest.raises(ValidationError) as refused:
        _refer(manager_a, live_case, today, **{field: ""})
    assert field in refused.value.message_dict
    assert Decision.objects.count() == decisions and not S42Referral.objects.exists()
    live_case.refresh_from_db()
    assert live_case.status == CaseStatus.ACCEPTED


def test_consent_as_the_lawful_basis_needs_how_and_when(live_case, manager_a, today):
    with pytest.raises(ValidationError) as refused:
        _refer(manager_a, live_case, today, lawful_basis="consent")
    assert "lawful_basis_details" in refused.value.message_dict


def test_only_a_manager_of_the_lead_agency_escalates(live_case, practitioner_a, today):
    with pytest.raises(PermissionDenied):
        _refer(practitioner_a, live_case, today)


def test_a_second_referral_waits_for_the_first_decision(live_case, manager_a, today):
    referral = _refer(manager_a, live_case, today)
    case_transition(acting_user=manager_a, case=live_case, to_status="review", reason="Reviewing alongside")
    with pytest.raises(ValidationError):
        _refer(manager_a, live_case, today)
    assert S42Referral.objects.get() == referral


def test_an_opened_enquiry_keeps_the_case_escalated(live_case, manager_a, today):
    referral = _refer(manager_a, live_case, today)
    outcome = services.s42_outcome_record(
        acting_user=manager_a,
        referral=referral,
        outcome="enquiry_opened",
        reason="Third-party exploitation suspected",
        decided_on=today,
        decided_by="J Patel",
    )
    live_case.refresh_from_db()
    assert live_case.status == CaseStatus.ESCALATED
    assert outcome.decision.summary == "Local authority's decision: A section 42 enquiry has been opened"
    assert outcome.decision.other_participants == "J Patel"


def test_no_enquiry_returns_the_case_to_review_when_it_was_escalated_from_review(live_case, manager_a, today):
    case_transition(acting_user=manager_a, case=live_case, to_status="planning", reason="Planning meeting")
    case_transition(acting_user=manager_a, case=live_case, to_status="review", reason="First review")
    referral = _refer(manager_a, live_case, today)
    services.s42_outcome_record(
        acting_user=manager_a,
        referral=referral,
        outcome="no_enquiry",
        reason="Self-neglect",
        decided_on=today,
        decided_by="J Patel",
    )
    live_case.refresh_from_db()
    assert live_case.status == CaseStatus.REVIEW


def test_the_decision_cannot_precede_the_referral_nor_be_recorded_twice(live_case, manager_a, today):
    referral = _refer(manager_a, live_case, today)
    with pytest.raises(ValidationError) as refused:
        services.s42_outcome_record(
            acting_user=manager_a,
            referral=referral,
            outcome="no_enquiry",
            reason="No",
            decided_on=today - datetime.timedelta(days=1),
            decided_by="J Patel",
        )
    assert "decided_on" in refused.value.message_dict
    services.s42_outcome_record(
        acting_user=manager_a,
        referral=referral,
        outcome="enquiry_opened",
        reason="Yes",
        decided_on=today,
        decided_by="J Patel",
    )
    with pytest.raises(ValidationError):
        services.s42_outcome_record(
            acting_user=manager_a,
            referral=referral,
            outcome="no_enquiry",
            reason="No",
            decided_on=today,
            decided_by="J Patel",
        )
    assert S42Outcome.objects.count() == 1


def test_marm_work_resumes_after_an_opened_enquiry(live_case, manager_a, today):
    referral = _refer(manager_a, live_case, today)
    with pytest.raises(ValidationError):
        services.s42_marm_resume(acting_user=manager_a, referral=referral, reason="Too early")
    services.s42_outcome_record(
        acting_user=manager_a,
        referral=referral,
        outcome="enquiry_opened",
        reason="Exploitation",
        decided_on=today,
        decided_by="J Patel",
    )
    with pytest.raises(ValidationError) as refused:
        services.s42_marm_resume(acting_user=manager_a, referral=referral, reason=" ")
    assert "reason" in refused.value.message_dict
    services.s42_marm_resume(acting_user=manager_a, referral=referral, reason="The enquiry ended; he has moved out")
    live_case.refresh_from_db()
    assert live_case.status == CaseStatus.PLANNING
    assert live_case.transitions.last().reason == "MARM work resumes: The enquiry ended; he has moved out"


def test_next_steps_need_a_date_they_are_due_by(live_case, practitioner_a, reflect, today):
    with pytest.raises(ValidationError) as refused:
        reflect(practitioner_a, live_case, next_steps_due_on=None)
    assert "next_steps_due_on" in refused.value.message_dict
    with pytest.raises(ValidationError):
        reflect(practitioner_a, live_case, next_steps_due_on=today - datetime.timedelta(days=1))
    review = reflect(practitioner_a, live_case, next_steps=[], next_steps_due_on=None)
    assert review.next_steps == [] and review.next_steps_due_on is None

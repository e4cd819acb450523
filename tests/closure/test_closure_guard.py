"""002: no closure for non-engagement without a check with every other agency in contact;
000 6.2: every closure accounts for each risk, ongoing support and the handover."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from marm.cases.lifecycle import CaseStatus
from marm.cases.services import case_reopen
from marm.chronology.services import chronology_entry_add
from marm.closure import services
from marm.closure.guard import CHECK_CURRENT_DAYS, non_engagement_guard
from marm.closure.models import CaseClosure, ClosureRiskOutcome, NonEngagementFlag
from marm.decisions.models import Decision, DecisionKind
from marm.people.models import AgencyInvolvement, InvolvementBasis
from marm.risk.services import risk_assessment_agree, risk_assessment_start
from tests.factories import AgencyFactory, UserFactory
from tests.risk import helpers

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError) -> list[str]:
    return [message for messages in error.message_dict.values() for message in messages]


def _check(user, case, agency, on):
    return services.agency_check_record(
        acting_user=user, case=case, agency=agency, spoke_to="PC Evans", checked_on=on, what_they_said="No contact."
    )


@pytest.fixture
def gp_writes_in_chronology(live_case, agency_c, gp_c, practitioner_a, person_a):
    """The GP practice is involved with the adult and has written in her chronology, but takes no part in the case."""
    AgencyInvolvement.objects.create(
        person=person_a, agency=agency_c, basis=InvolvementBasis.SHARING_DECISION, started_by=practitioner_a
    )
    chronology_entry_add(
        acting_user=gp_c,
        person=person_a,
        occurred_on=datetime.date(2025, 2, 1),
        entry_type="missed_appointment",
        summary="Did not attend the diabetic review.",
        significance="significant",
    )
    return agency_c


@pytest.fixture
def homecare(live_case, practitioner_a):
    agency = AgencyFactory(name="Brightside Homecare", kind="care_provider")
    services.support_provider_record(
        acting_user=practitioner_a, case=live_case, agency=agency, support="Two calls a day"
    )
    return agency


def test_closing_for_non_engagement_is_refused_until_the_involved_agency_is_checked(
    live_case, manager_a, close_values, practitioner_a, agency_b, today, agreed_risk_assessment
):
    with pytest.raises(ValidationError) as refused:
        services.case_close(acting_user=manager_a, case=live_case, **close_values(reason="non_engagement"))
    lines = _messages(refused.value)
    assert any("Shire Police (takes part in the case)" in line for line in lines)
    live_case.refresh_from_db()
    assert live_case.status == CaseStatus.ACCEPTED

    _check(practitioner_a, live_case, agency_b, today)
    closure = services.case_close(acting_user=manager_a, case=live_case, **close_values(reason="non_engagement"))
    assert closure.case.status == CaseStatus.CLOSED


def test_an_agency_that_wrote_in_the_chronology_must_be_checked(
    live_case, manager_a, close_values, practitioner_a, agency_b, gp_writes_in_chronology, today
):
    _check(practitioner_a, live_case, agency_b, today)
    with pytest.raises(ValidationError) as refused:
        services.case_close(acting_user=manager_a, case=live_case, **close_values(reason="non_engagement"))
    lines = _messages(refused.value)
    assert any("Riverside Practice (has written in the chronology)" in line for line in lines)
    assert not any("Shire Police" in line for line in lines)


def test_an_agency_providing_care_and_support_must_be_checked(
    live_case, manager_a, close_values, practitioner_a, agency_b, homecare, today, agreed_risk_assessment
):
    _check(practitioner_a, live_case, agency_b, today)
    with pytest.raises(ValidationError) as refused:
        services.case_close(acting_user=manager_a, case=live_case, **close_values(reason="non_engagement"))
    assert any("Brightside Homecare (provides care and support)" in line for line in _messages(refused.value))
    _check(practitioner_a, live_case, homecare, today)
    services.case_close(acting_user=manager_a, case=live_case, **close_values(reason="non_engagement"))


def test_the_refusal_lists_one_line_per_agency_still_to_check(
    live_case, manager_a, close_values, gp_writes_in_chronology, homecare
):
    result = non_engagement_guard(live_case)
    assert [item.agency.name for item in result.agencies] == [
        "Brightside Homecare",
        "Riverside Practice",
        "Shire Police",
    ]
    with pytest.raises(ValidationError) as refused:
        services.case_close(acting_user=manager_a, case=live_case, **close_values(reason="non_engagement"))
    agency_lines = [line for line in _messages(refused.value) if line.startswith("Check with")]
    assert len(agency_lines) == 3


def test_a_check_older_than_four_weeks_does_not_count(
    live_case, manager_a, close_values, practitioner_a, agency_b, today
):
    _check(practitioner_a, live_case, agency_b, today - datetime.timedelta(days=CHECK_CURRENT_DAYS + 1))
    with pytest.raises(ValidationError) as refused:
        services.case_close(acting_user=manager_a, case=live_case, **close_values(reason="non_engagement"))
    assert any("Shire Police" in line for line in _messages(refused.value))


def test_a_flagged_case_is_guarded_whatever_reason_is_given(
    live_case, manager_a, close_values, practitioner_a, agency_b, today, agreed_risk_assessment
):
    services.non_engagement_flag_raise(acting_user=practitioner_a, case=live_case, reason="No answer for six weeks")
    with pytest.raises(ValidationError) as refused:
        services.case_close(acting_user=manager_a, case=live_case, **close_values(reason="risks_managed"))
    assert any("Shire Police" in line for line in _messages(refused.value))
    _check(practitioner_a, live_case, agency_b, today)
    services.case_close(acting_user=manager_a, case=live_case, **close_values(reason="risks_managed"))
    flag = NonEngagementFlag.objects.get(case=live_case)
    assert flag.lifted_at is not None and flag.lift_reason == "The case was closed"


def test_closing_for_other_reasons_does_not_need_agency_checks(live_case, manager_a, close_values):
    closure = services.case_close(acting_user=manager_a, case=live_case, **close_values())
    assert closure.reason == "risks_managed"


def test_a_refused_closure_leaves_nothing_behind(live_case, manager_a, close_values):
    decisions = Decision.objects.count()
    with pytest.raises(ValidationError):
        services.case_close(acting_user=manager_a, case=live_case, **close_values(reason="non_engagement"))
    assert CaseClosure.objects.count() == 0
    assert ClosureRiskOutcome.objects.count() == 0
    assert Decision.objects.count() == decisions
    live_case.refresh_from_db()
    assert live_case.status == CaseStatus.ACCEPTED


def test_only_agencies_in_contact_can_be_recorded_as_checked(live_case, practitioner_a, today):
    stranger = AgencyFactory(name="Unrelated Charity")
    with pytest.raises(ValidationError) as refused:
        _check(practitioner_a, live_case, stranger, today)
    assert "agency" in refused.value.message_dict


@pytest.mark.parametrize(
    ("overrides", "field", "expected"),
    [
        ({"rationale": " "}, "rationale", "Give the rationale"),
        ({"ongoing_support": ""}, "ongoing_support", "Describe the ongoing support"),
        ({"support_agreed_by": []}, "support_agreed_by", "Select the agencies that agreed"),
        ({"handover_to": ""}, "handover_to", "Say who takes the case on"),
        ({"handover_agency": None}, "handover_to", "Say who takes the case on"),
        ({"information_given": ""}, "information_given", "information and advice given to the adult"),
        ({"reason": ""}, "reason", "Select why the case is closing"),
    ],
)
def test_each_condition_of_closure_is_required(live_case, manager_a, close_values, overrides, field, expected):
    with pytest.raises(ValidationError) as refused:
        services.case_close(acting_user=manager_a, case=live_case, **close_values(**overrides))
    assert any(expected in message for message in refused.value.message_dict[field])
    assert not CaseClosure.objects.exists()


def test_each_identified_risk_needs_an_outcome_and_a_why(live_case, manager_a, close_values):
    outcomes = {"concern-b": {"outcome": "resolved", "why": ""}}
    with pytest.raises(ValidationError) as refused:
        services.case_close(acting_user=manager_a, case=live_case, **close_values(risk_outcomes=outcomes))
    lines = refused.value.message_dict["risk_outcomes"]
    assert lines == [
        "Say why this risk is resolved: Self-neglect, including hoarding and fire safety",
        "Say whether this risk is resolved or managed to an acceptable level: "
        "Refusal of, or disengagement from, care and support",
    ]


def test_closure_is_a_signed_off_decision_with_each_risk_outcome(live_case, manager_a, close_values, agency_a):
    closure = services.case_close(acting_user=manager_a, case=live_case, **close_values())
    assert closure.signed_off_by == manager_a
    assert [(r.code, r.outcome) for r in closure.risk_outcomes.all()] == [("b", "resolved"), ("c", "managed")]
    assert list(closure.support_agreed_by.all()) == [agency_a]
    decision = closure.decision
    assert decision.kind == DecisionKind.CLOSE
    assert "Locality Team North" in decision.summary
    assert "Exits clear since the clean on 3 May." in decision.rationale
    live_case.refresh_from_db()
    assert live_case.status == CaseStatus.CLOSED
    assert live_case.transitions.last().to_status == CaseStatus.CLOSED


def test_only_a_manager_of_the_lead_agency_signs_off_closure(live_case, practitioner_a, close_values, agency_b):
    with pytest.raises(PermissionDenied):
        services.case_close(acting_user=practitioner_a, case=live_case, **close_values())
    police_manager = UserFactory(agency=agency_b, roles=["manager"])
    with pytest.raises(PermissionDenied):
        services.case_close(acting_user=police_manager, case=live_case, **close_values())


def test_a_closed_case_can_be_reopened_and_keeps_its_closure(live_case, manager_a, close_values):
    closure = services.case_close(acting_user=manager_a, case=live_case, **close_values())
    case_reopen(acting_user=manager_a, case=live_case, rationale="New fire reported by the neighbour")
    live_case.refresh_from_db()
    assert live_case.status == CaseStatus.REOPENED
    assert list(live_case.closures.all()) == [closure]


def test_a_case_waiting_for_the_local_authoritys_s42_decision_cannot_close(live_case, manager_a, close_values, today):
    referral = services.s42_refer(
        acting_user=manager_a,
        case=live_case,
        risk_of_serious_harm="Fire",
        steps_taken="Visits",
        why_not_enough="Refused",
        lawful_basis="risk_to_others",
        referred_to="Safeguarding hub",
        referred_on=today,
        marm_work="pause",
    )
    with pytest.raises(ValidationError) as refused:
        services.case_close(acting_user=manager_a, case=live_case, **close_values())
    assert refused.value.message_dict["__all__"] == [
        "Record the local authority's decision on the section 42 referral first"
    ]
    services.s42_outcome_record(
        acting_user=manager_a,
        referral=referral,
        outcome="enquiry_opened",
        reason="Abuse suspected",
        decided_on=today,
        decided_by="J Patel",
    )
    closure = services.case_close(acting_user=manager_a, case=live_case, **close_values())
    assert closure.case.status == CaseStatus.CLOSED


def test_closing_for_non_engagement_needs_an_agreed_risk_assessment(
    live_case, manager_a, close_values, practitioner_a, agency_b, today
):
    _check(practitioner_a, live_case, agency_b, today)
    with pytest.raises(ValidationError) as refused:
        services.case_close(acting_user=manager_a, case=live_case, **close_values(reason="non_engagement"))
    assert refused.value.message_dict["__all__"] == [
        "A case closed for non-engagement needs a current agreed risk assessment and a check with every other "
        "agency in contact with the adult. Still to do:",
        "Agree a multi-agency risk assessment: none has been agreed for this case",
    ]
    # A draft is not enough: it must be agreed.
    version = risk_assessment_start(acting_user=practitioner_a, case=live_case)
    helpers.fill_draft(practitioner_a, version, likelihood=1, impact=1)
    with pytest.raises(ValidationError):
        services.case_close(acting_user=manager_a, case=live_case, **close_values(reason="non_engagement"))
    helpers.agree(manager_a, version)
    closure = services.case_close(acting_user=manager_a, case=live_case, **close_values(reason="non_engagement"))
    assert closure.case.status == CaseStatus.CLOSED


def test_a_risk_assessment_agreed_more_than_four_weeks_ago_is_not_current(
    live_case, manager_a, close_values, practitioner_a, agency_b, today
):
    _check(practitioner_a, live_case, agency_b, today)
    version = risk_assessment_start(acting_user=practitioner_a, case=live_case)
    helpers.fill_draft(practitioner_a, version, likelihood=1, impact=1)
    version.refresh_from_db()
    agreed_on = today - datetime.timedelta(days=CHECK_CURRENT_DAYS + 2)
    risk_assessment_agree(
        acting_user=manager_a,
        version=version,
        expected_version=version.version,
        how="meeting",
        agreed_on=agreed_on,
        note="Review meeting",
    )
    with pytest.raises(ValidationError) as refused:
        services.case_close(acting_user=manager_a, case=live_case, **close_values(reason="non_engagement"))
    assert refused.value.message_dict["__all__"][1] == (
        f"Review and agree the risk assessment again: version 1 was agreed on {agreed_on:%d/%m/%Y}, "
        f"more than {CHECK_CURRENT_DAYS} days ago"
    )


def test_the_agreed_risk_assessment_decides_which_risks_closure_accounts_for(
    live_case, manager_a, close_values, agreed_risk_assessment
):
    with pytest.raises(ValidationError) as refused:
        services.case_close(acting_user=manager_a, case=live_case, **close_values(risk_outcomes={}))
    assert refused.value.message_dict["risk_outcomes"] == [
        "Say whether this risk is resolved or managed to an acceptable level: "
        "Observation of the home situation and environmental factors (Very high risk)"
    ]
    closure = services.case_close(acting_user=manager_a, case=live_case, **close_values())
    assert [(r.source, r.code, r.outcome) for r in closure.risk_outcomes.all()] == [
        ("assessment", "home_environment", "managed")
    ]


def _three_missed(user, case, on):
    for _ in range(3):
        services.engagement_attempt_log(
            acting_user=user, case=case, strategy="appointment", attempted_on=on, outcome="did_not_attend"
        )


def test_failed_attempts_guard_a_closure_whatever_reason_is_given(
    live_case, manager_a, close_values, practitioner_a, today
):
    """002: three missed appointments, then "risks resolved or managed" must not walk round the guard."""
    _three_missed(practitioner_a, live_case, today)
    decisions = Decision.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.case_close(acting_user=manager_a, case=live_case, **close_values(reason="risks_managed"))
    assert refused.value.message_dict["__all__"] == [
        "The adult has not engaged and no risk assessment has been agreed: agree a current risk assessment and "
        "check with every other agency in contact with the adult, or say why non-engagement does not apply. "
        "Still to do:",
        "Agree a multi-agency risk assessment: none has been agreed for this case",
        "Check with Shire Police (takes part in the case): record who you spoke to, when, and what they said",
    ]
    assert CaseClosure.objects.count() == 0
    assert ClosureRiskOutcome.objects.count() == 0
    assert Decision.objects.count() == decisions
    live_case.refresh_from_db()
    assert live_case.status == CaseStatus.ACCEPTED


def test_saying_why_non_engagement_does_not_apply_lets_the_case_close_and_is_a_decision(
    live_case, manager_a, close_values, practitioner_a, today
):
    _three_missed(practitioner_a, live_case, today)
    why = "She moved into residential care on 2 June and engages with the home's staff every day."
    closure = services.case_close(
        acting_user=manager_a, case=live_case, **close_values(reason="risks_managed", non_engagement_not_applicable=why)
    )
    assert closure.case.status == CaseStatus.CLOSED
    decision = Decision.objects.get(case=live_case, summary="Non-engagement does not apply to this closure")
    assert decision.kind == DecisionKind.OTHER
    assert why in decision.rationale
    assert "3 attempts to engage the adult failed" in decision.rationale
    assert decision.recorded_by == manager_a
    assert why in closure.decision.rationale


def test_a_blank_reason_why_non_engagement_does_not_apply_is_refused(
    live_case, manager_a, close_values, practitioner_a, today
):
    _three_missed(practitioner_a, live_case, today)
    with pytest.raises(ValidationError):
        services.case_close(acting_user=manager_a, case=live_case, **close_values(non_engagement_not_applicable="   "))
    assert CaseClosure.objects.count() == 0


def test_failed_attempts_pass_the_guard_with_a_current_assessment_and_every_agency_checked(
    live_case, manager_a, close_values, practitioner_a, agency_b, today, agreed_risk_assessment
):
    # An attempt on the day the assessment was agreed counts: a date cannot say which came first.
    _three_missed(practitioner_a, live_case, today)
    with pytest.raises(ValidationError) as refused:
        services.case_close(acting_user=manager_a, case=live_case, **close_values())
    assert refused.value.message_dict["__all__"][0].startswith(
        "The adult has not engaged since the risk assessment was agreed on "
    )
    _check(practitioner_a, live_case, agency_b, today)
    closure = services.case_close(acting_user=manager_a, case=live_case, **close_values())
    assert closure.case.status == CaseStatus.CLOSED
    assert not Decision.objects.filter(case=live_case, summary="Non-engagement does not apply to this closure").exists()


def test_attempts_before_the_agreed_risk_assessment_do_not_guard_the_closure(
    live_case, manager_a, close_values, practitioner_a, a_week_ago, agreed_risk_assessment
):
    _three_missed(practitioner_a, live_case, a_week_ago)
    services.engagement_attempt_log(
        acting_user=practitioner_a, case=live_case, strategy="call", attempted_on=a_week_ago, outcome="engaged"
    )
    closure = services.case_close(acting_user=manager_a, case=live_case, **close_values())
    assert closure.case.status == CaseStatus.CLOSED


def test_non_engagement_cannot_both_be_the_reason_and_not_apply(
    live_case, manager_a, close_values, practitioner_a, agency_b, today, agreed_risk_assessment
):
    _three_missed(practitioner_a, live_case, today)
    _check(practitioner_a, live_case, agency_b, today)
    with pytest.raises(ValidationError) as refused:
        services.case_close(
            acting_user=manager_a,
            case=live_case,
            **close_values(reason="non_engagement", non_engagement_not_applicable="She engages now."),
        )
    assert refused.value.message_dict["non_engagement_not_applicable"] == [
        "Leave this empty: the case is closing because the adult or family is not engaging"
    ]


def test_saying_non_engagement_does_not_apply_does_not_lift_the_flag(
    live_case, manager_a, close_values, practitioner_a, today
):
    services.non_engagement_flag_raise(acting_user=practitioner_a, case=live_case, reason="No answer for six weeks")
    with pytest.raises(ValidationError) as refused:
        services.case_close(
            acting_user=manager_a, case=live_case, **close_values(non_engagement_not_applicable="She engages now.")
        )
    assert refused.value.message_dict["non_engagement_not_applicable"] == [
        "The case is flagged as not engaging: lift the flag, saying why, instead"
    ]
    assert any("Shire Police" in line for line in refused.value.message_dict["__all__"])
    assert CaseClosure.objects.count() == 0

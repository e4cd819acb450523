"""Mental capacity: one decision at one time, the functional test, best interests and refusals."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from marm.decisions.models import Decision, DecisionKind
from marm.risk.models import BestInterestsDecision, CapacityAssessment, RefusalWithCapacity
from marm.risk.selectors import case_risk_summary
from marm.risk.services import best_interests_decide, refusal_record
from tests.risk import helpers

pytestmark = pytest.mark.django_db

BEST_INTERESTS = {
    "regain_capacity": "Dementia is progressing; she is not expected to regain capacity for this.",
    "can_wait": "no",
    "wishes_and_beliefs": "She has always said she wants to stay near the sea and her church.",
    "family_and_carers_views": "Her niece thinks a care home near the seafront would suit her.",
    "attorney_kind": "lpa_health_welfare",
    "attorney_views": "Her nephew, the attorney, supports a short trial stay first.",
    "attorney_validity": "Checked on the Office of the Public Guardian register, 3 March.",
    "court_deputy": "no",
    "not_based_on_appearance": True,
    "no_motive_to_bring_about_death": True,
    "advocate": "imca",
    "advocate_details": "Priya Shah (IMCA) met her twice; reported she is happier with people around.",
    "less_restrictive_options": "More homecare visits; a key safe; a trial stay.",
    "summary": "A four-week trial stay at Seaview House.",
    "rationale": "Least restrictive option that keeps her safe from fire and near the sea, as she wishes.",
}


def test_lacks_capacity_cannot_be_recorded_without_the_functional_test(led_case, practitioner_a):
    answers = {**helpers.LACKS, "understands": "", "retains": "", "retains_evidence": ""}
    with pytest.raises(ValidationError) as error:
        helpers.assess(practitioner_a, led_case, answers)
    assert {"understands", "retains"} <= set(error.value.error_dict)
    assert not CapacityAssessment.objects.exists()


def test_lacks_capacity_needs_an_impairment_and_evidence_for_each_answer(led_case, practitioner_a):
    answers = {**helpers.LACKS, "impairment": "no", "uses_or_weighs_evidence": ""}
    with pytest.raises(ValidationError) as error:
        helpers.assess(practitioner_a, led_case, answers)
    assert {"impairment", "uses_or_weighs_evidence"} <= set(error.value.error_dict)


def test_a_functional_test_passed_in_full_cannot_conclude_lacks_capacity(led_case, practitioner_a):
    answers = {
        **helpers.HAS_DECISIONAL_NOT_EXECUTIVE,
        "impairment": "yes",
        "impairment_details": "Dementia",
        "decisional_capacity": "has",
        "outcome": "lacks",
    }
    with pytest.raises(ValidationError) as error:
        helpers.assess(practitioner_a, led_case, answers)
    assert "outcome" in error.value.error_dict


def test_the_database_refuses_lacks_capacity_without_the_test(led_case, practitioner_a):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CapacityAssessment.objects.create(
            case=led_case,
            decision="Where to live",
            assessed_on=timezone.localdate(),
            assessor=practitioner_a,
            assessor_agency=practitioner_a.agency,
            practicable_steps="x",
            decisional_capacity="lacks",
            executive_capacity="not_assessed",
            outcome="lacks",
            outcome_reasons="x",
            review_by=timezone.localdate() + datetime.timedelta(days=1),
            recorded_by=practitioner_a,
        )


def test_decisional_and_executive_capacity_are_recorded_apart(led_case, practitioner_a):
    assessment = helpers.assess(practitioner_a, led_case, helpers.HAS_DECISIONAL_NOT_EXECUTIVE)
    assert assessment.get_decisional_capacity_display() == "Has capacity"
    assert assessment.get_executive_capacity_display() == "Cannot carry the decision out"
    assert assessment.outcome == "has"


def test_executive_incapacity_needs_its_evidence(led_case, practitioner_a):
    with pytest.raises(ValidationError) as error:
        helpers.assess(practitioner_a, led_case, {**helpers.HAS_DECISIONAL_NOT_EXECUTIVE, "executive_evidence": ""})
    assert "executive_evidence" in error.value.error_dict


def test_a_best_interests_decision_answers_the_checklist_and_goes_in_the_decision_log(led_case, practitioner_a):
    assessment = helpers.assess(practitioner_a, led_case, helpers.LACKS)
    record = best_interests_decide(acting_user=practitioner_a, capacity_assessment=assessment, **BEST_INTERESTS)
    assert record.decision.kind == DecisionKind.BEST_INTERESTS
    assert record.decision.options_considered == BEST_INTERESTS["less_restrictive_options"]
    assert {ref.code for ref in record.decision.legislation.all()} == {"mca-2005-s4", "mca-code"}
    questions = [q for q, _ in record.checklist()]
    assert len(questions) == 8 and questions[1] == "The adult's wishes, feelings, values and beliefs"


def test_no_best_interests_decision_for_an_adult_with_capacity_for_it(led_case, practitioner_a):
    assessment = helpers.assess(practitioner_a, led_case, helpers.HAS_DECISIONAL_NOT_EXECUTIVE)
    with pytest.raises(ValidationError, match="theirs to make"):
        best_interests_decide(acting_user=practitioner_a, capacity_assessment=assessment, **BEST_INTERESTS)
    assert not BestInterestsDecision.objects.exists()
    assert not Decision.objects.filter(kind=DecisionKind.BEST_INTERESTS).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"can_wait": "yes"}, "can_wait"),
        ({"attorney_validity": ""}, "attorney_validity"),
        ({"court_deputy": "yes"}, "deputy_views"),
        ({"not_based_on_appearance": False}, "not_based_on_appearance"),
        ({"no_motive_to_bring_about_death": False}, "no_motive_to_bring_about_death"),
        ({"advocate_details": ""}, "advocate_details"),
    ],
)
def test_the_checklist_is_enforced_and_a_refused_decision_leaves_nothing(led_case, practitioner_a, change, field):
    assessment = helpers.assess(practitioner_a, led_case, helpers.LACKS)
    with pytest.raises(ValidationError) as error:
        best_interests_decide(
            acting_user=practitioner_a, capacity_assessment=assessment, **{**BEST_INTERESTS, **change}
        )
    assert field in error.value.error_dict
    assert not BestInterestsDecision.objects.exists()
    assert not Decision.objects.filter(kind=DecisionKind.BEST_INTERESTS).exists()


def test_a_refusal_with_capacity_records_each_agencys_efforts(led_case, practitioner_a, agency_a, agency_b):
    assessment = helpers.assess(practitioner_a, led_case, helpers.HAS_DECISIONAL_NOT_EXECUTIVE)
    refusal = refusal_record(
        acting_user=practitioner_a,
        case=led_case,
        capacity_assessment=assessment,
        what_is_refused="Help to clear the hallway",
        refused_on=timezone.localdate(),
        advice_on_reducing_risk="Keep the front door route clear; do not smoke indoors.",
        help_later_information="Call the council's adult care line on 0300 555 0101 at any time.",
        efforts={
            agency_a: "Three visits, a letter and a joint visit.",
            agency_b: "Welfare check with the fire service.",
        },
    )
    assert {e.agency.name for e in refusal.efforts.all()} == {"Shire Adult Social Care", "Shire Police"}


def test_a_refusal_needs_some_effort_and_an_assessment_that_found_capacity(
    led_case, practitioner_a, agency_a, agency_c
):
    lacks = helpers.assess(practitioner_a, led_case, helpers.LACKS)
    with pytest.raises(ValidationError) as error:
        refusal_record(
            acting_user=practitioner_a,
            case=led_case,
            capacity_assessment=lacks,
            what_is_refused="Care",
            refused_on=timezone.localdate(),
            advice_on_reducing_risk="x",
            help_later_information="y",
            efforts={agency_a: " ", agency_c: "Not involved in the case"},
        )
    assert {"capacity_assessment", "efforts"} <= set(error.value.error_dict)
    assert not RefusalWithCapacity.objects.exists()


def test_the_case_shows_presumed_capacity_until_an_assessment_and_flags_those_past_due(led_case, practitioner_a):
    assert case_risk_summary(user=practitioner_a, case=led_case).presumed_capacity
    today = timezone.localdate()
    old = helpers.assess(
        practitioner_a,
        led_case,
        helpers.LACKS,
        assessed_on=today - datetime.timedelta(days=200),
        review_by=today - datetime.timedelta(days=20),
    )
    other = helpers.assess(
        practitioner_a,
        led_case,
        helpers.HAS_DECISIONAL_NOT_EXECUTIVE,
        assessed_on=today - datetime.timedelta(days=100),
        review_by=today - datetime.timedelta(days=10),
    )
    summary = case_risk_summary(user=practitioner_a, case=led_case)
    assert not summary.presumed_capacity
    assert {line.assessment.pk: line.overdue for line in summary.capacity} == {old.pk: True, other.pk: True}
    # A fresh assessment of the same decision answers the past-due one.
    helpers.assess(practitioner_a, led_case, helpers.LACKS)
    summary = case_risk_summary(user=practitioner_a, case=led_case)
    assert summary.overdue_count == 1

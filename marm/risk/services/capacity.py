"""Mental capacity: assessments, best-interests decisions and refusals with capacity.

MCA 2005 s1(2): capacity is presumed until it is established that the adult
lacks it, for one decision at one time; 000 3.2-3.5, 5.2-5.3.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marm.access.guard import acts_on
from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.models import Case
from marm.decisions.models import DecisionKind, LegislationReference
from marm.decisions.services import decision_record
from marm.risk import vocab
from marm.risk.models import BestInterestsDecision, CapacityAssessment, RefusalEffort, RefusalWithCapacity

CAPACITY_FIELDS = [
    "decision",
    "assessed_on",
    "practicable_steps",
    "impairment",
    "impairment_details",
    "understands",
    "understands_evidence",
    "retains",
    "retains_evidence",
    "uses_or_weighs",
    "uses_or_weighs_evidence",
    "communicates",
    "communicates_evidence",
    "decisional_capacity",
    "executive_capacity",
    "executive_evidence",
    "outcome",
    "outcome_reasons",
    "review_by",
]


def _mca(codes=("mca-2005",)) -> list[LegislationReference]:
    return list(LegislationReference.objects.filter(code__in=codes, is_active=True))


@acts_on("case")
@transaction.atomic
def capacity_assessment_record(*, acting_user, case: Case, **answers) -> CapacityAssessment:
    """Record one assessment of capacity for one decision. It is never edited: reassess instead."""
    require(acting_user, "risk.assess_capacity", case)
    unknown = set(answers) - set(CAPACITY_FIELDS)
    if unknown:
        raise ValueError(f"Not part of a capacity assessment: {sorted(unknown)}")
    values = {name: value.strip() if isinstance(value, str) else value for name, value in answers.items()}
    assessment = CapacityAssessment(
        case=case, assessor=acting_user, assessor_agency_id=acting_user.agency_id, recorded_by=acting_user, **values
    )
    if assessment.assessed_on and assessment.assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": "The date of the assessment must be today or in the past"})
    assessment.full_clean()
    assessment.save(force_insert=True)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=assessment,
        person_id=case.person_id,
        detail={
            "outcome": assessment.outcome,
            "decisional": assessment.decisional_capacity,
            "executive": assessment.executive_capacity,
        },
    )
    return assessment


@acts_on("capacity_assessment")
@transaction.atomic
def best_interests_decide(
    *,
    acting_user,
    capacity_assessment: CapacityAssessment,
    regain_capacity: str,
    can_wait: str,
    wishes_and_beliefs: str,
    family_and_carers_views: str,
    attorney_kind: str,
    court_deputy: str,
    not_based_on_appearance: bool,
    no_motive_to_bring_about_death: bool,
    advocate: str,
    less_restrictive_options: str,
    summary: str,
    rationale: str,
    attorney_views: str = "",
    attorney_validity: str = "",
    deputy_views: str = "",
    other_information: str = "",
    advocate_details: str = "",
    participants=(),
    other_participants: str = "",
) -> BestInterestsDecision:
    """A best-interests decision on the 000 3.4 checklist, for a decision the adult lacks capacity for."""
    case = capacity_assessment.case
    require(acting_user, "risk.decide_best_interests", case)
    errors = {}
    if capacity_assessment.outcome != vocab.CapacityFinding.LACKS:
        # MCA 2005 s1(2): without an assessment that they lack capacity, the adult decides.
        raise ValidationError(
            "The adult has capacity for this decision, so it is theirs to make: no best-interests decision"
        )
    if can_wait == vocab.YesNo.YES:
        errors["can_wait"] = (
            "If the decision can wait until they may regain capacity, wait for them to decide (MCA 2005 s4(3))"
        )
    if attorney_kind not in (vocab.AttorneyKind.NONE_KNOWN, "") and not attorney_views.strip():
        errors["attorney_views"] = "Record the attorney's views"
    if attorney_kind not in (vocab.AttorneyKind.NONE_KNOWN, "") and not attorney_validity.strip():
        errors["attorney_validity"] = (
            "Say how the power of attorney was checked as valid (the Office of the Public Guardian can advise)"
        )
    if court_deputy == vocab.YesNo.YES and not deputy_views.strip():
        errors["deputy_views"] = "Record the deputy's views"
    if not not_based_on_appearance:
        errors["not_based_on_appearance"] = (
            "Confirm the decision is not based merely on age, appearance, condition or behaviour"
        )
    if not no_motive_to_bring_about_death:
        errors["no_motive_to_bring_about_death"] = "Confirm no one is motivated by a desire to bring about their death"
    if (
        advocate in (vocab.AdvocateInvolvement.IMCA, vocab.AdvocateInvolvement.ADVOCATE)
        and not advocate_details.strip()
    ):
        errors["advocate_details"] = "Name the advocate and what they said"
    if errors:
        raise ValidationError(errors)
    decision = decision_record(
        acting_user=acting_user,
        person=case.person,
        case=case,
        kind=DecisionKind.BEST_INTERESTS,
        summary=summary,
        rationale=rationale,
        options_considered=less_restrictive_options,
        participants=[acting_user, *participants],
        other_participants=other_participants,
        legislation=_mca(("mca-2005-s4", "mca-code")),
    )
    record = BestInterestsDecision(
        case=case,
        capacity_assessment=capacity_assessment,
        regain_capacity=regain_capacity.strip(),
        can_wait=can_wait,
        wishes_and_beliefs=wishes_and_beliefs.strip(),
        family_and_carers_views=family_and_carers_views.strip(),
        attorney_kind=attorney_kind,
        attorney_views=attorney_views.strip(),
        attorney_validity=attorney_validity.strip(),
        court_deputy=court_deputy,
        deputy_views=deputy_views.strip(),
        not_based_on_appearance=not_based_on_appearance,
        no_motive_to_bring_about_death=no_motive_to_bring_about_death,
        other_information=other_information.strip(),
        advocate=advocate,
        advocate_details=advocate_details.strip(),
        less_restrictive_options=less_restrictive_options.strip(),
        summary=summary.strip(),
        rationale=rationale.strip(),
        decision=decision,
        recorded_by=acting_user,
    )
    record.full_clean()
    record.save(force_insert=True)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=record,
        person_id=case.person_id,
        detail={"capacity_assessment": capacity_assessment.pk, "decision": decision.pk},
    )
    return record


@acts_on("case", "capacity_assessment")
@transaction.atomic
def refusal_record(
    *,
    acting_user,
    case: Case,
    what_is_refused: str,
    refused_on: datetime.date,
    advice_on_reducing_risk: str,
    help_later_information: str,
    efforts: dict,
    adult_reasons: str = "",
    capacity_assessment: CapacityAssessment | None = None,
) -> RefusalWithCapacity:
    """000 3.5, 5.2: the adult, with capacity, refuses support. ``efforts`` maps each agency to what it did."""
    require(acting_user, "risk.record_refusal", case)
    errors = {}
    if capacity_assessment is not None and (
        capacity_assessment.case_id != case.pk or capacity_assessment.outcome != vocab.CapacityFinding.HAS
    ):
        errors["capacity_assessment"] = "Select an assessment of this case that found they have capacity"
    efforts = {agency: text.strip() for agency, text in efforts.items() if text and text.strip()}
    involved = set(case.agencies.values_list("agency_id", flat=True))
    if any(agency.pk not in involved for agency in efforts):
        errors["efforts"] = "Record efforts only for agencies that have taken part in the case"
    if not efforts:
        errors["efforts"] = "Record what at least one agency did to offer support"
    if refused_on and refused_on > timezone.localdate():
        errors["refused_on"] = "The date must be today or in the past"
    if errors:
        raise ValidationError(errors)
    refusal = RefusalWithCapacity(
        case=case,
        capacity_assessment=capacity_assessment,
        what_is_refused=what_is_refused.strip(),
        refused_on=refused_on,
        adult_reasons=adult_reasons.strip(),
        advice_on_reducing_risk=advice_on_reducing_risk.strip(),
        help_later_information=help_later_information.strip(),
        recorded_by=acting_user,
    )
    refusal.full_clean()
    refusal.save(force_insert=True)
    for agency, text in efforts.items():
        RefusalEffort.objects.create(refusal=refusal, agency=agency, efforts=text)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=refusal,
        person_id=case.person_id,
        detail={"agencies": sorted(agency.pk for agency in efforts)},
    )
    return refusal

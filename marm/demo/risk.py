"""The demo's risk story: two versions of a risk assessment written by two agencies,
capacity for two decisions, a best-interests decision and a copy given to the adult.
Written through the services, like everything else in the demo."""

import datetime

from django.utils import timezone

from marm.risk import vocab
from marm.risk.models import AspectAssessment, RiskAssessment
from marm.risk.services import (
    adult_copy_give,
    aspect_update,
    best_interests_decide,
    capacity_assessment_record,
    risk_assessment_agree,
    risk_assessment_start,
    risk_assessment_update,
)

FIRST = {
    "home_environment": (4, 3, "Boxes and papers fill the hallway; the back door cannot be opened."),
    "daily_living": (3, 2, "Eats one meal a day; declines help with washing."),
    "functional_cognitive": (2, 3, "Some memory problems; manages the phone and the shops."),
    "medical": (2, 3, "COPD; uses oxygen at home."),
    "mental_health_substances": (2, 2, "Low mood since her husband died; no alcohol or drugs."),
    "hindering_factors": (3, 2, "Finds it hard to part with anything; ashamed to let people in."),
    "services": (2, 2, "Homecare twice a day, often sent away."),
    "care_plan_engagement": (3, 2, "Agrees to plans but does not follow them through."),
    "support_network": (2, 2, "A niece visits monthly; a neighbour looks in."),
    "environmental_health": (2, 2, "One visit last year; no notice served."),
    "neighbourhood_visiting": (1, 1, "Declined the befriending service."),
    "money": (2, 2, "Pays bills late; no sign of anyone taking money."),
    "impact": (3, 3, "Isolated; at risk of a fall she could not get help after."),
}
POLICE = {
    "public_safety": (
        3,
        4,
        "Two call-outs for smoke from the flat; oxygen and clutter are a fire risk to the flats above.",
    )
}


def _write(user, version, ratings):
    for code, (likelihood, impact, known) in ratings.items():
        row = AspectAssessment.objects.get(assessment_version=version, aspect=code)
        aspect_update(
            acting_user=user,
            aspect=row,
            expected_version=row.version,
            what_is_known=known,
            likelihood=likelihood,
            impact=impact,
            adult_view="I have always lived like this and I want to stay here." if code == "home_environment" else "",
        )


def seed_risk(case, users) -> None:
    """Only the first accepted demo case gets the story, and only once."""
    if RiskAssessment.objects.exists():
        return
    lead, police, manager = users["practitioner"], users["police"], users["manager"]
    today = timezone.localdate()
    first = risk_assessment_start(acting_user=lead, case=case)
    _write(lead, first, FIRST)
    _write(police, first, POLICE)
    first.refresh_from_db()
    risk_assessment_update(
        acting_user=lead,
        version=first,
        expected_version=first.version,
        what_matters="Her cat, her late husband's things, and staying in her own flat.",
        strengths="Sharp sense of humour; trusts her niece and the fire officer.",
        adult_view="She knows the hallway is a problem but does not want strangers touching her things.",
        risks_to_others="A fire would reach the flats above; oxygen makes it worse.",
        benefits_of_involvement="Fire risk reduced; someone notices if she falls.",
        risks_of_involvement="She may stop answering the door if pushed too fast.",
        risks_of_non_involvement="Fire or an unseen fall.",
        overall_level=vocab.RiskLevel.HIGH,
        plan_summary="Priya (council) visits every week. The fire service fits smoke alarms and talks about oxygen "
        "safety. Her niece helps clear a path to the back door, a little each visit.",
    )
    first.refresh_from_db()
    first = risk_assessment_agree(
        acting_user=manager,
        version=first,
        expected_version=first.version,
        how=vocab.AgreedHow.MEETING,
        agreed_on=today - datetime.timedelta(days=42),
        note="Planning meeting chaired by Martin Lloyd; council, police and fire attended; her niece joined by phone.",
    )
    adult_copy_give(
        acting_user=lead,
        version=first,
        format=vocab.CopyFormat.EASY_READ,
        given_on=today - datetime.timedelta(days=40),
        given_how=vocab.CopyGivenHow.IN_PERSON,
        note="Read through it with her and her niece.",
    )
    second = risk_assessment_start(acting_user=lead, case=case)
    _write(lead, second, {"home_environment": (2, 3, "A clear path to the back door since last month.")})
    second.refresh_from_db()
    risk_assessment_update(
        acting_user=lead, version=second, expected_version=second.version, overall_level=vocab.RiskLevel.MEDIUM
    )
    second.refresh_from_db()
    risk_assessment_agree(
        acting_user=lead,
        version=second,
        expected_version=second.version,
        how=vocab.AgreedHow.LEAD_PROFESSIONAL,
        agreed_on=today - datetime.timedelta(days=7),
        note="Review by the lead professional after the fire service's second visit.",
    )
    capacity_assessment_record(
        acting_user=lead,
        case=case,
        decision="Whether to accept help to clear the hallway",
        assessed_on=today - datetime.timedelta(days=120),
        practicable_steps="Talked at home in the morning, with her niece there.",
        impairment="no",
        understands="yes",
        understands_evidence="Explained the fire risk in her own words.",
        retains="yes",
        retains_evidence="Remembered the talk at the next visit.",
        uses_or_weighs="yes",
        uses_or_weighs_evidence="Weighed the risk against keeping her things.",
        communicates="yes",
        communicates_evidence="Clear.",
        decisional_capacity=vocab.CapacityFinding.HAS,
        executive_capacity=vocab.ExecutiveFinding.CANNOT,
        executive_evidence="Agreed three times to clear a path and could not start alone.",
        outcome=vocab.CapacityFinding.HAS,
        outcome_reasons="She can make the decision; she needs help to carry it out.",
        review_by=today - datetime.timedelta(days=10),
    )
    lacks = capacity_assessment_record(
        acting_user=lead,
        case=case,
        decision="Whether to manage her oxygen cylinders safely on her own",
        assessed_on=today - datetime.timedelta(days=30),
        practicable_steps="The respiratory nurse showed her twice, with a picture guide.",
        impairment="yes",
        impairment_details="Mild vascular dementia (memory clinic).",
        understands="no",
        understands_evidence="Could not say why cylinders must be kept away from heat.",
        retains="no",
        retains_evidence="Forgot the guidance within the visit.",
        uses_or_weighs="no",
        uses_or_weighs_evidence="Could not weigh the fire risk.",
        communicates="yes",
        communicates_evidence="Clear.",
        decisional_capacity=vocab.CapacityFinding.LACKS,
        executive_capacity=vocab.ExecutiveFinding.NOT_ASSESSED,
        outcome=vocab.CapacityFinding.LACKS,
        outcome_reasons="Cannot understand, retain or weigh the fire risk.",
        review_by=today + datetime.timedelta(days=60),
    )
    best_interests_decide(
        acting_user=lead,
        capacity_assessment=lacks,
        regain_capacity="Not expected to: the dementia is progressing slowly.",
        can_wait="no",
        wishes_and_beliefs="She wants to stay at home and keep her oxygen near her chair.",
        family_and_carers_views="Her niece agrees the carers should check the cylinders.",
        attorney_kind=vocab.AttorneyKind.NONE_KNOWN,
        court_deputy="no",
        not_based_on_appearance=True,
        no_motive_to_bring_about_death=True,
        advocate=vocab.AdvocateInvolvement.NOT_NEEDED,
        less_restrictive_options="Her niece checking weekly; a cylinder stand away from the heater.",
        summary="Carers check the cylinders at each visit and keep them on a stand away from the heater.",
        rationale="Keeps her oxygen by her chair, as she wants, and takes away the worst of the fire risk.",
    )

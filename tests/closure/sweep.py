"""Non-engagement, escalation and closure URLs in the URL sweep (tests/sweep.py)."""

from tests.sweep import person

NAMESPACES = ("closure",)

# Auditors read; they record nothing.
RECORD = person(auditor_a=403)
# Closing a case and the section 42 steps are for managers.
MANAGER_ONLY = person(practitioner_a=403, police_b=403, auditor_a=403)

URLS = {
    "closure:engagement": person(),
    "closure:attempt-new": RECORD,
    "closure:flag": RECORD,
    "closure:flag-lift": RECORD,
    "closure:reflection-new": RECORD,
    # A reflective review is read only by its author (practitioner_a) and their agency's managers and supervisors.
    "closure:reflection": person(police_b=404, auditor_a=404),
    "closure:closure": person(),
    "closure:provider-new": RECORD,
    "closure:check-new": RECORD,
    "closure:close": MANAGER_ONLY,
    "closure:s42": person(),
    "closure:s42-refer": MANAGER_ONLY,
    "closure:s42-outcome": MANAGER_ONLY,
    # MARM work resumes only after the local authority's decision: the swept referral waits for one.
    "closure:s42-resume": person(practitioner_a=403, police_b=403, manager_a=404, auditor_a=403),
}


def objects(shared):
    """A reflective review by practitioner_a, and a section 42 referral waiting for a decision."""
    from marm.closure.services import reflective_review_write, s42_refer
    from marm.closure.vocab import ColludingQuestion
    from tests.factories import UserFactory

    case, practitioner = shared["accepted_case"], shared["practitioner_a"]
    review = reflective_review_write(
        acting_user=practitioner,
        case=case,
        evidence_of_increased_risk="Missed appointments while the risk grows",
        colluding_answers=dict.fromkeys(ColludingQuestion.values, "no"),
        feel_at_risk="no",
    )
    referral = s42_refer(
        acting_user=UserFactory(agency=practitioner.agency, roles=["manager"]),
        case=case,
        risk_of_serious_harm="Fire",
        steps_taken="Visits",
        why_not_enough="Refused",
        lawful_basis="risk_to_others",
        referred_to="Safeguarding hub",
        referred_on=case.raised_at.date(),
        marm_work="continue",
    )
    return {"reflection_id": review.pk, "referral_id": referral.pk}

"""The risk assessment's and mental capacity URLs in the URL sweep (tests/sweep.py)."""

from tests.sweep import person

NAMESPACES = ("risk",)

# Auditors read; they record nothing.
RECORD = person(auditor_a=403)

URLS = {
    "risk:assessment": person(),
    "risk:start": RECORD,
    "risk:version": person(),
    "risk:edit-overview": RECORD,
    "risk:edit-aspect": RECORD,
    # A version is agreed by the lead professional or a manager of the lead agency (none is allocated here).
    "risk:agree": person(practitioner_a=403, police_b=403, auditor_a=403),
    "risk:copies": person(),
    # Printing the adult's copy is for those who give it.
    "risk:copy-pdf": RECORD,
    "risk:capacity": person(),
    "risk:capacity-add": RECORD,
    "risk:capacity-detail": person(),
    "risk:best-interests": RECORD,
    "risk:refusal-add": RECORD,
    "risk:advocacy-add": RECORD,
    "risk:advocacy-update": RECORD,
}


def objects(shared):
    """An agreed risk assessment with a draft after it, a capacity assessment and a copy given."""
    from django.utils import timezone

    from marm.risk.services import adult_copy_give, advocacy_referral_create, risk_assessment_start
    from tests.risk import helpers

    case, practitioner = shared["accepted_case"], shared["practitioner_a"]
    agreed = helpers.agreed_version(case, practitioner, shared["manager_a"])
    risk_assessment_start(acting_user=practitioner, case=case)
    assessment = helpers.assess(practitioner, case, helpers.LACKS)
    copy = adult_copy_give(
        acting_user=practitioner, version=agreed, format="standard", given_on=timezone.localdate(), given_how="post"
    )
    referral = advocacy_referral_create(
        acting_user=practitioner, case=case, kind="imca", requested_on=timezone.localdate(), provider="Advocacy Hub"
    )
    return {
        "number": agreed.number,
        "aspect": "home_environment",
        "assessment_id": assessment.pk,
        "copy_id": copy.pk,
        "referral_id": referral.pk,
    }

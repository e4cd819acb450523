"""Writes on risk assessments, mental capacity and the adult's copies.

Each service is one transaction with its audit rows; decisions go into the
decision log in the same transaction.
"""

from marm.risk.services.advocacy import advocacy_referral_create, advocacy_referral_update
from marm.risk.services.assessment import (
    aspect_update,
    risk_assessment_agree,
    risk_assessment_start,
    risk_assessment_update,
)
from marm.risk.services.capacity import (
    best_interests_decide,
    capacity_assessment_record,
    refusal_record,
)
from marm.risk.services.copies import adult_copy_give, adult_copy_render

__all__ = [
    "adult_copy_give",
    "advocacy_referral_create",
    "advocacy_referral_update",
    "adult_copy_render",
    "aspect_update",
    "best_interests_decide",
    "capacity_assessment_record",
    "refusal_record",
    "risk_assessment_agree",
    "risk_assessment_start",
    "risk_assessment_update",
]

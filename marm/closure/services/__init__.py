"""Writes of the closure app, each one transaction with its audit rows."""

from marm.closure.services.closing import case_close
from marm.closure.services.engagement import (
    agency_check_record,
    engagement_attempt_log,
    non_engagement_flag_lift,
    non_engagement_flag_raise,
    reflective_review_write,
    support_provider_record,
)
from marm.closure.services.escalation import s42_marm_resume, s42_outcome_record, s42_refer

__all__ = [
    "agency_check_record",
    "case_close",
    "engagement_attempt_log",
    "non_engagement_flag_lift",
    "non_engagement_flag_raise",
    "reflective_review_write",
    "s42_marm_resume",
    "s42_outcome_record",
    "s42_refer",
    "support_provider_record",
]

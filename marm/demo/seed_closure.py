"""Demo non-engagement and escalation (002; 000 5.4), written through the closure services."""

import datetime

from django.utils import timezone

from marm.closure import services
from marm.closure.vocab import ColludingQuestion


def seed_non_engagement(*, case, users, agencies) -> None:
    """Three missed appointments, the flag, a reflection, and a check with the police."""
    practitioner = users["practitioner"]
    today = timezone.localdate()
    for weeks_ago, strategy, outcome in [
        (5, "appointment", "did_not_attend"),
        (3, "home_visit", "no_answer"),
        (1, "appointment", "did_not_attend"),
    ]:
        services.engagement_attempt_log(
            acting_user=practitioner,
            case=case,
            strategy=strategy,
            attempted_on=today - datetime.timedelta(weeks=weeks_ago),
            outcome=outcome,
        )
    services.non_engagement_flag_raise(
        acting_user=practitioner, case=case, reason="Two missed appointments and no answer at the door."
    )
    services.reflective_review_write(
        acting_user=practitioner,
        case=case,
        evidence_of_increased_risk="The GP reports weight loss since she stopped opening the door.",
        colluding_answers={**dict.fromkeys(ColludingQuestion.values, "no"), "relieved": "perhaps"},
        feel_at_risk="no",
        concerns=["capacity_but_vulnerable", "gatekeeper"],
        next_steps=["discuss_with_manager", "multi_agency_meeting"],
        next_steps_due_on=today + datetime.timedelta(days=14),
    )
    services.agency_check_record(
        acting_user=practitioner,
        case=case,
        agency=agencies["police"],
        spoke_to="PC on the Vulnerability Hub",
        checked_on=today,
        what_they_said="No call-outs in the last month.",
    )


def seed_escalation(*, case, users) -> None:
    """Escalated to the local authority, which opened an enquiry; MARM continues alongside."""
    manager = users["manager"]
    today = timezone.localdate()
    referral = services.s42_refer(
        acting_user=manager,
        case=case,
        risk_of_serious_harm="A man staying at the flat takes her money on benefit day; she is losing weight.",
        steps_taken="Two MARM meetings, a joint visit with the police, money advice offered.",
        why_not_enough="She is too frightened of him to accept help while he is there.",
        lawful_basis="risk_to_others",
        referred_to="Adult Safeguarding Hub",
        referred_on=today,
        marm_work="continue",
    )
    services.s42_outcome_record(
        acting_user=manager,
        referral=referral,
        outcome="enquiry_opened",
        reason="Suspected financial abuse by a third party.",
        decided_on=today,
        decided_by="Safeguarding hub team manager",
    )

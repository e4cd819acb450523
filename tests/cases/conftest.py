import pytest

from marm.cases.services import case_raise, case_screen
from marm.decisions.models import LegislationReference


@pytest.fixture
def concern(practitioner_a, person_a):
    """A concern raised by adult social care (agency A) about person_a."""
    return case_raise(
        acting_user=practitioner_a,
        person=person_a,
        what_is_happening="Hoarding has blocked the exits; two small fires in a month.",
        risk_categories=["b", "c"],
        abuse_types=["self_neglect"],
        current_care_and_support="Homecare twice a day, often refused.",
        others_at_risk="yes",
        others_at_risk_details="Neighbours in the adjoining flat (fire risk).",
        unable_or_unwilling_to_self_care=True,
        at_risk_tests=["refused"],
        entry_criteria=["harm", "refuses", "not_mitigated", "daily_life", "partners"],
        daily_life_areas=["home", "safety"],
    )


@pytest.fixture
def care_act(db):
    return LegislationReference.objects.get(code="care-act-2014-s42")


@pytest.fixture
def accepted_case(concern, manager_a, care_act):
    case_screen(
        acting_user=manager_a,
        case=concern,
        s42_duty_applies="no",
        better_process="none",
        outcome="accept",
        rationale="Capacity assumed; refusing care; no third-party abuse, so s42 does not apply. MARM fits.",
        legislation=[care_act],
    )
    concern.refresh_from_db()
    return concern

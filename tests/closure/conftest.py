import datetime

import pytest
from django.utils import timezone

from marm.cases.models import CaseAgency
from marm.cases.services import lead_professional_allocate
from marm.closure import services
from marm.sharing.models import QualityTest
from marm.sharing.services import sharing_decide


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def live_case(accepted_case, manager_a, practitioner_a, police_b, agency_b):
    """An accepted case with a lead professional, shared in full with the police (agency B)."""
    lead_professional_allocate(acting_user=manager_a, case=accepted_case, user=practitioner_a, rationale="Knows her")
    sharing_decide(
        acting_user=practitioner_a,
        case=accepted_case,
        agency=agency_b,
        basis="risk_to_others",
        rationale="Fire risk to the neighbours",
        access="full",
        what_is_shared="The case",
        quality_tests=list(QualityTest.values),
        # Shared without the adult's consent: whether they were told is recorded (001 3.3).
        adult_told="no",
        adult_not_told_reason="increases_risk",
    )
    accepted_case.refresh_from_db()
    assert CaseAgency.objects.filter(case=accepted_case, agency=agency_b, ended_at__isnull=True).exists()
    return accepted_case


def _reflect(user, case, **overrides):
    values = {
        "evidence_of_increased_risk": "Three missed appointments while the hoarding has reached the stairs.",
        "colluding_answers": {
            "family_word": "perhaps",
            "minimising": "no",
            "hesitant": "no",
            "keeping_to_myself": "no",
            "relieved": "yes",
            "family_needs": "no",
        },
        "feel_at_risk": "no",
        "concerns": ["gatekeeper", "capacity_but_vulnerable"],
        "next_steps": ["discuss_with_manager", "multi_agency_meeting"],
        "next_steps_due_on": timezone.localdate() + datetime.timedelta(days=14),
        "reflection": "Her son answers every call; I have not spoken to her alone since March.",
    }
    values.update(overrides)
    return services.reflective_review_write(acting_user=user, case=case, **values)


@pytest.fixture
def reflect():
    return _reflect


@pytest.fixture
def close_values(agency_a, today):
    """A complete closure for the concern's two categories of risk (b and c)."""

    def values(**overrides):
        data = {
            "reason": "risks_managed",
            "rationale": "The hoarding is cleared and she accepts the homecare visits.",
            "risk_outcomes": {
                "concern-b": {"outcome": "resolved", "why": "Exits clear since the clean on 3 May."},
                "concern-c": {"outcome": "managed", "why": "Accepts two visits a day; provider reports weekly."},
                # The one risk the agreed risk assessment identifies (agreed_risk_assessment).
                "assessment-home_environment": {"outcome": "managed", "why": "Hallway clear at the last two visits."},
            },
            "ongoing_support": "Homecare twice a day; fire service safe-and-well visit every six months.",
            "support_agreed_by": [agency_a],
            "handover_agency": agency_a,
            "handover_to": "Locality Team North, named worker",
            "information_given": "Leaflet and the duty number; told she can ask for a reassessment at any time.",
        }
        data.update(overrides)
        return data

    return values


@pytest.fixture
def a_week_ago(today):
    return today - datetime.timedelta(days=7)


@pytest.fixture
def agreed_risk_assessment(live_case, practitioner_a, manager_a):
    """An agreed risk assessment, today, that identifies one risk: the home environment."""
    from tests.risk import helpers

    return helpers.agreed_version(
        live_case, practitioner_a, manager_a, likelihood=1, impact=1, overrides={"home_environment": (4, 4)}
    )

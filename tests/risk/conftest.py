import pytest

from marm.cases.services import lead_professional_allocate
from marm.sharing.models import QualityTest
from marm.sharing.services import sharing_decide
from tests.risk import helpers


@pytest.fixture
def shared_case(accepted_case, practitioner_a, agency_b):
    """The accepted case, shared in full with the police (agency B)."""
    sharing_decide(
        acting_user=practitioner_a,
        case=accepted_case,
        agency=agency_b,
        basis="crime",
        rationale="Fire-setting risk to neighbours; police attend call-outs.",
        access="full",
        what_is_shared="The case",
        quality_tests=list(QualityTest.values),
        # Shared without the adult's consent: whether they were told is recorded (001 3.3).
        adult_told="no",
        adult_not_told_reason="crime",
    )
    return accepted_case


@pytest.fixture
def led_case(shared_case, manager_a, practitioner_a):
    """practitioner_a is the lead professional."""
    lead_professional_allocate(acting_user=manager_a, case=shared_case, user=practitioner_a, rationale="Knows her")
    return shared_case


@pytest.fixture
def draft(led_case, practitioner_a):
    from marm.risk.services import risk_assessment_start

    return risk_assessment_start(acting_user=practitioner_a, case=led_case)


@pytest.fixture
def agreed(led_case, practitioner_a):
    return helpers.agreed_version(led_case, practitioner_a, practitioner_a)

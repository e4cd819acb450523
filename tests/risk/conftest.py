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


@pytest.fixture(autouse=True)
def legislation_list(db):
    """marm's list of legislation and guidance, as its data migration leaves it.

    A browser test that runs before these empties every table when it ends,
    and the cases and best-interests decisions here cite the list.
    """
    import importlib

    from marm.decisions.models import LegislationReference

    migration = importlib.import_module("marm.decisions.migrations.0002_legislation_and_append_only")
    for order, (code, title, summary) in enumerate(migration.REFERENCES, start=1):
        LegislationReference.objects.get_or_create(
            code=code, defaults={"title": title, "summary": summary, "sort_order": order}
        )

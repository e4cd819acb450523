import pytest

from marm.organisations.models import Role
from tests.factories import TeamFactory, UserFactory


@pytest.fixture
def second_administrator(agency_a):
    return UserFactory(email="admin2@a.example.org", agency=agency_a, roles=[Role.ADMINISTRATOR])


@pytest.fixture
def manager_b(agency_b):
    return UserFactory(email="manager@b.example.org", agency=agency_b, roles=[Role.MANAGER])


@pytest.fixture
def team_a(practitioner_a):
    """The team practitioner_a, manager_a and the administrator belong to."""
    return practitioner_a.memberships.get().team


@pytest.fixture
def newcomer(agency_a, team_a):
    """A new colleague in agency A with no role yet."""
    return UserFactory(email="newcomer@a.example.org", agency=agency_a, roles=[])


@pytest.fixture
def team_b(agency_b):
    return TeamFactory(agency=agency_b, name="Safeguarding hub")

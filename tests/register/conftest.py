"""The register's fixtures. Agency A (adult social care) keeps a register in its
one team; practitioner_a is the named professional; supervisor_a supervises."""

import pytest

from marm.organisations.models import Team
from marm.register.duty import duty_contact_log
from marm.register.services import register_entry_add, register_process_add


@pytest.fixture
def team_a(practitioner_a):
    return Team.objects.get(memberships__user=practitioner_a)


@pytest.fixture
def entry_a(manager_a, supervisor_a, team_a, person_a, practitioner_a):
    """person_a on agency A's register, practitioner_a named, two missed visits in seven days trigger a review."""
    return register_entry_add(
        acting_user=manager_a,
        team=team_a,
        person=person_a,
        criteria=["b", "c"],
        named_professional=practitioner_a,
        reason="Hoarding blocks the exits; refuses homecare most days.",
        missed_visits_threshold=2,
        missed_visits_window_days=7,
    )


@pytest.fixture
def process_a(entry_a, practitioner_a):
    import datetime

    return register_process_add(
        acting_user=practitioner_a, entry=entry_a, kind="marac", started_on=datetime.date(2025, 2, 3), detail="MARAC 14"
    )


@pytest.fixture
def contact_a(entry_a, duty_a, person_a):
    return duty_contact_log(
        acting_user=duty_a,
        person=person_a,
        caller="Neighbour, Mrs Patel",
        about="Smoke smell from the flat since this morning; no answer at the door.",
    )


@pytest.fixture
def alert_a(contact_a):
    return contact_a.alerts.get()

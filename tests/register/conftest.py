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


def register_sweep_objects(*, person_a, practitioner_a):
    """The register's URL arguments for tests/test_url_sweep.py: person_a on agency A's
    register, with a process and a contact alert to practitioner_a."""
    import datetime

    from marm.organisations.models import Role
    from tests.factories import UserFactory

    team = Team.objects.get(memberships__user=practitioner_a)
    manager = UserFactory(agency=practitioner_a.agency, roles=[Role.MANAGER])
    duty = UserFactory(agency=practitioner_a.agency, roles=[Role.DUTY_OFFICER])
    entry = register_entry_add(
        acting_user=manager,
        team=team,
        person=person_a,
        criteria=["b"],
        named_professional=practitioner_a,
        reason="Self-neglect and fire risk",
    )
    process = register_process_add(
        acting_user=practitioner_a, entry=entry, kind="s42", started_on=datetime.date(2025, 1, 6)
    )
    contact = duty_contact_log(acting_user=duty, person=person_a, caller="Neighbour", about="Smoke smell")
    return {
        "<int:team_id>": team.pk,
        "<uuid:entry_pk>": entry.pk,
        "<int:process_id>": process.pk,
        "<uuid:alert_pk>": contact.alerts.get().pk,
    }

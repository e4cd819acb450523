"""The outage snapshot's fixtures: agency A's team keeps a register with person_a on it (their case has a
contingency plan), another person on it and one removed; the GP practice (agency C) keeps its own."""

import datetime

import pytest
from django.utils import timezone

from marm.organisations.models import Role, Team
from marm.people.models import Address
from marm.plans.models import ContingencyPlan, ContingencyTrigger
from marm.register.models import RegisterEntry
from marm.register.services import register_entry_add
from tests.factories import PersonFactory, UserFactory


@pytest.fixture
def team_a(practitioner_a):
    return Team.objects.get(memberships__user=practitioner_a)


@pytest.fixture
def register_a(team_a, manager_a, duty_a, practitioner_a, person_a, accepted_case):
    """Agency A's register: person_a (with a current and an old address, and a contingency plan in two
    versions), Arthur Pendle, and Edith Removed (taken off)."""
    practitioner_a.phone = "01632 960 555"
    practitioner_a.save(update_fields=["phone"])
    Address.objects.create(
        person=person_a, line_1="14 Canal Street", town="Shiretown", postcode="ST1 4AB", created_by=practitioner_a
    )
    Address.objects.create(
        person=person_a,
        line_1="2 Old Mill Lane",
        town="Shiretown",
        lived_until=datetime.date(2020, 1, 1),
        created_by=practitioner_a,
    )
    for number, what in ((1, "An older plan"), (2, "Joint visit by housing and social care within 48 hours")):
        plan = ContingencyPlan.objects.create(case=accepted_case, number=number, created_by=practitioner_a)
        ContingencyTrigger.objects.create(
            plan=plan,
            position=1,
            kind="fire_safety",
            threshold="Any smoke or fire reported",
            what_to_do=what,
            who_to_contact="Fire service safeguarding officer, 01632 960 999",
            escalation_route="emergency_services",
        )
    first = register_entry_add(
        acting_user=manager_a,
        team=team_a,
        person=person_a,
        criteria=["b"],
        named_professional=practitioner_a,
        reason="Hoarding blocks the exits",
        case=accepted_case,
    )
    arthur = PersonFactory(created_by=practitioner_a, given_name="Arthur", family_name="Pendle")
    second = register_entry_add(
        acting_user=manager_a,
        team=team_a,
        person=arthur,
        criteria=["c"],
        named_professional=practitioner_a,
        reason="Refuses all care",
    )
    edith = PersonFactory(created_by=practitioner_a, given_name="Edith", family_name="Removed")
    removed = register_entry_add(
        acting_user=manager_a,
        team=team_a,
        person=edith,
        criteria=["c"],
        named_professional=practitioner_a,
        reason="Was at risk",
    )
    RegisterEntry.objects.filter(pk=removed.pk).update(
        removed_at=timezone.now(), removed_by=manager_a, removal_reason="Risk reduced"
    )
    return [first, second]


@pytest.fixture
def register_c(gp_c, person_c):
    """The GP practice's own register, with person_c on it."""
    manager_c = UserFactory(agency=gp_c.agency, roles=[Role.MANAGER])
    team_c = Team.objects.get(memberships__user=gp_c)
    return register_entry_add(
        acting_user=manager_c,
        team=team_c,
        person=person_c,
        criteria=["b"],
        named_professional=gp_c,
        reason="Frailty and falls",
    )

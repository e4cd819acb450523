"""Fixtures for "Your work": agency A leads a case in planning, shared in full with the police
(agency B), and a second accepted case shared with the police by name only; the GP practice
(agency C) leads a case of its own that no one else takes part in. Agency A keeps a register."""

import datetime

import pytest
from django.utils import timezone

from marm.cases.services import case_raise, case_screen
from marm.meetings.services import invitation_add, meeting_schedule
from marm.organisations.models import Role, Team
from marm.plans.models import Action
from marm.plans.services import action_create
from marm.register.models import ContactAlert, DutyContact, RegisterEntry
from tests.factories import PersonFactory, UserFactory
from tests.meetings.conftest import at, planning_case, share  # noqa: F401
from tests.register.conftest import alert_a, contact_a, entry_a, team_a  # noqa: F401


def raise_case(*, by, person=None, what="Self-neglect: the flat is cold and unsafe."):
    return case_raise(acting_user=by, person=person or PersonFactory(created_by=by), what_is_happening=what)


def accept(case, *, manager):
    case_screen(
        acting_user=manager,
        case=case,
        s42_duty_applies="no",
        better_process="none",
        outcome="accept",
        rationale="Fits MARM",
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def limited_case(practitioner_a, manager_a, agency_b):
    """An accepted case of agency A shared with the police by name only."""
    person = PersonFactory(created_by=practitioner_a, given_name="Winifred", family_name="Ashdown")
    case = accept(raise_case(by=practitioner_a, person=person), manager=manager_a)
    share(by=manager_a, case=case, agency=agency_b, access="limited")
    return case


@pytest.fixture
def manager_c(agency_c):
    return UserFactory(email="manager@c.example.org", agency=agency_c, roles=[Role.MANAGER])


@pytest.fixture
def case_c(gp_c, person_c):
    """A concern the GP practice raised, led by agency C alone."""
    return raise_case(by=gp_c, person=person_c, what="Not collecting medication.")


@pytest.fixture
def meeting_b(planning_case, practitioner_a, manager_a, agency_b, police_b):  # noqa: F811
    """A review meeting next week, the police officer invited by name."""
    meeting = meeting_schedule(
        acting_user=practitioner_a,
        case=planning_case,
        kind="planning",
        starts_at=at(7),
        ends_at=at(7, 11),
        chair=manager_a,
        place="Civic Centre, Room 4",
    )
    invitation_add(acting_user=practitioner_a, meeting=meeting, agency=agency_b, user=police_b)
    return meeting


@pytest.fixture
def action_b(planning_case, practitioner_a, police_b, agency_b):  # noqa: F811
    return action_create(
        acting_user=practitioner_a,
        case=planning_case,
        what="Police welfare check on Friday",
        lead_user=police_b,
        agency=agency_b,
        due_date=timezone.localdate(),
    )


def make_overdue(action, days=3):
    Action.objects.filter(pk=action.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=days))


def added_days_ago(entry, days):
    RegisterEntry.objects.filter(pk=entry.pk).update(added_at=timezone.now() - datetime.timedelta(days=days))


@pytest.fixture
def register_c(gp_c, manager_c, person_c):
    """Agency C's register, with person_c on it long enough to be due a review, and an alert."""
    team = Team.objects.get(memberships__user=gp_c)
    entry = RegisterEntry.objects.create(
        team=team,
        person=person_c,
        criteria=["b"],
        named_professional=gp_c,
        reason="Frail and alone",
        added_by=manager_c,
        added_at=timezone.now() - datetime.timedelta(days=20),
    )
    contact = DutyContact.objects.create(
        person=person_c, agency=gp_c.agency, caller="Neighbour", about="Fell", logged_by=gp_c, logged_at=timezone.now()
    )
    ContactAlert.objects.create(contact=contact, entry=entry, recipient=gp_c, created_at=timezone.now())
    return entry

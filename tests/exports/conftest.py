"""The exports' fixtures: person_a's case shared in full with the police (agency B), an action on it
led by practitioner_a, person_a on agency A's register, and a meeting practitioner_a is invited to.
The GP practice (agency C) keeps its own person, person_c, with a case of its own."""

import datetime

import pytest
from django.utils import timezone

from marm.cases.services import case_raise
from marm.plans.services import action_create
from tests.meetings.conftest import at, planning_case, planning_meeting  # noqa: F401
from tests.register.conftest import entry_a, team_a  # noqa: F401


@pytest.fixture
def action_a(planning_case, practitioner_a, agency_a):  # noqa: F811
    return action_create(
        acting_user=practitioner_a,
        case=planning_case,
        what='=HYPERLINK("http://evil.example","Clear the hallway")',
        lead_user=practitioner_a,
        agency=agency_a,
        due_date=timezone.localdate() + datetime.timedelta(days=14),
    )


@pytest.fixture
def case_c(gp_c, person_c):
    """A concern the GP practice raised about its own patient: no other agency takes part."""
    return case_raise(
        acting_user=gp_c,
        person=person_c,
        what_is_happening="Missed every appointment since March.",
        risk_categories=["b"],
        abuse_types=["self_neglect"],
        current_care_and_support="None.",
        others_at_risk="no",
        unable_or_unwilling_to_self_care=True,
        at_risk_tests=["refused"],
        entry_criteria=["harm", "refuses", "not_mitigated", "daily_life", "partners"],
        daily_life_areas=["home"],
    )


@pytest.fixture
def future_meeting(planning_case, practitioner_a, manager_a):  # noqa: F811
    """A planning meeting in three days, chaired by manager_a, practitioner_a invited."""
    from marm.meetings.services import invitation_add, meeting_schedule

    meeting = meeting_schedule(
        acting_user=practitioner_a,
        case=planning_case,
        kind="planning",
        starts_at=at(3, 10),
        ends_at=at(3, 11),
        chair=manager_a,
        place="14 Mill Lane (Margaret's home)",
        agenda="Fire risk",
    )
    invitation_add(acting_user=practitioner_a, meeting=meeting, agency=practitioner_a.agency, user=practitioner_a)
    return meeting

import datetime

import pytest
from django.utils import timezone

from marm.cases.models import CaseTransition
from marm.cases.services import case_raise, case_screen, case_transition, lead_professional_allocate
from marm.chronology.services import chronology_entry_add
from marm.sharing.models import QualityTest
from marm.sharing.services import sharing_decide


@pytest.fixture
def now():
    return timezone.now()


def years_ago(now, years, days=0):
    return now.replace(year=now.year - years) - datetime.timedelta(days=days)


def backdate(case, to_status, when):
    """The latest move of ``case`` to ``to_status`` happened at ``when``."""
    move = CaseTransition.objects.filter(case=case, to_status=to_status).order_by("-created_at", "-pk").first()
    CaseTransition.objects.filter(pk=move.pk).update(created_at=when)


@pytest.fixture
def closed_case(accepted_case, manager_a, practitioner_a, agency_b):
    """person_a's case: accepted, a lead professional, shared in full with the police, a chronology
    entry under it; then closed."""
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
        adult_told="no",
        adult_not_told_reason="increases_risk",
    )
    chronology_entry_add(
        acting_user=practitioner_a,
        person=accepted_case.person,
        case=accepted_case,
        occurred_on=datetime.date(2020, 3, 12),
        occurred_at_time=datetime.time(10, 30),
        entry_type="home_visit",
        summary="Home visit: the hallway is clear.",
        significance="routine",
    )
    case_transition(acting_user=manager_a, case=accepted_case, to_status="closed", reason="Risks managed")
    accepted_case.refresh_from_db()
    return accepted_case


@pytest.fixture
def screened_out(person_c, gp_c, care_act):
    """A concern about person_c, screened out with no further action by a GP practice manager."""
    from marm.organisations.models import Role
    from tests.factories import UserFactory

    case = case_raise(
        acting_user=gp_c,
        person=person_c,
        what_is_happening="Missed three appointments.",
        risk_categories=["b"],
        abuse_types=["self_neglect"],
        others_at_risk="no",
        unable_or_unwilling_to_self_care=True,
        at_risk_tests=["refused"],
        entry_criteria=["harm"],
        daily_life_areas=["home"],
    )
    case_screen(
        acting_user=UserFactory(agency=gp_c.agency, roles=[Role.MANAGER]),
        case=case,
        s42_duty_applies="no",
        better_process="none",
        outcome="nfa",
        rationale="Seen by the GP since; no risk found.",
        legislation=[care_act],
    )
    case.refresh_from_db()
    return case

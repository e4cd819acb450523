"""Personas, not superusers (see the style guide).

- practitioner_a: adult social care (agency A), created the person ``person_a``
- manager_a, duty_a, supervisor_a, auditor_a: other roles in agency A
- police_b: police (agency B), involved with ``person_a`` through sharing
- gp_c: GP practice (agency C), not involved with anyone
- board_officer, administrator: roles that do not see adults
- outsider: a voluntary-sector worker with no involvement anywhere
"""

import pytest
from django.test import Client

from marm.cases.services import case_raise, case_screen
from marm.decisions.models import LegislationReference
from marm.organisations.models import AgencyKind, Role
from marm.people.models import AgencyInvolvement, InvolvementBasis
from tests.factories import AgencyFactory, PersonFactory, UserFactory
from tests.twofactor import force_sign_in


@pytest.fixture
def agency_a(db):
    return AgencyFactory(name="Shire Adult Social Care", kind=AgencyKind.ADULT_SOCIAL_CARE)


@pytest.fixture
def agency_b(db):
    return AgencyFactory(name="Shire Police", kind=AgencyKind.POLICE)


@pytest.fixture
def agency_c(db):
    return AgencyFactory(name="Riverside Practice", kind=AgencyKind.GP_PRACTICE, ods_code="Z99001")


@pytest.fixture
def agency_outside(db):
    return AgencyFactory(name="Community Support", kind=AgencyKind.VOLUNTARY_SECTOR)


@pytest.fixture
def practitioner_a(agency_a):
    return UserFactory(email="practitioner@a.example.org", agency=agency_a, roles=[Role.PRACTITIONER])


@pytest.fixture
def manager_a(agency_a):
    return UserFactory(email="manager@a.example.org", agency=agency_a, roles=[Role.MANAGER])


@pytest.fixture
def duty_a(agency_a):
    return UserFactory(email="duty@a.example.org", agency=agency_a, roles=[Role.DUTY_OFFICER])


@pytest.fixture
def supervisor_a(agency_a):
    return UserFactory(email="supervisor@a.example.org", agency=agency_a, roles=[Role.SUPERVISOR])


@pytest.fixture
def auditor_a(agency_a):
    return UserFactory(email="auditor@a.example.org", agency=agency_a, roles=[Role.AUDITOR])


@pytest.fixture
def administrator(agency_a):
    return UserFactory(email="admin@a.example.org", agency=agency_a, roles=[Role.ADMINISTRATOR], is_staff=True)


@pytest.fixture
def board_officer(agency_a):
    return UserFactory(email="board@a.example.org", agency=agency_a, roles=[Role.BOARD_OFFICER])


@pytest.fixture
def police_b(agency_b):
    return UserFactory(email="police@b.example.org", agency=agency_b, roles=[Role.PRACTITIONER])


@pytest.fixture
def gp_c(agency_c):
    return UserFactory(email="gp@c.example.org", agency=agency_c, roles=[Role.PRACTITIONER])


@pytest.fixture
def outsider(agency_outside):
    return UserFactory(email="outsider@example.org", agency=agency_outside, roles=[Role.PRACTITIONER])


@pytest.fixture
def person_a(practitioner_a, agency_b):
    """Created by agency A; agency B (police) is involved through a sharing decision."""
    person = PersonFactory(created_by=practitioner_a, given_name="Margaret", family_name="Thornbury")
    AgencyInvolvement.objects.create(
        person=person, agency=agency_b, basis=InvolvementBasis.SHARING_DECISION, started_by=practitioner_a
    )
    return person


@pytest.fixture
def person_c(gp_c):
    """Known only to the GP practice (agency C)."""
    return PersonFactory(created_by=gp_c, given_name="Desmond", family_name="Okoro")


def _client_for(user):
    return force_sign_in(Client(), user)


@pytest.fixture
def client_for():
    return _client_for


@pytest.fixture
def practitioner_a_client(practitioner_a):
    return _client_for(practitioner_a)


@pytest.fixture
def police_b_client(police_b):
    return _client_for(police_b)


@pytest.fixture
def gp_c_client(gp_c):
    return _client_for(gp_c)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture
def concern(practitioner_a, person_a):
    """A concern raised by adult social care (agency A) about person_a."""
    return case_raise(
        acting_user=practitioner_a,
        person=person_a,
        what_is_happening="Hoarding has blocked the exits; two small fires in a month.",
        risk_categories=["b", "c"],
        abuse_types=["self_neglect"],
        current_care_and_support="Homecare twice a day, often refused.",
        others_at_risk="yes",
        others_at_risk_details="Neighbours in the adjoining flat (fire risk).",
        unable_or_unwilling_to_self_care=True,
        at_risk_tests=["refused"],
        entry_criteria=["harm", "refuses", "not_mitigated", "daily_life", "partners"],
        daily_life_areas=["home", "safety"],
    )


@pytest.fixture
def care_act(db):
    if not LegislationReference.objects.exists():
        _put_back_legislation()
    return LegislationReference.objects.get(code="care-act-2014-s42")


def _put_back_legislation():
    """A live-server test empties every table when it ends, the data migration's list included."""
    import importlib

    migration = importlib.import_module("marm.decisions.migrations.0002_legislation_and_append_only")
    for order, (code, title, summary) in enumerate(migration.REFERENCES, start=1):
        LegislationReference.objects.create(code=code, title=title, summary=summary, sort_order=order)


@pytest.fixture
def accepted_case(concern, manager_a, care_act):
    case_screen(
        acting_user=manager_a,
        case=concern,
        s42_duty_applies="no",
        better_process="none",
        outcome="accept",
        rationale="Capacity assumed; refusing care; no third-party abuse, so s42 does not apply. MARM fits.",
        legislation=[care_act],
    )
    concern.refresh_from_db()
    return concern


@pytest.fixture
def chronology_entry_a(practitioner_a, person_a):
    """A chronology entry about person_a, written by adult social care (agency A)."""
    import datetime

    from marm.chronology.services import chronology_entry_add

    return chronology_entry_add(
        acting_user=practitioner_a,
        person=person_a,
        occurred_on=datetime.date(2025, 3, 12),
        occurred_at_time=datetime.time(10, 30),
        entry_type="home_visit",
        summary="Home visit: the hallway is blocked; Margaret declined help with clearing it.",
        significance="significant",
    )


@pytest.fixture
def sweep_urls(person_a, accepted_case, practitioner_a, agency_b, chronology_entry_a, manager_a):
    """Each URL as (name, url, SweepUrl): person_a with an accepted case, shared in full with
    the police (agency B), and each app's records about them (tests/sweep_collect.py)."""
    from tests.sweep_collect import build_sweep

    return build_sweep(
        person_a=person_a,
        accepted_case=accepted_case,
        practitioner_a=practitioner_a,
        agency_b=agency_b,
        chronology_entry_a=chronology_entry_a,
        manager_a=manager_a,
    )


@pytest.fixture(autouse=True)
def _audit_checkpoint_file(settings, tmp_path_factory, request):
    """Each test its own audit checkpoint file (ADR 0024), never the one beside a local database."""
    import hashlib

    folder = tmp_path_factory.getbasetemp() / "audit-checkpoints"
    folder.mkdir(exist_ok=True)
    name = hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:24]
    settings.AUDIT_CHECKPOINT_FILE = folder / f"{name}.jsonl"

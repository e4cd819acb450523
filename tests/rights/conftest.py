import datetime

import pytest
from django.utils import timezone

from marm.chronology.services import chronology_entry_add
from marm.people.services import related_person_add
from marm.rights import services


def register(auditor, person, *, received_on=None, **changes):
    arguments = {
        "received_on": received_on or timezone.localdate() - datetime.timedelta(days=3),
        "requester": "subject",
        "requester_name": person.full_name,
        "requester_contact": "By post to the address on the record",
        "what_is_asked": "Everything you hold about me",
    }
    return services.subject_access_register(acting_user=auditor, person=person, **{**arguments, **changes})


def check_identity(auditor, sar):
    return services.subject_access_check_identity(
        acting_user=auditor, subject_access=sar, checked_on=sar.received_on, method="documents", details="Passport seen"
    )


@pytest.fixture
def records_about_person_a(practitioner_a, police_b, person_a):
    """Person A's record: a daughter named as a contact, and chronology entries by two agencies."""
    related = related_person_add(
        acting_user=practitioner_a,
        person=person_a,
        name="Beatrice Fairweather",
        relationship="family",
        relationship_detail="daughter",
        phone="07700 900123",
    )
    chronology_entry_add(
        acting_user=practitioner_a,
        person=person_a,
        occurred_on=datetime.date(2025, 3, 12),
        occurred_at_time=datetime.time(10, 30),
        entry_type="home_visit",
        summary="Home visit: the hallway is blocked; Margaret declined help with clearing it.",
        significance="significant",
    )
    chronology_entry_add(
        acting_user=police_b,
        person=person_a,
        occurred_on=datetime.date(2025, 4, 2),
        entry_type="police_call_out",
        summary="Called by a neighbour about smoke; no fire found.",
        significance="routine",
    )
    return related


@pytest.fixture
def sar_a(auditor_a, person_a):
    return register(auditor_a, person_a)


@pytest.fixture
def gathered_sar(auditor_a, sar_a, records_about_person_a):
    sar = check_identity(auditor_a, sar_a)
    services.subject_access_gather(acting_user=auditor_a, subject_access=sar)
    sar.refresh_from_db()
    return sar

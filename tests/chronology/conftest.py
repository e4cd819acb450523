import datetime

import pytest

from marm.chronology.services import chronology_entry_add


def _add(user, person, **overrides):
    values = {
        "occurred_on": datetime.date(2025, 3, 1),
        "entry_type": "contact",
        "summary": "Telephone contact with Margaret.",
        "significance": "routine",
    }
    values.update(overrides)
    return chronology_entry_add(acting_user=user, person=person, **values)


@pytest.fixture
def add_entry():
    """Add an entry through the service, with sensible defaults."""
    return _add


@pytest.fixture
def police_entry(police_b, person_a):
    return _add(
        police_b,
        person_a,
        occurred_on=datetime.date(2025, 4, 2),
        occurred_at_time=datetime.time(23, 15),
        entry_type="police_call_out",
        summary="Called by a neighbour about smoke from the flat; no fire found.",
        significance="critical",
    )

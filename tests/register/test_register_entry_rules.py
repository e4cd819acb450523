"""register_entry_add holds the bounds of the missed-visits trigger itself: a caller that skips the
form (an API, a command) is refused as the form's user is, and a refusal writes nothing."""

import pytest
from django.core.exceptions import ValidationError

from marm.audit.models import AuditEvent
from marm.decisions.models import Decision
from marm.register.models import RegisterEntry
from marm.register.services import register_entry_add

pytestmark = pytest.mark.django_db


def _add(*, manager_a, team_a, person_a, practitioner_a, **trigger):
    return register_entry_add(
        acting_user=manager_a,
        team=team_a,
        person=person_a,
        criteria=["b"],
        named_professional=practitioner_a,
        reason="Hoarding blocks the exits.",
        **trigger,
    )


def _counts():
    return (RegisterEntry.objects.count(), Decision.objects.count(), AuditEvent.objects.count())


@pytest.mark.parametrize(
    ("trigger", "field", "message"),
    [
        ({"missed_visits_threshold": 0}, "missed_visits_threshold", "Enter a number of missed visits from 1 to 50"),
        ({"missed_visits_threshold": 51}, "missed_visits_threshold", "Enter a number of missed visits from 1 to 50"),
        ({"missed_visits_window_days": 0}, "missed_visits_window_days", "Enter a number of days from 1 to 90"),
        ({"missed_visits_window_days": 91}, "missed_visits_window_days", "Enter a number of days from 1 to 90"),
        ({"missed_visits_window_days": None}, "missed_visits_window_days", "Enter the number of days, for example 7"),
    ],
)
def test_the_missed_visits_trigger_is_bounded_in_the_service(
    manager_a, team_a, person_a, practitioner_a, trigger, field, message
):
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        _add(manager_a=manager_a, team_a=team_a, person_a=person_a, practitioner_a=practitioner_a, **trigger)
    assert refused.value.message_dict == {field: [message]}
    assert _counts() == before


def test_the_bounds_themselves_are_allowed(manager_a, team_a, person_a, practitioner_a):
    entry = _add(
        manager_a=manager_a,
        team_a=team_a,
        person_a=person_a,
        practitioner_a=practitioner_a,
        missed_visits_threshold=50,
        missed_visits_window_days=90,
    )
    assert (entry.missed_visits_threshold, entry.missed_visits_window_days) == (50, 90)


def test_the_form_shows_the_service_refusal_on_the_field(client_for, manager_a, team_a, person_a, practitioner_a):
    from django.urls import reverse

    response = client_for(manager_a).post(
        reverse("register:add", kwargs={"pk": person_a.pk}),
        {
            "team": team_a.pk,
            "criteria": ["b"],
            "named_professional": practitioner_a.pk,
            "reason": "Hoarding blocks the exits.",
            "missed_visits_threshold": "0",
            "missed_visits_window_days": "7",
        },
    )
    assert response.status_code == 200
    assert "Enter a number of missed visits from 1 to 50" in response.content.decode()
    assert not RegisterEntry.objects.exists()

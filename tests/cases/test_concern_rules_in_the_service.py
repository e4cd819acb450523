"""case_raise holds the concern's rules itself: a caller that skips the form (an API, a command)
is refused as the form is, and a refusal writes nothing."""

import pytest
from django.core.exceptions import ValidationError

from marm.audit.models import AuditEvent
from marm.cases.models import Case, CaseAgency, CaseTransition
from marm.cases.services import case_raise

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Case.objects.count(),
        CaseTransition.objects.count(),
        CaseAgency.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("areas", [(), [], None])
def test_the_daily_life_criterion_needs_the_areas_it_names(practitioner_a, person_a, areas):
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        case_raise(
            acting_user=practitioner_a,
            person=person_a,
            what_is_happening="Hoarding has blocked the exits.",
            entry_criteria=["harm", "daily_life"],
            daily_life_areas=areas,
        )
    assert refused.value.message_dict == {
        "daily_life_areas": ["Select the areas of daily life, or untick that criterion"]
    }
    assert _counts() == before


def test_every_gap_in_the_concern_is_named_at_once(practitioner_a, person_a):
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        case_raise(
            acting_user=practitioner_a,
            person=person_a,
            what_is_happening="Hoarding has blocked the exits.",
            others_at_risk="yes",
            entry_criteria=["daily_life"],
        )
    assert set(refused.value.message_dict) == {"others_at_risk_details", "daily_life_areas"}
    assert _counts() == before


def test_the_areas_of_daily_life_are_not_needed_without_that_criterion(practitioner_a, person_a):
    case = case_raise(
        acting_user=practitioner_a,
        person=person_a,
        what_is_happening="Hoarding has blocked the exits.",
        entry_criteria=["harm"],
    )
    assert case.daily_life_areas == []

"""The possible duplicates report: Splink finds likely pairs; an administrator links or dismisses them
seeing how the details agree, never the details."""

import datetime
import random

import pytest
from django.urls import reverse
from faker import Faker

from marm.audit.models import AuditAction, AuditEvent
from marm.audit.services import SystemActor
from marm.linkage.models import DuplicatesDismissal, DuplicateSuggestion, LinkSource, PersonLink
from marm.linkage.services import duplicates_find
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def population(practitioner_a, gp_c):
    """200 people, and for 12 of them a second record by another agency with a slip in the name."""
    fake = Faker("en_GB")
    fake.seed_instance(14)
    rng = random.Random(14)
    people = []
    for _ in range(200):
        people.append(
            PersonFactory(
                created_by=practitioner_a,
                given_name=fake.first_name(),
                family_name=fake.last_name(),
                date_of_birth=fake.date_of_birth(minimum_age=18, maximum_age=95),
            )
        )
    twins = []
    for original in rng.sample(people, 12):
        family = original.family_name
        at = rng.randrange(len(family))
        typo = family[:at] + family[at + 1 :] if len(family) > 4 else family + "e"
        twins.append(
            (
                original,
                PersonFactory(
                    created_by=gp_c,
                    given_name=original.given_name,
                    family_name=typo,
                    date_of_birth=original.date_of_birth,
                    nhs_number="",
                ),
            )
        )
    return twins


def test_record_linkage_finds_the_second_records(population):
    count = duplicates_find(actor=SystemActor("test"))
    found = {frozenset((s.person_a_id, s.person_b_id)) for s in DuplicateSuggestion.objects.all()}
    expected = {frozenset((a.pk, b.pk)) for a, b in population}
    assert len(expected & found) >= 11  # recall
    assert len(found - expected) <= 2  # precision
    assert count == len(found)
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, system_actor="test")
    assert event.detail["suggestions"] == count


@pytest.fixture
def suggestion(population):
    a, b = sorted(population[0], key=lambda p: str(p.pk))
    return DuplicateSuggestion.objects.create(
        person_a=a,
        person_b=b,
        match_probability=0.997,
        match_weight=8.4,
        agreement={"First name": "Agrees", "Last name": "Differs", "Date of birth": "Agrees"},
        found_at=datetime.datetime(2026, 11, 23, tzinfo=datetime.UTC),
    )


def test_the_administrator_sees_agreement_and_agencies_but_no_details(client_for, administrator, suggestion):
    page = client_for(administrator).get(reverse("linkage:duplicates-report")).content.decode()
    # The page below the header (which names the signed-in administrator, who may share a first name).
    page = page[page.index("<main") :]
    assert f"Suggestion {suggestion.pk}" in page
    assert "99.7%" in page
    assert "Last name: differs" in page
    assert "Shire Adult Social Care" in page and "Riverside Practice" in page
    for person in (suggestion.person_a, suggestion.person_b):
        assert person.given_name not in page
        assert person.family_name not in page
        assert str(person.date_of_birth.year) not in page
    decide = client_for(administrator).get(reverse("linkage:duplicate-decide", kwargs={"suggestion_pk": suggestion.pk}))
    assert suggestion.person_a.family_name not in decide.content.decode()


def test_linking_from_the_report_is_recorded_and_the_suggestion_leaves_the_report(
    client_for, administrator, suggestion
):
    client = client_for(administrator)
    url = reverse("linkage:duplicate-decide", kwargs={"suggestion_pk": suggestion.pk})
    response = client.post(url, {"same_person": "yes", "reason": "Same date of birth, surname one letter out"})
    assert response.status_code == 302
    link = PersonLink.objects.get()
    assert link.source == LinkSource.DUPLICATES_REPORT and link.linked_by == administrator
    assert link.match_probability == pytest.approx(0.997)
    assert url not in client.get(reverse("linkage:duplicates-report")).content.decode()
    assert client.get(url).status_code == 404


def test_dismissing_keeps_both_records_apart_for_good(client_for, administrator, suggestion):
    client = client_for(administrator)
    url = reverse("linkage:duplicate-decide", kwargs={"suggestion_pk": suggestion.pk})
    assert "Select whether these records are the same person" in client.post(url, {}).content.decode()
    client.post(url, {"same_person": "no", "reason": "Different NHS numbers on the agencies' systems"})
    assert DuplicatesDismissal.objects.get().dismissed_by == administrator
    assert not PersonLink.objects.exists()
    assert url not in client.get(reverse("linkage:duplicates-report")).content.decode()


@pytest.mark.parametrize("persona", ["practitioner_a", "manager_a", "gp_c", "board_officer", "outsider"])
def test_only_administrators_see_the_report(request, client_for, persona, suggestion):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("linkage:duplicates-report")).status_code == 403
    url = reverse("linkage:duplicate-decide", kwargs={"suggestion_pk": suggestion.pk})
    assert client.post(url, {"same_person": "yes", "reason": "x"}).status_code == 403
    assert not PersonLink.objects.exists()

"""The tolerant search at the duty desk's speed: what it offers, and that looking first where
it is cheap never hides the person described (ADR 0013)."""

import datetime

import pytest
from django.db.models import Value

from marm.people.models import Person
from marm.people.search import search_people
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _search(user, name, dob=None, queryset=None):
    people = queryset if queryset is not None else Person.objects.visible_to(user)
    return [match.person for match in search_people(people, name=name, date_of_birth=dob)]


def test_the_people_offered_are_whole_records_with_the_callers_annotations(practitioner_a, person_a):
    people = Person.objects.visible_to(practitioner_a).annotate(marker=Value(7))
    [found] = search_people(people, name="Margaret Thornbury", date_of_birth=person_a.date_of_birth)
    stored = Person.objects.get(pk=person_a.pk)
    for field in Person._meta.concrete_fields:
        assert getattr(found.person, field.attname) == getattr(stored, field.attname), field.name
    assert found.person.marker == 7
    found.person.preferred_name = "Peggy"
    found.person.save(update_fields=["preferred_name"])
    assert Person.objects.get(pk=person_a.pk).preferred_name == "Peggy"


def test_a_namesake_one_slip_away_born_in_another_year_does_not_hide_the_person_born_that_year(practitioner_a):
    # "Roseanne Pickerin" is one slip from the name typed, but born in 1980; the person born in
    # 1950 is further from it ("Rosalind Pickering") and must still be offered.
    PersonFactory(
        created_by=practitioner_a,
        given_name="Roseanne",
        family_name="Pickerin",
        date_of_birth=datetime.date(1980, 5, 1),
    )
    born_then = PersonFactory(
        created_by=practitioner_a,
        given_name="Rosalind",
        family_name="Pickering",
        date_of_birth=datetime.date(1950, 8, 19),
    )
    assert born_then in _search(practitioner_a, "Roseanne Pickering", 1950)


def test_a_name_one_slip_out_finds_the_person_before_others_sharing_one_name(practitioner_a):
    person = PersonFactory(created_by=practitioner_a, given_name="Florence", family_name="Ashdown")
    for given in ["Flora", "Florian", "Francesca"]:
        PersonFactory(created_by=practitioner_a, given_name=given, family_name="Ashdown")
    for family in ["Ashby", "Ashton", "Ashworth"]:
        PersonFactory(created_by=practitioner_a, given_name="Florence", family_name=family)
    for typed in ["Florence Ashdwon", "Florense Ashdown", "Ashdown Florence", "Florence Ashown"]:
        assert _search(practitioner_a, typed)[0] == person, typed


def test_a_name_with_a_slip_in_each_part_is_still_found(practitioner_a):
    # Neither name as typed: only the test of every recorded name's trigrams finds him.
    person = PersonFactory(created_by=practitioner_a, given_name="Bartholomew", family_name="Featherstonehaugh")
    PersonFactory(created_by=practitioner_a, given_name="Bartholomew", family_name="Fairweather")
    PersonFactory(created_by=practitioner_a, given_name="Barbara", family_name="Featherstone")
    assert _search(practitioner_a, "Bartholemew Featherstonhaugh")[0] == person

"""The search contract, on the engine of the database under test."""

import datetime

import pytest

from marm.people.models import DatePrecision, Person, PersonAlias
from marm.people.search import PartialDate, search_people
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(practitioner_a):
    """A small population with some near neighbours of John Smith."""
    people = {}
    for given, middle, family, dob in [
        ("John", "William", "Smith", datetime.date(1948, 5, 17)),
        ("Joan", "", "Smith", datetime.date(1951, 2, 3)),
        ("John", "", "Smithers", datetime.date(1970, 8, 30)),
        ("Jonathan", "", "Smart", datetime.date(1962, 1, 9)),
        ("Margaret", "", "Thornbury", datetime.date(1938, 11, 2)),
        ("Desmond", "", "Okoro", datetime.date(1955, 7, 21)),
        ("Aisha", "", "Rahman", datetime.date(1980, 4, 12)),
        ("Siobhan", "", "O'Brien", datetime.date(1944, 12, 25)),
        ("Zoë", "", "Lefèvre", datetime.date(1990, 6, 6)),
        ("Bartholomew", "", "Featherstonehaugh", datetime.date(1933, 3, 3)),
    ]:
        person = PersonFactory(
            created_by=practitioner_a, given_name=given, middle_names=middle, family_name=family, date_of_birth=dob
        )
        people[f"{given} {family}"] = person
    return people


def _top(matches, n=5):
    return [m.person.full_name for m in matches[:n]]


def _search(user, name, dob=None, **kwargs):
    return search_people(Person.objects.visible_to(user), name=name, date_of_birth=dob, **kwargs)


@pytest.mark.parametrize(
    "typed",
    [
        "John Smith",
        "Smith John",  # swapped
        "smith, john",  # swapped with punctuation and lower case
        "John William Smith",  # middle name given
        "Jhon Smith",  # transposed letters
        "John Smiht",
    ],
)
def test_john_smith_comes_first_however_he_is_typed(practitioner_a, crowd, typed):
    matches = _search(practitioner_a, typed)
    assert matches[0].person == crowd["John Smith"]
    assert 0 < matches[0].score <= 1


def test_two_slips_that_sound_the_same_still_find_him(practitioner_a, crowd):
    # "Jon" is one letter from John and from Joan: both are offered, the date of birth decides.
    assert crowd["John Smith"] in [m.person for m in _search(practitioner_a, "Jon Smyth")[:2]]
    assert _search(practitioner_a, "Jon Smyth", 1948)[0].person == crowd["John Smith"]


def test_one_slip_anywhere_in_a_short_name_counts_as_one_slip(practitioner_a):
    # "Mya" is May with two letters swapped; Jaro-Winkler alone would put
    # every Nathan whose surname merely starts with M above her.
    may = PersonFactory(created_by=practitioner_a, given_name="Nathan", family_name="May")
    for family in ["Mann", "Miah", "Marsh", "Mayhew", "Mayall", "Maynard"]:
        PersonFactory(created_by=practitioner_a, given_name="Nathan", family_name=family)
    match = _search(practitioner_a, "Nathan Mya")[0]
    assert match.person == may
    assert "Last name one letter out" in match.reasons


def test_a_slip_that_spells_another_real_name_still_finds_the_person(practitioner_a):
    # "Shannon Moss" typed for Shannon Ross: the real Shannon Moss comes
    # first, then Shannon Ross, one slip away, before the many people who
    # share only the surname typed or a name that begins the same.
    ross = PersonFactory(created_by=practitioner_a, given_name="Shannon", family_name="Ross")
    PersonFactory(created_by=practitioner_a, given_name="Shannon", family_name="Moss")
    for given in ["Shane", "Shana", "Shani", "Sharon", "Shannen", "Shanice"]:
        PersonFactory(created_by=practitioner_a, given_name=given, family_name="Moss")
    for family in ["Mossop", "Mossman", "Moston"]:
        PersonFactory(created_by=practitioner_a, given_name="Shannon", family_name=family)
    found = [m.person for m in _search(practitioner_a, "Shannon Moss")]
    assert found.index(ross) < 5


def test_reasons_say_why(practitioner_a, crowd):
    match = _search(practitioner_a, "Smith John", datetime.date(1948, 5, 17))[0]
    assert match.person == crowd["John Smith"]
    assert "First and last names swapped" in match.reasons
    assert "Middle names not given" in match.reasons
    assert "Same date of birth" in match.reasons
    assert match.score > 0.95


def test_accents_and_apostrophes_do_not_matter(practitioner_a, crowd):
    assert _search(practitioner_a, "Zoe Lefevre")[0].person == crowd["Zoë Lefèvre"]
    assert _search(practitioner_a, "Siobhan OBrien")[0].person == crowd["Siobhan O'Brien"]


def test_the_date_of_birth_breaks_the_tie_between_similar_names(practitioner_a, crowd):
    assert _search(practitioner_a, "J Smith", datetime.date(1951, 2, 3))[0].person == crowd["Joan Smith"]
    assert _search(practitioner_a, "J Smith", datetime.date(1948, 5, 17))[0].person == crowd["John Smith"]


@pytest.mark.parametrize(
    "dob",
    [1948, (1948, 5), PartialDate(1948, 5), datetime.date(1948, 5, 17), (datetime.date(1948, 1, 1), "year")],
)
def test_partial_dates_of_birth_match(practitioner_a, crowd, dob):
    match = _search(practitioner_a, "Jon Smith", dob)[0]
    assert match.person == crowd["John Smith"]


def test_a_person_recorded_with_a_partial_date_matches_a_full_date(practitioner_a):
    person = PersonFactory(
        created_by=practitioner_a,
        given_name="Edith",
        family_name="Marsh",
        date_of_birth=datetime.date(1931, 3, 1),
        date_of_birth_precision=DatePrecision.MONTH,
    )
    match = _search(practitioner_a, "Edith Marsh", datetime.date(1931, 3, 14))[0]
    assert match.person == person
    assert "Same month and year of birth" in match.reasons


def test_a_mistyped_date_of_birth_does_not_hide_the_person(practitioner_a, crowd):
    # Day and month swapped.
    assert _search(practitioner_a, "John Smith", datetime.date(1948, 5, 17))[0].person == crowd["John Smith"]
    match = _search(practitioner_a, "Aisha Rahman", datetime.date(1980, 12, 4))[0]
    assert match.person == crowd["Aisha Rahman"]
    assert "Day and month of birth swapped" in match.reasons
    # A different date altogether: still found by name, scored lower.
    match = _search(practitioner_a, "Desmond Okoro", datetime.date(1965, 1, 1))[0]
    assert match.person == crowd["Desmond Okoro"]
    assert match.score < 0.7


def test_other_names_are_searched(practitioner_a, crowd):
    PersonAlias.objects.create(
        person=crowd["Margaret Thornbury"], given_name="Peggy", family_name="Hollis", created_by=practitioner_a
    )
    match = _search(practitioner_a, "Peggy Hollis")[0]
    assert match.person == crowd["Margaret Thornbury"]
    assert "Matches another name they are known by" in match.reasons


def test_a_changed_name_is_found_under_its_new_spelling(practitioner_a, crowd):
    person = crowd["Desmond Okoro"]
    Person.objects.filter(pk=person.pk).update(family_name="Okonkwo")
    assert _search(practitioner_a, "Desmond Okonkwo")[0].person == person


def test_search_never_reaches_beyond_the_callers_queryset(practitioner_a, gp_c, person_c, crowd):
    assert person_c not in [m.person for m in _search(practitioner_a, "Desmond Okoro", limit=50)]
    assert [m.person for m in _search(gp_c, "Desmond Okoro")] == [person_c]
    narrowed = Person.objects.visible_to(practitioner_a).exclude(pk=crowd["John Smith"].pk)
    assert crowd["John Smith"] not in [m.person for m in search_people(narrowed, name="John Smith")]


def test_the_limit_is_kept_and_scores_fall(practitioner_a, crowd):
    matches = _search(practitioner_a, "Smith", limit=3)
    assert len(matches) <= 3
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_nothing_typed_finds_no_one(practitioner_a, crowd):
    assert _search(practitioner_a, "  ") == []
    assert _search(practitioner_a, "!!") == []


def test_the_find_a_person_page_matches_tolerantly_and_says_why(practitioner_a_client, practitioner_a, crowd):
    from django.urls import reverse

    from marm.audit.models import AuditAction, AuditEvent

    page = practitioner_a_client.post(
        reverse("people:search"), {"name": "Smyth Jon", "date_of_birth_1": "5", "date_of_birth_2": "1948"}
    ).content.decode()
    assert "John William Smith" in page
    assert "first and last names swapped" in page
    assert "same month and year of birth" in page
    event = AuditEvent.objects.get(action=AuditAction.SEARCH)
    assert event.detail["results"][0] == str(crowd["John Smith"].pk)


def test_the_find_a_person_page_shows_no_one_the_agency_is_not_involved_with(gp_c_client, crowd):
    from django.urls import reverse

    page = gp_c_client.post(reverse("people:search"), {"name": "John Smith"}).content.decode()
    assert "0 people found" in page
    assert "Smith" not in page.split("0 people found")[1]

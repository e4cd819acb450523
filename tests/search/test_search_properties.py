"""Property: one slip of the keyboard never loses a person (000: matching must tolerate misspellings).

Runs on the engine of the database under test: SQLite by default, PostgreSQL
with DATABASE_URL set.
"""

import random

import pytest
from faker import Faker
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marm.people.models import Person
from marm.people.search import search_people
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

LETTERS = "abcdefghijklmnopqrstuvwxyz"


@pytest.fixture
def population(practitioner_a):
    fake = Faker("en_GB")
    fake.seed_instance(7013)
    rng = random.Random(7013)
    seen, people = set(), []
    while len(people) < 40:
        given_name, family_name = fake.first_name(), fake.last_name()
        if (given_name, family_name) in seen:
            continue
        seen.add((given_name, family_name))
        middle = fake.first_name() if rng.random() < 0.3 else ""
        people.append(
            PersonFactory(
                created_by=practitioner_a, given_name=given_name, middle_names=middle, family_name=family_name
            )
        )
    return people


def _edit(word: str, operation: str, position: int, letter: str) -> str:
    position %= len(word) + (operation == "insert")
    if operation == "insert":
        return word[:position] + letter + word[position:]
    if operation == "delete":
        return word[:position] + word[position + 1 :] if len(word) > 1 else word + letter
    if operation == "substitute":
        replacement = letter if letter != word[position] else LETTERS[(LETTERS.index(letter) + 1) % 26]
        return word[:position] + replacement + word[position + 1 :]
    # transpose with the next letter (or the previous one at the end)
    if len(word) < 2:
        return word + letter
    position = min(position, len(word) - 2)
    return word[:position] + word[position + 1] + word[position] + word[position + 2 :]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    who=st.integers(min_value=0, max_value=39),
    in_family_name=st.booleans(),
    operation=st.sampled_from(["insert", "delete", "substitute", "transpose"]),
    position=st.integers(min_value=0, max_value=30),
    letter=st.sampled_from(LETTERS),
    swapped=st.booleans(),
)
def test_a_name_with_one_edit_is_found_in_the_top_five(
    practitioner_a, population, who, in_family_name, operation, position, letter, swapped
):
    person = population[who]
    given_name, family_name = person.given_name.lower(), person.family_name.lower()
    if in_family_name:
        family_name = _edit(family_name, operation, position, letter)
    else:
        given_name = _edit(given_name, operation, position, letter)
    typed = f"{family_name} {given_name}" if swapped else f"{given_name} {family_name}"
    matches = search_people(Person.objects.visible_to(practitioner_a), name=typed, limit=5)
    assert person in [m.person for m in matches], (typed, [(m.person.full_name, m.score) for m in matches])


def test_the_edits_are_real_edits():
    assert _edit("john", "insert", 2, "x") == "joxhn"
    assert _edit("john", "delete", 0, "x") == "ohn"
    assert _edit("john", "substitute", 3, "n") == "joho"
    assert _edit("john", "transpose", 1, "x") == "jhon"

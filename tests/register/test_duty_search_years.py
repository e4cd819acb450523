"""The duty desk finds a person from a year of birth alone or an age range, and its cards tell
namesakes apart with the minimum: postcode district, the NHS number's last three digits, other names."""

import datetime

import pytest
from django.urls import reverse

from marm.people.models import Address, PersonAlias
from marm.register.duty_selectors import born_between, duty_search
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def namesakes(practitioner_a):
    def born(year):
        return PersonFactory(
            created_by=practitioner_a,
            given_name="Arthur",
            family_name="Pennington",
            date_of_birth=datetime.date(year, 6, 15),
        )

    return born(1950), born(1982)


def test_a_year_of_birth_alone_finds_the_person_and_not_a_namesake_of_another_decade(duty_a, namesakes):
    older, younger = namesakes
    cards = duty_search(user=duty_a, name="Arthur Pennington", year_of_birth=1950)
    assert [card.person for card in cards] == [older]


def test_an_age_range_finds_the_person_and_not_a_namesake_of_another_decade(duty_a, namesakes):
    older, younger = namesakes
    today = datetime.date.today()  # noqa: DTZ011 (ages as the desk counts them)
    age = today.year - 1950 - ((today.month, today.day) < (6, 15))
    cards = duty_search(user=duty_a, name="Arthur Pennington", aged_from=age - 5, aged_to=age + 5)
    assert [card.person for card in cards] == [older]


def test_an_age_range_is_a_range_of_dates_of_birth():
    today = datetime.date(2025, 3, 10)
    earliest, latest = born_between(aged_from=70, aged_to=80, today=today)
    assert earliest == datetime.date(1944, 3, 11) and latest == datetime.date(1955, 3, 10)


def test_the_search_page_takes_a_year_or_ages(client_for, duty_a, namesakes):
    client = client_for(duty_a)
    page = client.post(reverse("register:duty"), {"name": "Arthur Pennington", "year_of_birth": "1982"}).content
    assert "1 person found" in page.decode()
    page = client.post(reverse("register:duty"), {"name": "Pennington", "aged_from": "80", "aged_to": "70"})
    assert "Enter an age the same as or more than the first" in page.content.decode()


def test_the_card_tells_namesakes_apart_with_the_minimum(client_for, duty_a, person_a, practitioner_a):
    Address.objects.create(
        person=person_a, line_1="14 Cardigan Road", town="Leeds", postcode="LS6 1LF", created_by=practitioner_a
    )
    PersonAlias.objects.create(person=person_a, given_name="Peggy", family_name="Thornbury", created_by=practitioner_a)
    page = client_for(duty_a).post(reverse("register:duty"), {"name": "Thornbury"}).content.decode()
    assert "LS6" in page and "LS6 1LF" not in page and "Cardigan Road" not in page
    assert person_a.nhs_number[-3:] in page and person_a.nhs_number not in page
    assert "Peggy Thornbury" in page

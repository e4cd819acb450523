"""The duty desk's cards, when a search offers several people: each card shows its own person's
register entry, routed processes and open cases, and no one else's, in a number of queries that
does not grow with the people found."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marm.cases.services import case_screen
from marm.register.duty_selectors import duty_card_for_user, duty_search
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _namesakes(user, how_many):
    return [
        PersonFactory(
            created_by=user, given_name="Margaret", family_name="Thornbury", date_of_birth=datetime.date(1941, 3, 9)
        )
        for _ in range(how_many)
    ]


def _route_to_marac(case, manager):
    case_screen(
        acting_user=manager,
        case=case,
        s42_duty_applies="no",
        better_process="marac",
        dash_ticks=18,
        outcome="route",
        rationale="High risk on the DASH checklist",
        routed_to="MARAC coordinator",
        routed_on=datetime.date(2025, 3, 3),
    )


def test_each_card_shows_only_its_own_persons_register_entry_and_open_cases(
    entry_a, process_a, concern, duty_a, person_a, practitioner_a
):
    others = _namesakes(practitioner_a, 3)
    cards = duty_search(user=duty_a, name="Margaret Thornbury")
    by_person = {card.person: card for card in cards}
    assert set(by_person) == {person_a, *others}
    mine = by_person[person_a]
    assert cards[0] is mine, "people on a register come first"
    assert mine.on_register and [entry.named_professional for entry in mine.entries] == [practitioner_a]
    assert [p.get_kind_display() for p in mine.entries[0].active_processes] == ["MARAC"]
    assert [case.pk for case in mine.open_cases] == [concern.pk]
    for other in others:
        card = by_person[other]
        assert not card.on_register and not card.has_processes
        assert card.entries == [] and card.open_cases == []
    # The card page reads the same for the one person.
    alone = duty_card_for_user(user=duty_a, pk=person_a.pk)
    assert [case.pk for case in alone.open_cases] == [concern.pk] and alone.on_register


def test_a_routed_process_shows_on_its_persons_card_only(concern, manager_a, duty_a, person_a, practitioner_a):
    _route_to_marac(concern, manager_a)
    others = _namesakes(practitioner_a, 2)
    by_person = {card.person: card for card in duty_search(user=duty_a, name="Margaret Thornbury")}
    assert set(by_person) == {person_a, *others}
    mine = by_person[person_a]
    assert mine.has_processes and not mine.on_register
    assert [routed.process for routed in mine.person.routed_process_list] == ["marac"]
    for other in others:
        assert not by_person[other].has_processes and by_person[other].person.routed_process_list == []


def test_the_search_costs_the_same_queries_for_two_people_or_twelve(duty_a, practitioner_a, entry_a):
    _namesakes(practitioner_a, 1)
    duty_search(user=duty_a, name="Margaret Thornbury")  # warm: roles read, audit chain exists

    def count():
        with CaptureQueriesContext(connection) as queries:
            cards = duty_search(user=duty_a, name="Margaret Thornbury")
        return len(cards), len(queries), "\n".join(q["sql"] for q in queries.captured_queries)

    found, few, _ = count()
    assert found == 2
    _namesakes(practitioner_a, 10)
    found, many, sql = count()
    assert found == 12
    assert many == few, sql

"""Search, same-person and duplicates pages cost a fixed number of queries, however many people match."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marm.linkage.models import DuplicateSuggestion
from marm.people.models import PersonAlias
from tests.budgets import QUERY_BUDGETS
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _count(client, method, url, data=None):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == 200
    return len(queries), "\n".join(q["sql"] for q in queries.captured_queries)


def _smiths(user, how_many):
    for index in range(how_many):
        person = PersonFactory(created_by=user, given_name="John", family_name="Smith")
        PersonAlias.objects.create(person=person, given_name=f"Jack{index}", family_name="Smith", created_by=user)


def test_the_search_page_does_not_grow_with_the_results(practitioner_a_client, practitioner_a):
    url = reverse("people:search")
    _smiths(practitioner_a, 2)
    _count(practitioner_a_client, "post", url, {"name": "Jon Smyth"})  # warm: audit chain exists
    few, _ = _count(practitioner_a_client, "post", url, {"name": "Jon Smyth"})
    _smiths(practitioner_a, 30)
    many, sql = _count(practitioner_a_client, "post", url, {"name": "Jon Smyth"})
    # On PostgreSQL a second, looser trigram pass runs only when the first finds few people: fewer, never more.
    assert many <= few, sql
    assert many <= QUERY_BUDGETS["people:search"], sql


def test_the_same_person_page_does_not_grow_with_the_matches(practitioner_a_client, practitioner_a):
    person = PersonFactory(created_by=practitioner_a, given_name="John", family_name="Smith")
    url = reverse("linkage:same-person", kwargs={"pk": person.pk})
    _smiths(practitioner_a, 2)
    _count(practitioner_a_client, "get", url)
    few, _ = _count(practitioner_a_client, "get", url)
    _smiths(practitioner_a, 20)
    many, sql = _count(practitioner_a_client, "get", url)
    assert many <= few, sql


def test_the_duplicates_report_does_not_grow_with_the_suggestions(client_for, administrator, practitioner_a):
    client = client_for(administrator)
    url = reverse("linkage:duplicates-report")

    def suggest(how_many):
        for _ in range(how_many):
            a, b = sorted(PersonFactory.create_batch(2, created_by=practitioner_a), key=lambda p: str(p.pk))
            DuplicateSuggestion.objects.create(
                person_a=a,
                person_b=b,
                match_probability=0.95,
                match_weight=6.0,
                agreement={"Last name": "Agrees"},
                found_at=datetime.datetime(2026, 11, 23, tzinfo=datetime.UTC),
            )

    suggest(2)
    _count(client, "get", url)
    few, _ = _count(client, "get", url)
    suggest(15)
    many, sql = _count(client, "get", url)
    assert many == few, sql

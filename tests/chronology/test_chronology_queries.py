"""The chronology page costs the same number of queries however long the chronology is."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marm.chronology.models import ChronologyEntry, EntryType, Significance
from tests.budgets import QUERY_BUDGETS
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _count(client, url, query=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query or {})
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


def _fill(person, authors, how_many, case=None):
    """Entries from each author's agency, every fifth one corrected."""
    types, levels = list(EntryType), list(Significance)
    start = datetime.date(2023, 1, 1)
    entries = []
    for index in range(how_many):
        author = authors[index % len(authors)]
        entry = ChronologyEntry.objects.create(
            person=person,
            agency_id=author.agency_id,
            author=author,
            case=case if index % 3 == 0 else None,
            occurred_on=start + datetime.timedelta(days=index * 3),
            occurred_at_time=datetime.time(index % 24, 0) if index % 2 else None,
            entry_type=types[index % len(types)],
            summary=f"Event {index}",
            significance=levels[index % len(levels)],
        )
        entries.append(entry)
        if index % 5 == 4:
            ChronologyEntry.objects.create(
                person=person,
                agency_id=author.agency_id,
                author=author,
                occurred_on=entry.occurred_on,
                entry_type=entry.entry_type,
                summary=f"Event {index}, corrected",
                significance=entry.significance,
                supersedes=entry,
                correction_reason="Wrong details",
            )
    return entries


def test_the_chronology_page_does_not_grow_with_the_chronology(
    practitioner_a_client, practitioner_a, police_b, agency_b, accepted_case
):
    from marm.people.models import AgencyInvolvement, InvolvementBasis

    small = PersonFactory(created_by=practitioner_a)
    large = accepted_case.person
    for person in (small,):
        AgencyInvolvement.objects.create(
            person=person, agency=agency_b, basis=InvolvementBasis.SHARING_DECISION, started_by=practitioner_a
        )
    _fill(small, [practitioner_a, police_b], 5)
    _fill(large, [practitioner_a, police_b], 200, case=accepted_case)
    small_url = reverse("chronology:list", kwargs={"pk": small.pk})
    large_url = reverse("chronology:list", kwargs={"pk": large.pk})
    _count(practitioner_a_client, small_url)  # warm: the audit chain exists
    small_count, _ = _count(practitioner_a_client, small_url)
    large_count, sql = _count(practitioner_a_client, large_url)
    assert large_count == small_count, "\n".join(sql)
    assert large_count <= QUERY_BUDGETS["chronology:list"], "\n".join(sql)
    filtered_count, sql = _count(practitioner_a_client, large_url, {"agency": agency_b.pk, "entry_type": "letter"})
    assert filtered_count == small_count, "\n".join(sql)

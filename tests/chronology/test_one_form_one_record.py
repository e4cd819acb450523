"""One chronology form, one entry: a repeated post of the same form adds nothing new."""

import datetime
import re
import uuid

import pytest
from django.urls import reverse

from marm.audit.models import AuditAction, AuditEvent
from marm.chronology.models import ChronologyEntry
from marm.chronology.services import chronology_entry_add

pytestmark = pytest.mark.django_db

ENTRY = {
    "occurred_on_0": "4",
    "occurred_on_1": "3",
    "occurred_on_2": "2025",
    "entry_type": "contact",
    "significance": "routine",
    "summary": "Telephone contact with Margaret.",
}


def _token(page: str) -> str:
    match = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', page)
    assert match, "the form carries its token in a hidden field"
    return match.group(1)


def test_posting_the_same_entry_form_twice_adds_one_entry(practitioner_a_client, person_a):
    url = reverse("chronology:add", kwargs={"pk": person_a.pk})
    token = _token(practitioner_a_client.get(url).content.decode())
    first = practitioner_a_client.post(url, {**ENTRY, "submission_key": token})
    second = practitioner_a_client.post(url, {**ENTRY, "submission_key": token})
    entry = ChronologyEntry.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert first["Location"].endswith(f"#entry-{entry.pk}")
    assert entry.submission_key == uuid.UUID(token)


def test_a_post_without_a_token_adds_an_entry_as_before(practitioner_a_client, person_a):
    url = reverse("chronology:add", kwargs={"pk": person_a.pk})
    practitioner_a_client.post(url, ENTRY)
    practitioner_a_client.post(url, ENTRY)
    assert ChronologyEntry.objects.count() == 2


def test_the_correction_form_carries_no_token(practitioner_a_client, person_a, add_entry, practitioner_a):
    entry = add_entry(practitioner_a, person_a)
    url = reverse("chronology:correct", kwargs={"pk": person_a.pk, "entry_id": entry.pk})
    assert 'name="submission_key"' not in practitioner_a_client.get(url).content.decode()


def test_adding_twice_with_one_key_gives_the_first_entry_and_one_audit_row(practitioner_a, person_a):
    key = uuid.uuid4()
    values = {
        "occurred_on": datetime.date(2025, 3, 1),
        "entry_type": "contact",
        "summary": "Telephone contact with Margaret.",
        "significance": "routine",
        "submission_key": key,
    }
    first = chronology_entry_add(acting_user=practitioner_a, person=person_a, **values)
    second = chronology_entry_add(acting_user=practitioner_a, person=person_a, **values)
    assert second.pk == first.pk
    assert ChronologyEntry.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(first.pk)).count() == 1


def test_C3_a_concurrent_post_with_the_same_key_gets_the_first_entry(practitioner_a, person_a, monkeypatch):
    key = uuid.uuid4()
    values = {
        "occurred_on": datetime.date(2025, 3, 1),
        "entry_type": "contact",
        "summary": "Telephone contact with Margaret.",
        "significance": "routine",
        "submission_key": key,
    }
    first = chronology_entry_add(acting_user=practitioner_a, person=person_a, **values)
    monkeypatch.setattr("marm.chronology.services.first_submission", lambda queryset, key: None)
    second = chronology_entry_add(acting_user=practitioner_a, person=person_a, **values)
    assert second.pk == first.pk
    assert ChronologyEntry.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(first.pk)).count() == 1

"""Per-user limits on searching people, the adult's documents and downloads (H8, ADR 0025).

The limits are made small here with the ``settings`` fixture: the rule is the same at 3 as at 100.
"""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marm.audit.models import AuditAction, AuditEvent
from marm.core.models import ThrottleHit
from tests.risk.conftest import agreed, led_case, shared_case  # noqa: F401  (fixtures)
from tests.twofactor import force_sign_in

pytestmark = pytest.mark.django_db

SEARCH = reverse("people:search")


def _search(client, name="Margaret"):
    return client.post(SEARCH, {"name": name})


def _throttled(user=None):
    rows = AuditEvent.objects.filter(action=AuditAction.THROTTLED)
    return rows.filter(actor_user=user) if user else rows


def _searches(user):
    return AuditEvent.objects.filter(action=AuditAction.SEARCH, actor_user=user).count()


def _later(monkeypatch, seconds):
    moved = timezone.now() + timedelta(seconds=seconds)
    monkeypatch.setattr(timezone, "now", lambda: moved)


def test_H8_the_101st_search_in_a_minute_is_refused_and_audited(client_for, practitioner_a, person_a, settings):
    settings.MARM_LIMIT_SEARCH_PER_MINUTE = 3
    client = client_for(practitioner_a)
    for _ in range(3):
        assert _search(client).status_code == 200
    assert _searches(practitioner_a) == 3

    refused = _search(client)

    assert refused.status_code == 429
    page = refused.content.decode()
    assert "You have made too many requests" in page
    assert "Margaret" not in page  # nothing about anyone
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert f"Wait {refused['Retry-After']} second" in page
    # Nothing was searched, and the refusal is one audit row naming the limit.
    assert _searches(practitioner_a) == 3
    row = _throttled(practitioner_a).get()
    assert row.detail == {"bucket": "person-search", "limit": 3, "window": 60}
    assert row.person_id == ""


def test_H8_each_refused_request_is_its_own_audit_row(client_for, practitioner_a, settings):
    settings.MARM_LIMIT_SEARCH_PER_MINUTE = 1
    client = client_for(practitioner_a)
    _search(client)
    assert [_search(client).status_code for _ in range(3)] == [429, 429, 429]
    assert _throttled(practitioner_a).count() == 3


def test_H8_the_count_is_per_user_and_shared_by_every_session(client_for, practitioner_a, manager_a, settings):
    settings.MARM_LIMIT_SEARCH_PER_MINUTE = 2
    # Two browsers (or two web workers) for one user share one count: it is kept in the database.
    first, second = client_for(practitioner_a), client_for(practitioner_a)
    assert _search(first).status_code == 200
    assert _search(second).status_code == 200
    assert _search(first).status_code == 429
    # A colleague is not slowed by someone else's searches.
    assert _search(client_for(manager_a)).status_code == 200


def test_H8_searching_is_possible_again_a_minute_later(client_for, practitioner_a, settings, monkeypatch):
    settings.MARM_LIMIT_SEARCH_PER_MINUTE = 2
    client = client_for(practitioner_a)
    _search(client), _search(client)
    assert _search(client).status_code == 429
    _later(monkeypatch, 61)
    assert _search(client).status_code == 200
    # Old counts are forgotten as new ones are made: the table holds one minute at most.
    assert ThrottleHit.objects.filter(user=practitioner_a).count() == 1


def test_H8_opening_the_search_page_or_a_form_with_errors_is_not_counted(client_for, practitioner_a, settings):
    settings.MARM_LIMIT_SEARCH_PER_MINUTE = 1
    client = client_for(practitioner_a)
    for _ in range(3):
        assert client.get(SEARCH).status_code == 200
    assert _search(client).status_code == 200
    assert not _throttled().exists()


def test_H8_the_duplicate_check_when_adding_a_person_counts_as_a_search(client_for, practitioner_a, settings):
    from marm.people.models import Person

    settings.MARM_LIMIT_SEARCH_PER_MINUTE = 1
    client = client_for(practitioner_a)
    _search(client)
    response = client.post(
        reverse("people:create"),
        {
            "given_name": "Ada",
            "family_name": "Lovell",
            "date_of_birth_1": "3",
            "date_of_birth_2": "1950",
            "nhs_number": "943 476 5919",
            "line_1": "4 Mill Lane",
            "town": "Northdale",
            "postcode": "ND1 2AB",
        },
    )
    assert response.status_code == 429
    assert _searches(practitioner_a) == 1
    assert not Person.objects.exists()


def test_H8_the_duty_desk_search_has_its_own_limit(client_for, duty_a, person_a, settings):
    settings.MARM_LIMIT_DUTY_SEARCH_PER_MINUTE = 2
    client = client_for(duty_a)
    url = reverse("register:duty")
    assert [client.post(url, {"name": "Margaret"}).status_code for _ in range(3)] == [200, 200, 429]
    assert _searches(duty_a) == 2
    assert _throttled(duty_a).get().detail == {"bucket": "duty-search", "limit": 2, "window": 60}


def test_H8_printing_the_adults_copy_has_a_limit(client_for, practitioner_a, agreed, settings):  # noqa: F811
    from marm.risk.services import adult_copy_give

    settings.MARM_LIMIT_DOCUMENTS_PER_MINUTE = 1
    copy = adult_copy_give(
        acting_user=practitioner_a,
        version=agreed,
        format="standard",
        given_on=timezone.localdate(),
        given_how="in_person",
    )
    url = reverse("risk:copy-pdf", kwargs={"case_pk": agreed.assessment.case.pk, "copy_id": copy.pk})
    client = client_for(practitioner_a)
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="risk.adultcopy")
    assert client.get(url).status_code == 200
    before = exports.count()

    refused = client.get(url)

    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("text/html")
    assert exports.count() == before
    assert _throttled(practitioner_a).get().detail["bucket"] == "documents"


def test_H8_downloads_have_a_limit(client_for, board_officer, settings):
    settings.MARM_LIMIT_EXPORTS_PER_MINUTE = 2
    client = client_for(board_officer)
    url = reverse("assurance:csv", kwargs={"code": "MEET1"})
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor_user=board_officer).count() == 2
    assert _throttled(board_officer).get().detail == {"bucket": "exports", "limit": 2, "window": 60}


def test_H8_limits_are_kept_apart(client_for, duty_a, settings):
    settings.MARM_LIMIT_SEARCH_PER_MINUTE = 1
    settings.MARM_LIMIT_DUTY_SEARCH_PER_MINUTE = 1
    client = client_for(duty_a)
    assert client.post(reverse("register:duty"), {"name": "Margaret"}).status_code == 200
    # The duty desk search used its own allowance, not the person search's.
    assert _search(client).status_code == 200
    assert not _throttled().exists()


def test_a_refusal_is_a_page_for_people_not_a_stack_trace(practitioner_a, settings):
    settings.MARM_LIMIT_SEARCH_PER_MINUTE = 0
    response = _search(force_sign_in(Client(), practitioner_a))
    assert response.status_code == 429
    assert 'class="govuk-heading-l"' in response.content.decode()


# Every view that downloads a document or a file, and the page that searches for a person's namesakes,
# with made-up records: the limit is checked before anything is looked up.
CASE, PERSON = uuid.uuid4(), uuid.uuid4()
THROTTLED_ON_OPENING = {
    reverse("risk:copy-pdf", kwargs={"case_pk": CASE, "copy_id": 1}): "documents",
    reverse("meetings:minutes-pdf", kwargs={"case_pk": CASE, "meeting_id": 1}): "documents",
    reverse("meetings:ics", kwargs={"case_pk": CASE, "meeting_id": 1}): "exports",
    reverse("board:annual-report-pdf", kwargs={"year": 2026}): "exports",
    reverse("assurance:csv", kwargs={"code": "MEET1"}): "exports",
    reverse("assurance:publication-csv"): "exports",
    reverse("linkage:same-person", kwargs={"pk": PERSON}): "person-search",
}


def test_H8_every_download_is_limited_and_checked_before_anything_is_read(practitioner_a, settings):
    for setting in ("SEARCH", "DUTY_SEARCH", "DOCUMENTS", "EXPORTS"):
        setattr(settings, f"MARM_LIMIT_{setting}_PER_MINUTE", 0)
    client = force_sign_in(Client(), practitioner_a)
    for url, bucket in THROTTLED_ON_OPENING.items():
        before = AuditEvent.objects.count()
        response = client.get(url)
        assert response.status_code == 429, url
        # The refusal is the only row: nothing was looked up, so nothing was read or refused first.
        row = AuditEvent.objects.get(seq__gt=before)
        assert row.action == AuditAction.THROTTLED, url
        assert row.detail["bucket"] == bucket, url

"""The duty desk through the API, under the pages' rule (ADR 0017, ADR 0034): the search and the
minimal card need no purpose; a full-record read by a duty officer needs one, given once for the
person (``/api/duty/people/<pk>/open/``, as the page's "open the full record") and written on the
audit row of each read of the record while it lasts."""

import time

import pytest
from django.urls import reverse
from django.utils.html import escape

from marm.api.models import ApiToken
from marm.audit.models import AuditAction, AuditEvent
from marm.organisations.models import Role
from marm.register.duty_selectors import CARD_PURPOSE
from marm.register.purpose import SESSION_KEY
from tests.api.conftest import token_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PURPOSE = "Caller reports a fall; checking who to contact"


def _views(user, person, object_type="people.person"):
    return AuditEvent.objects.filter(
        actor_user=user, action=AuditAction.VIEW, person_id=str(person.pk), object_type=object_type
    )


def _full_reads(user, person):
    """The reads of the person other than the minimal card's."""
    return _views(user, person).exclude(purpose=CARD_PURPOSE)


def _open(api, person, body):
    return api.post(f"/api/duty/people/{person.pk}/open/", body, content_type="application/json")


def test_the_card_shows_what_the_page_card_shows_and_no_more(
    api_for, client_for, duty_a, practitioner_a, person_a, process_a, accepted_case
):
    response = api_for(duty_a).get(f"/api/duty/people/{person_a.pk}/")
    assert response.status_code == 200
    card = response.json()
    assert card["person_id"] == str(person_a.pk)
    assert card["on_register"] is True
    assert card["registers"] == [
        {
            "team": process_a.entry.team.name,
            "named_professional": {
                "name": practitioner_a.full_name,
                "phone": practitioner_a.phone,
                "email": practitioner_a.email,
            },
        }
    ]
    assert {"name": "MARAC", "since": "2025-02-03"} in card["processes"]
    assert {"name": f"MARM case: {accepted_case.get_status_display()}", "since": None} in card["processes"]
    page = client_for(duty_a).get(reverse("register:duty-card", kwargs={"pk": person_a.pk})).content.decode()
    for process in card["processes"]:
        assert escape(process["name"]) in page
    assert not {"date_of_birth", "nhs_number", "addresses"} & set(card)
    # The card is read as the page reads it: no purpose asked, audited as the card.
    assert set(_views(duty_a, person_a).values_list("purpose", flat=True)) == {CARD_PURPOSE}
    # The search's cards are the same cards.
    found = api_for(duty_a).get("/api/duty/search/", {"name": "Margaret Thornbury"}).json()
    assert found == [card]


def test_a_duty_officer_gives_the_purpose_then_reads_the_full_record_with_it_on_each_read(
    api_for, duty_a, person_a, entry_a
):
    api = api_for(duty_a)
    refused = api.get(f"/api/people/{person_a.pk}/")
    assert refused.status_code == 403
    assert f"/api/duty/people/{person_a.pk}/open/" in refused.json()["detail"]
    assert person_a.family_name not in refused.content.decode()
    assert not _full_reads(duty_a, person_a).exists()

    opened = _open(api, person_a, {"purpose": PURPOSE})
    assert opened.status_code == 200
    assert opened.json()["family_name"] == person_a.family_name
    assert list(_full_reads(duty_a, person_a).values_list("purpose", flat=True)) == [PURPOSE]

    assert api.get(f"/api/people/{person_a.pk}/").status_code == 200
    assert api.get(f"/api/people/{person_a.pk}/chronology/").status_code == 200
    assert list(_full_reads(duty_a, person_a).values_list("purpose", flat=True).order_by("id")) == [
        PURPOSE,
        PURPOSE,
        f"Reading the chronology: {PURPOSE}",
    ]


def test_without_a_purpose_the_answer_is_400_and_nothing_is_read(api_for, duty_a, person_a, entry_a):
    api = api_for(duty_a)
    for body in ({}, {"purpose": ""}, {"purpose": "   "}, {"purpose": None}):
        response = _open(api, person_a, body)
        assert response.status_code == 400, body
        # The page's message for the same mistake.
        assert response.json() == {"purpose": ["Say why you need the full record"]}
        assert person_a.family_name not in response.content.decode()
    too_long = _open(api, person_a, {"purpose": "x" * 301})
    assert too_long.status_code == 400 and set(too_long.json()) == {"purpose"}
    assert not _full_reads(duty_a, person_a).exists()
    assert api.get(f"/api/people/{person_a.pk}/").status_code == 403


def test_a_purpose_is_for_one_person_one_token_and_lapses(api_for, duty_a, person_a, entry_a, settings):
    from tests.factories import PersonFactory

    other = PersonFactory(created_by=entry_a.named_professional)
    token = token_for(duty_a, scopes=("read",))
    api = api_for(duty_a)
    api.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    assert _open(api, person_a, {"purpose": PURPOSE}).status_code == 200
    assert api.get(f"/api/people/{other.pk}/").status_code == 403
    # Another token of the same officer has been given no purpose.
    assert api_for(duty_a).get(f"/api/people/{person_a.pk}/").status_code == 403

    row = ApiToken.objects.get(user=duty_a, scopes=["read"])
    given = row.kept[SESSION_KEY][str(person_a.pk)]
    row.kept = {SESSION_KEY: {str(person_a.pk): [given[0], time.time() - settings.MARM_DUTY_PURPOSE_MINUTES * 60 - 1]}}
    row.save(update_fields=["kept"])
    assert api.get(f"/api/people/{person_a.pk}/").status_code == 403


def test_the_purpose_needs_only_a_read_token(api_for, duty_a, person_a, entry_a):
    assert _open(api_for(duty_a, scopes=("read",)), person_a, {"purpose": PURPOSE}).status_code == 200
    assert _open(api_for(duty_a, scopes=("write",)), person_a, {"purpose": PURPOSE}).status_code == 403


def test_someone_without_the_duty_role_is_answered_as_the_page_answers(
    api_for, client_for, practitioner_a, person_a, entry_a
):
    api, pages = api_for(practitioner_a), client_for(practitioner_a)
    search = api.get("/api/duty/search/", {"name": "Thornbury"})
    assert search.status_code == pages.get(reverse("register:duty")).status_code == 403
    card = api.get(f"/api/duty/people/{person_a.pk}/")
    assert card.status_code == pages.get(reverse("register:duty-card", kwargs={"pk": person_a.pk})).status_code == 404
    opened = _open(api, person_a, {"purpose": PURPOSE})
    assert opened.status_code == 404
    assert not _views(practitioner_a, person_a).filter(purpose=PURPOSE).exists()


def test_a_duty_officer_of_another_agency_gets_404_and_a_denied_row(api_for, agency_c, person_a, entry_a):
    duty_c = UserFactory(agency=agency_c, roles=[Role.DUTY_OFFICER])
    api = api_for(duty_c)
    for response in (api.get(f"/api/duty/people/{person_a.pk}/"), _open(api, person_a, {"purpose": PURPOSE})):
        assert response.status_code == 404
        assert person_a.family_name not in response.content.decode()
    assert AuditEvent.objects.filter(actor_user=duty_c, action=AuditAction.DENIED).count() == 2
    assert not AuditEvent.objects.filter(actor_user=duty_c, action=AuditAction.VIEW).exists()
    assert ApiToken.objects.get(user=duty_c).kept == {}
    assert api.get("/api/duty/search/", {"name": "Margaret Thornbury"}).json() == []


def test_a_browser_using_the_api_gives_the_purpose_once_for_the_api_and_the_pages(client_for, duty_a, person_a):
    browser = client_for(duty_a)
    assert _open(browser, person_a, {"purpose": PURPOSE}).status_code == 200
    assert browser.get(reverse("people:detail", kwargs={"pk": person_a.pk})).status_code == 200
    assert browser.get(f"/api/people/{person_a.pk}/").status_code == 200
    assert set(_full_reads(duty_a, person_a).values_list("purpose", flat=True)) == {PURPOSE}

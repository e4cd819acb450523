"""A duty officer gives a purpose before any full-record read, whichever way they come to it
(ADR 0017, amended): the guarded fetch asks, the duty desk's purpose page answers."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from marm.audit.models import AuditAction, AuditEvent
from marm.organisations.models import Role
from marm.register.purpose import SESSION_KEY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PURPOSE = "Caller reports a fall; checking who to contact"


def _views_of(user, person):
    return AuditEvent.objects.filter(
        actor_user=user, action=AuditAction.VIEW, person_id=str(person.pk), object_type="people.person"
    )


def _asks_for_purpose(response, person, next_url):
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("register:duty-open", kwargs={"pk": person.pk})
    assert parse_qs(location.query)["next"] == [next_url]


def test_a_duty_officer_opening_the_person_page_directly_is_asked_for_the_purpose_first(client_for, duty_a, person_a):
    client = client_for(duty_a)
    page = reverse("people:detail", kwargs={"pk": person_a.pk})
    response = client.get(page)
    _asks_for_purpose(response, person_a, page)
    assert person_a.family_name not in response.content.decode()
    assert not _views_of(duty_a, person_a).exists(), "no VIEW row without a purpose"

    ask = client.get(response["Location"])
    assert ask.status_code == 200
    assert "Why do you need the full record?" in ask.content.decode()
    back = client.post(response["Location"], {"purpose": PURPOSE})
    assert back["Location"] == page

    assert client.get(page).status_code == 200
    assert _views_of(duty_a, person_a).latest("id").purpose == PURPOSE
    # The purpose page shows the card (its own VIEW row); every full-record read carries the purpose.
    assert set(_views_of(duty_a, person_a).values_list("purpose", flat=True)) == {PURPOSE, "Duty desk: minimal card"}


def test_a_case_page_asks_for_the_purpose_for_its_person(client_for, duty_a, accepted_case):
    client = client_for(duty_a)
    page = reverse("cases:detail", kwargs={"case_pk": accepted_case.pk})
    response = client.get(page)
    if response.status_code == 404:
        pytest.skip("the duty officer's agency has no part in the case")
    _asks_for_purpose(response, accepted_case.person, page)
    client.post(response["Location"], {"purpose": PURPOSE})
    assert client.get(page).status_code == 200
    view = AuditEvent.objects.filter(actor_user=duty_a, action=AuditAction.VIEW, object_type="cases.case").get()
    assert view.purpose == PURPOSE


def test_the_purpose_lapses_and_is_asked_again(client_for, duty_a, person_a, settings):
    client = client_for(duty_a)
    client.post(reverse("register:duty-open", kwargs={"pk": person_a.pk}), {"purpose": PURPOSE})
    page = reverse("people:detail", kwargs={"pk": person_a.pk})
    assert client.get(page).status_code == 200
    session = client.session
    given = session[SESSION_KEY][str(person_a.pk)]
    session[SESSION_KEY] = {str(person_a.pk): [given[0], time.time() - settings.MARM_DUTY_PURPOSE_MINUTES * 60 - 1]}
    session.save()
    _asks_for_purpose(client.get(page), person_a, page)


def test_a_purpose_is_for_one_person(client_for, duty_a, person_a, practitioner_a):
    from tests.factories import PersonFactory

    other = PersonFactory(created_by=practitioner_a, given_name="Edith", family_name="Marsh")
    client = client_for(duty_a)
    client.post(reverse("register:duty-open", kwargs={"pk": person_a.pk}), {"purpose": PURPOSE})
    page = reverse("people:detail", kwargs={"pk": other.pk})
    _asks_for_purpose(client.get(page), other, page)


def test_the_card_needs_no_purpose(client_for, duty_a, person_a):
    assert client_for(duty_a).get(reverse("register:duty-card", kwargs={"pk": person_a.pk})).status_code == 200


def test_the_purpose_page_does_not_send_the_browser_elsewhere(client_for, duty_a, person_a):
    url = reverse("register:duty-open", kwargs={"pk": person_a.pk})
    response = client_for(duty_a).post(f"{url}?next=https://elsewhere.example/", {"purpose": PURPOSE})
    assert response["Location"] == reverse("people:detail", kwargs={"pk": person_a.pk})


def test_a_duty_officer_who_is_also_a_practitioner_reads_as_before(client_for, agency_a, person_a):
    both = UserFactory(agency=agency_a, roles=[Role.DUTY_OFFICER, Role.PRACTITIONER])
    assert client_for(both).get(reverse("people:detail", kwargs={"pk": person_a.pk})).status_code == 200


def test_without_the_purpose_page_a_read_is_refused_not_shown(duty_a, person_a):
    from marm.access.guard import PurposeRequired
    from marm.people.selectors import person_get_for_user

    with pytest.raises(PurposeRequired):
        person_get_for_user(user=duty_a, pk=person_a.pk)
    assert not _views_of(duty_a, person_a).exists()


def test_a_duty_officer_who_just_recorded_the_person_is_not_asked_why(client_for, duty_a):
    """Recording a new person during a call leads to their page: the call is the purpose, so the
    duty officer is not sent round to the purpose page, and the read says so."""
    from marm.people.models import Person
    from tests.factories import PersonFactory

    client = client_for(duty_a)
    person = PersonFactory(created_by=duty_a, given_name="Ann", family_name="Newly")
    page = reverse("people:detail", kwargs={"pk": person.pk})
    response = client.get(page)
    assert response.status_code == 200 and "Newly" in response.content.decode()
    assert _views_of(duty_a, person).latest("id").purpose == "Recorded the person during the call"
    # Once the purpose's time has passed, the usual question comes back.
    Person.objects.filter(pk=person.pk).update(created_at=person.created_at - timezone.timedelta(hours=2))
    _asks_for_purpose(client.get(page), person, page)


def test_someone_else_recording_the_person_does_not_excuse_the_duty_officer(client_for, duty_a, practitioner_a):
    from tests.factories import PersonFactory

    person = PersonFactory(created_by=practitioner_a, given_name="Ann", family_name="Other")
    page = reverse("people:detail", kwargs={"pk": person.pk})
    _asks_for_purpose(client_for(duty_a).get(page), person, page)


def test_a_duty_officer_whose_agency_has_only_a_limited_share_opens_the_case_outline(
    client_for, accepted_case, agency_c
):
    """A limited share shows the case's outline and the name, not the person's record: there is no
    card to ask a purpose from, so the page opens (it used to send the officer to a 404) and the
    read says why it needed none. The person's own page stays hidden."""
    from marm.cases.models import CaseAgency

    CaseAgency.objects.create(case=accepted_case, agency=agency_c, access="limited")
    duty_c = UserFactory(email="duty@c.example.org", agency=agency_c, roles=[Role.DUTY_OFFICER])
    client = client_for(duty_c)
    response = client.get(reverse("cases:detail", kwargs={"case_pk": accepted_case.pk}))
    assert response.status_code == 200
    row = AuditEvent.objects.filter(actor_user=duty_c, action=AuditAction.VIEW).latest("id")
    assert "Case shared in part" in row.purpose
    assert client.get(reverse("people:detail", kwargs={"pk": accepted_case.person_id})).status_code == 404

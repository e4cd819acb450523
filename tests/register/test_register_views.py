"""The register's and the duty desk's pages, as each persona."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from marm.audit.models import AuditAction, AuditEvent
from marm.register.models import ContactAlert, RegisterEntry, RegisterReview
from tests.budgets import QUERY_BUDGETS
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_manager_puts_a_person_on_the_register_from_their_page(
    client_for, manager_a, person_a, practitioner_a, team_a
):
    client = client_for(manager_a)
    page = client.get(reverse("people:detail", kwargs={"pk": person_a.pk})).content.decode()
    assert "Add to the high-risk register" in page
    url = reverse("register:add", kwargs={"pk": person_a.pk})
    empty = client.post(url, {"missed_visits_window_days": "7"})
    assert empty.status_code == 200
    assert "There is a problem" in empty.content.decode()
    assert "Select the criteria the person meets" in empty.content.decode()
    response = client.post(
        url,
        {
            "team": team_a.pk,
            "criteria": ["b", "g"],
            "named_professional": practitioner_a.pk,
            "reason": "Fire risk from hoarding",
            "missed_visits_threshold": "2",
            "missed_visits_window_days": "7",
        },
    )
    entry = RegisterEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/register/entries/{entry.pk}/"
    assert entry.missed_visits_threshold == 2


def test_the_alert_banner_shows_to_everyone_who_sees_the_person(client_for, entry_a, person_a, police_b, gp_c):
    police_page = client_for(police_b).get(f"/people/{person_a.pk}/").content.decode()
    assert "On the high-risk register of" in police_page
    assert f"/register/entries/{entry_a.pk}/" not in police_page, "only the keeping agency opens the entry"
    assert client_for(gp_c).get(f"/people/{person_a.pk}/").status_code == 404


def test_the_register_page_highlights_overdue_reviews_and_shows_other_processes(
    client_for, entry_a, process_a, practitioner_a, accepted_case
):
    RegisterEntry.objects.filter(pk=entry_a.pk).update(
        added_at=entry_a.added_at - datetime.timedelta(days=9), case=accepted_case
    )
    page = client_for(practitioner_a).get(reverse("register:list")).content.decode()
    assert "Margaret Thornbury" in page
    assert "Overdue" in page
    assert "MARAC since" in page
    assert "MARM: Accepted into MARM" in page
    entry_page = client_for(practitioner_a).get(reverse("register:entry", kwargs={"entry_pk": entry_a.pk}))
    assert "(MARAC 14): from 3 February 2025, active" in entry_page.content.decode()
    assert AuditEvent.objects.filter(
        actor_user=practitioner_a, action=AuditAction.SEARCH, object_type="register.registerentry"
    ).exists()


def test_the_register_page_shows_nothing_of_another_agencys_register(client_for, entry_a, police_b):
    page = client_for(police_b).get(reverse("register:list")).content.decode()
    assert "Thornbury" not in page


def test_a_review_is_recorded_through_the_page_and_a_supervisor_names_the_lead(
    client_for, entry_a, supervisor_a, practitioner_a
):
    url = reverse("register:review", kwargs={"entry_pk": entry_a.pk})
    client = client_for(supervisor_a)
    assert "Supervision" in client.get(url).content.decode()
    response = client.post(
        url, {"outcome": "stays", "notes": "Weekly supervision", "with_lead_professional": practitioner_a.pk}
    )
    assert response.status_code == 302
    review = RegisterReview.objects.get()
    assert review.is_supervision and review.with_lead_professional == practitioner_a
    entry_page = client.get(reverse("register:entry", kwargs={"entry_pk": entry_a.pk})).content.decode()
    assert f"supervision with {escape(practitioner_a.full_name)}" in entry_page


def test_the_duty_officer_finds_the_person_and_sees_the_minimal_card(client_for, duty_a, entry_a, person_a):
    client = client_for(duty_a)
    assert client.get(reverse("register:duty")).status_code == 200
    page = client.post(reverse("register:duty"), {"name": "thornbury"}).content.decode()
    assert "Margaret Thornbury" in page
    assert "On the register" in page
    assert entry_a.named_professional.email in page
    assert str(person_a.date_of_birth.year) in page
    # The minimum only: no full date of birth, no NHS number, no address.
    assert person_a.date_of_birth.strftime("%-d %B %Y") not in page
    assert person_a.nhs_number not in page


def test_the_duty_desk_is_for_duty_officers(client_for, practitioner_a, manager_a, entry_a, person_a):
    for user in (practitioner_a, manager_a):
        client = client_for(user)
        assert client.get(reverse("register:duty")).status_code == 403
        assert client.get(reverse("register:duty-card", kwargs={"pk": person_a.pk})).status_code == 404
    assert AuditEvent.objects.filter(actor_user=manager_a, action=AuditAction.DENIED).exists()


def test_a_duty_officer_gets_404_for_another_agencys_person(client_for, duty_a, person_c):
    response = client_for(duty_a).get(reverse("register:duty-card", kwargs={"pk": person_c.pk}))
    assert response.status_code == 404
    assert person_c.family_name not in response.content.decode()
    assert AuditEvent.objects.filter(actor_user=duty_a, action=AuditAction.DENIED, person_id=str(person_c.pk)).exists()


def test_the_duty_officer_logs_the_call_and_the_named_professional_acknowledges(
    client_for, duty_a, practitioner_a, entry_a, person_a, police_b
):
    response = client_for(duty_a).post(
        reverse("register:duty-contact", kwargs={"pk": person_a.pk}),
        {"caller": "Neighbour, Mr Jones", "about": "Has not seen her for three days"},
    )
    assert response.status_code == 302
    alert = ContactAlert.objects.get()
    url = reverse("register:alert", kwargs={"alert_pk": alert.pk})
    assert client_for(police_b).post(url).status_code == 404
    assert client_for(duty_a).post(url).status_code == 403
    named = client_for(practitioner_a)
    assert "Has not seen her for three days" in named.get(url).content.decode()
    assert named.post(url).status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == practitioner_a
    assert f"by {escape(practitioner_a.full_name)}" in named.get(url).content.decode()
    entry_page = named.get(reverse("register:entry", kwargs={"entry_pk": entry_a.pk})).content.decode()
    assert f"Neighbour, Mr Jones. Acknowledged by {escape(practitioner_a.full_name)}" in entry_page


def test_opening_the_full_record_asks_for_a_purpose_which_is_audited(client_for, duty_a, person_a):
    client = client_for(duty_a)
    url = reverse("register:duty-open", kwargs={"pk": person_a.pk})
    missing = client.post(url, {"purpose": ""})
    assert "Say why you need the full record" in missing.content.decode()
    response = client.post(url, {"purpose": "Caller reports a fall; checking the care plan"})
    assert response["Location"] == f"/people/{person_a.pk}/"
    assert AuditEvent.objects.filter(
        actor_user=duty_a, action=AuditAction.VIEW, purpose="Caller reports a fall; checking the care plan"
    ).exists()


def test_a_care_provider_reports_support_not_delivered_from_the_person_page(
    client_for, police_b, person_a, entry_a, practitioner_a
):
    url = reverse("register:support", kwargs={"pk": person_a.pk})
    today = datetime.date.today()  # noqa: DTZ011 (a form's date parts)
    for missed in ("Morning call", "Evening call"):
        response = client_for(police_b).post(
            url,
            {
                "missed_on_0": today.day,
                "missed_on_1": today.month,
                "missed_on_2": today.year,
                "what_was_missed": missed,
                "why": "no_answer",
            },
        )
        assert response.status_code == 302
    assert person_a.support_not_delivered.count() == 2
    # Two missed in seven days reach entry_a's trigger: the review task shows on the entry.
    entry_page = client_for(practitioner_a).get(reverse("register:entry", kwargs={"entry_pk": entry_a.pk}))
    assert "2 reports of support not delivered in 7 days (threshold 2)" in entry_page.content.decode()


def _count(client, method, url, data=None):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == 200
    return len(queries), "\n".join(q["sql"] for q in queries.captured_queries)


def _more_entries(manager, team, named, how_many):
    from marm.register.services import register_entry_add, register_process_add

    for index in range(how_many):
        person = PersonFactory(created_by=manager, family_name=f"Thornbury{index}")
        entry = register_entry_add(
            acting_user=manager, team=team, person=person, criteria=["b"], named_professional=named, reason="x"
        )
        register_process_add(acting_user=named, entry=entry, kind="cpa", started_on=datetime.date(2025, 1, 1))


def test_the_register_page_does_not_grow_with_the_register(client_for, entry_a, manager_a, team_a, practitioner_a):
    client = client_for(practitioner_a)
    _count(client, "get", reverse("register:list"))
    before, _ = _count(client, "get", reverse("register:list"))
    _more_entries(manager_a, team_a, practitioner_a, 12)
    after, sql = _count(client, "get", reverse("register:list"))
    assert after == before, sql
    assert after <= QUERY_BUDGETS["register:list"], sql


def test_the_duty_search_does_not_grow_with_the_results(client_for, entry_a, manager_a, team_a, duty_a, practitioner_a):
    client = client_for(duty_a)
    _count(client, "post", reverse("register:duty"), {"name": "Thornbury"})
    before, _ = _count(client, "post", reverse("register:duty"), {"name": "Thornbury"})
    _more_entries(manager_a, team_a, practitioner_a, 12)
    after, sql = _count(client, "post", reverse("register:duty"), {"name": "Thornbury"})
    # On PostgreSQL a second, looser trigram pass runs only when the first finds few people: fewer, never more.
    assert after <= before, sql
    assert after <= QUERY_BUDGETS["register:duty"], sql

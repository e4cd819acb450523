"""The history of changes, as the people who may see a record read it (ADR 0032)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from marm.audit.models import AuditAction, AuditEvent
from marm.people.models import PersonAlias
from marm.people.services import person_update
from tests.budgets import QUERY_BUDGETS

pytestmark = pytest.mark.django_db


def test_the_person_history_shows_who_changed_what_from_old_to_new(practitioner_a, practitioner_a_client, person_a):
    person_update(
        acting_user=practitioner_a, person=person_a, expected_version=person_a.version, family_name="Thornbery"
    )
    response = practitioner_a_client.get(reverse("history:person", kwargs={"pk": person_a.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Person: changed" in page
    assert "Last name" in page  # the field's verbose name
    assert "Thornbury" in page and "Thornbery" in page
    assert escape(practitioner_a.get_full_name()) in page
    assert AuditEvent.objects.filter(
        actor_user=practitioner_a, action=AuditAction.VIEW, purpose="Reading the history of changes"
    ).exists()


def test_choice_values_are_shown_by_their_labels(practitioner_a, practitioner_a_client, person_a):
    PersonAlias.objects.create(
        person=person_a, given_name="Meg", family_name="Thorn", kind="known_as", created_by=practitioner_a
    )
    page = practitioner_a_client.get(reverse("history:person", kwargs={"pk": person_a.pk})).content.decode()
    label = PersonAlias._meta.get_field("kind").flatchoices
    assert dict(label)["known_as"] in page
    assert ">known_as<" not in page


def test_a_change_outside_marm_is_marked(practitioner_a_client, person_a):
    from marm.people.models import Person

    Person.objects.filter(pk=person_a.pk).update(preferred_name="Peggy")
    page = practitioner_a_client.get(reverse("history:person", kwargs={"pk": person_a.pk})).content.decode()
    assert "Outside marm" in page
    assert "Peggy" in page


def test_another_agency_gets_404_for_the_person_and_case_history(gp_c_client, gp_c, person_a, accepted_case):
    for url in (
        reverse("history:person", kwargs={"pk": person_a.pk}),
        reverse("history:case", kwargs={"case_pk": accepted_case.pk}),
    ):
        response = gp_c_client.get(url)
        assert response.status_code == 404
        assert "Thornbury" not in response.content.decode()
    assert AuditEvent.objects.filter(actor_user=gp_c, action=AuditAction.DENIED).count() == 2


def test_the_case_history_shows_the_case_changes_and_is_linked_from_the_case_page(practitioner_a_client, accepted_case):
    url = reverse("history:case", kwargs={"case_pk": accepted_case.pk})
    case_page = practitioner_a_client.get(reverse("cases:detail", kwargs={"case_pk": accepted_case.pk}))
    assert url in case_page.content.decode()
    page = practitioner_a_client.get(url).content.decode()
    assert "Case: created" in page
    assert "Case: changed" in page  # screened and accepted


def test_the_person_page_links_to_the_history(practitioner_a_client, person_a):
    page = practitioner_a_client.get(reverse("people:detail", kwargs={"pk": person_a.pk})).content.decode()
    assert reverse("history:person", kwargs={"pk": person_a.pk}) in page


def test_a_partner_without_full_access_to_the_case_sees_no_case_records_in_the_person_history(
    police_b_client, practitioner_a, person_a, accepted_case
):
    """Agency B is involved with the person but takes no part in the case."""
    page = police_b_client.get(reverse("history:person", kwargs={"pk": person_a.pk})).content.decode()
    assert "Person: created" in page
    assert "Case: created" not in page
    assert police_b_client.get(reverse("history:case", kwargs={"case_pk": accepted_case.pk})).status_code == 404


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


def test_the_history_page_costs_the_same_queries_however_many_changes(practitioner_a, practitioner_a_client, person_a):
    url = reverse("history:person", kwargs={"pk": person_a.pk})
    person_update(acting_user=practitioner_a, person=person_a, expected_version=person_a.version, preferred_name="Peg")
    few, _ = _count(practitioner_a_client, url)
    for index in range(15):
        person_a.refresh_from_db()
        person_update(
            acting_user=practitioner_a,
            person=person_a,
            expected_version=person_a.version,
            preferred_name=f"Peg {index}",
        )
        PersonAlias.objects.create(
            person=person_a, given_name=f"Alias{index}", family_name="X", kind="known_as", created_by=practitioner_a
        )
    many, sql = _count(practitioner_a_client, url)
    assert many == few, "\n".join(sql)
    assert many <= QUERY_BUDGETS["history:person"], "\n".join(sql)

"""Busy pages cost a fixed number of queries, however much data there is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marm.people.models import Address, PersonAlias, PersonIdentifier, RelatedPerson
from tests.budgets import QUERY_BUDGETS
from tests.factories import AgencyFactory, PersonFactory
from tests.test_url_sweep import url_patterns

pytestmark = pytest.mark.django_db


def test_each_budget_names_a_page_that_exists():
    names = {name for name, _route in url_patterns()}
    assert [key for key in QUERY_BUDGETS if key.split(" (")[0] not in names] == []


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


def _add_records(person, user, how_many):
    for index in range(how_many):
        PersonAlias.objects.create(person=person, given_name=f"Alias{index}", family_name="X", created_by=user)
        Address.objects.create(person=person, line_1=f"{index} Road", town="Town", created_by=user)
        RelatedPerson.objects.create(person=person, name=f"Rel {index}", relationship="family", created_by=user)
        agency = AgencyFactory()
        PersonIdentifier.objects.create(person=person, agency=agency, label="Ref", value=str(index), created_by=user)


def test_the_person_page_does_not_grow_with_the_record(practitioner_a_client, practitioner_a):
    small = PersonFactory(created_by=practitioner_a)
    large = PersonFactory(created_by=practitioner_a, involved=[practitioner_a.agency, *AgencyFactory.create_batch(5)])
    _add_records(small, practitioner_a, 1)
    _add_records(large, practitioner_a, 15)
    _count(practitioner_a_client, reverse("people:detail", kwargs={"pk": small.pk}))  # warm: audit chain exists
    small_count, _ = _count(practitioner_a_client, reverse("people:detail", kwargs={"pk": small.pk}))
    large_count, sql = _count(practitioner_a_client, reverse("people:detail", kwargs={"pk": large.pk}))
    assert large_count == small_count, "\n".join(sql)
    assert large_count <= QUERY_BUDGETS["people:detail"], "\n".join(sql)


def test_the_home_page_does_not_grow_with_the_caseload(practitioner_a_client, practitioner_a):
    before, _ = _count(practitioner_a_client, reverse("dashboards:home"))
    PersonFactory.create_batch(30, created_by=practitioner_a)
    after, sql = _count(practitioner_a_client, reverse("dashboards:home"))
    assert after == before, "\n".join(sql)
    assert after <= QUERY_BUDGETS["dashboards:home"], "\n".join(sql)


def test_the_home_page_does_not_grow_with_cases_led_or_concerns_to_screen(client_for, manager_a, practitioner_a):
    from marm.cases.services import case_raise, case_screen, lead_professional_allocate

    def add_case():
        person = PersonFactory(created_by=practitioner_a)
        case = case_raise(acting_user=practitioner_a, person=person, what_is_happening="Self-neglect")
        return case

    first = add_case()
    case_screen(
        acting_user=manager_a,
        case=first,
        s42_duty_applies="no",
        better_process="none",
        outcome="accept",
        rationale="Fits",
    )
    lead_professional_allocate(acting_user=manager_a, case=first, user=manager_a, rationale="Knows them")
    add_case()
    client = client_for(manager_a)
    before, _ = _count(client, reverse("dashboards:home"))
    for _ in range(20):
        case = add_case()
        if _ % 2:
            case_screen(
                acting_user=manager_a,
                case=case,
                s42_duty_applies="no",
                better_process="none",
                outcome="accept",
                rationale="Fits",
            )
            lead_professional_allocate(acting_user=manager_a, case=case, user=manager_a, rationale="Knows them")
    after, sql = _count(client, reverse("dashboards:home"))
    page = client.get(reverse("dashboards:home")).content.decode()
    assert "Cases you lead" in page and "Concerns to screen" in page
    assert after == before, "\n".join(sql)
    assert after <= QUERY_BUDGETS["dashboards:home (manager)"], "\n".join(sql)

"""The engagement, closure and s42 pages cost a fixed number of queries however much is recorded."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marm.chronology.services import chronology_entry_add
from marm.closure import services
from marm.people.models import AgencyInvolvement, InvolvementBasis
from tests.budgets import QUERY_BUDGETS
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


def _busy(case, practitioner, manager, person, how_many, today, reflect):
    for index in range(how_many):
        services.engagement_attempt_log(
            acting_user=practitioner,
            case=case,
            strategy="appointment",
            attempted_on=today - datetime.timedelta(days=index),
            outcome="did_not_attend",
        )
        reflect(practitioner, case)
        agency = AgencyFactory()
        writer = UserFactory(agency=agency, roles=["practitioner"])
        AgencyInvolvement.objects.create(
            person=person, agency=agency, basis=InvolvementBasis.SHARING_DECISION, started_by=practitioner
        )
        chronology_entry_add(
            acting_user=writer,
            person=person,
            occurred_on=today,
            entry_type="contact",
            summary="Phoned",
            significance="routine",
        )
        provider = AgencyFactory()
        services.support_provider_record(acting_user=practitioner, case=case, agency=provider, support="Meals")
        services.agency_check_record(
            acting_user=practitioner,
            case=case,
            agency=agency,
            spoke_to="Someone",
            checked_on=today,
            what_they_said="OK",
        )


@pytest.mark.parametrize("name", ["closure:engagement", "closure:closure"])
def test_the_page_does_not_grow_with_the_record(
    client_for, manager_a, practitioner_a, person_a, live_case, today, reflect, name
):
    client = client_for(manager_a)
    url = reverse(name, kwargs={"case_pk": live_case.pk})
    _busy(live_case, practitioner_a, manager_a, person_a, 1, today, reflect)
    _count(client, url)  # warm: the audit chain exists
    small, _ = _count(client, url)
    _busy(live_case, practitioner_a, manager_a, person_a, 12, today, reflect)
    large, sql = _count(client, url)
    assert large == small, "\n".join(sql)
    assert large <= QUERY_BUDGETS[name], "\n".join(sql)


def test_the_case_page_holds_with_the_panel(client_for, manager_a, practitioner_a, person_a, live_case, today, reflect):
    client = client_for(manager_a)
    url = reverse("cases:detail", kwargs={"case_pk": live_case.pk})
    _count(client, url)
    small, _ = _count(client, url)
    _busy(live_case, practitioner_a, manager_a, person_a, 10, today, reflect)
    large, sql = _count(client, url)
    assert large == small, "\n".join(sql)

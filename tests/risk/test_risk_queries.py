"""The risk pages and the case page cost a fixed number of queries, however many versions,
contributions, assessments and copies there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marm.risk.services import adult_copy_give, risk_assessment_start
from tests.budgets import QUERY_BUDGETS
from tests.risk import helpers

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), "\n".join(q["sql"] for q in queries.captured_queries)


def _another_round(case, practitioner, police):
    version = risk_assessment_start(acting_user=practitioner, case=case)
    helpers.fill_draft(police, version)
    helpers.fill_draft(practitioner, version, likelihood=2)
    agreed = helpers.agree(practitioner, version)
    helpers.assess(practitioner, case, helpers.LACKS)
    adult_copy_give(
        acting_user=practitioner, version=agreed, format="easy_read", given_on=timezone.localdate(), given_how="post"
    )


@pytest.mark.parametrize("page", ["risk:assessment", "risk:capacity", "risk:copies", "cases:detail"])
def test_pages_do_not_grow_with_versions(client_for, led_case, practitioner_a, police_b, page):
    client = client_for(practitioner_a)
    url = reverse(page, kwargs={"case_pk": led_case.pk})
    _another_round(led_case, practitioner_a, police_b)
    _count(client, url)  # warm
    small, _ = _count(client, url)
    for _ in range(3):
        _another_round(led_case, practitioner_a, police_b)
    large, sql = _count(client, url)
    assert large == small, sql
    assert large <= QUERY_BUDGETS["cases:detail (risk)" if page == "cases:detail" else page], sql

"""The review page costs a fixed number of queries however many recommendations, actions and
organisations the plan holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marm.sar import services
from marm.sar.vocab import Rag
from tests.budgets import QUERY_BUDGETS
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

BUDGET = {"board_officer": "sar:review", "police_b": "sar:review (nominated contact)"}


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


def _grow(plan, officer, how_many):
    """More organisations (each with a contact and a single-agency plan), themes, recommendations and
    actions, with progress reported on each."""
    review = plan.review
    for index in range(how_many):
        agency = AgencyFactory()
        contact = UserFactory(agency=agency, roles=["practitioner"])
        organisation = services.review_organisation_add(
            acting_user=officer, review=review, agency=agency, contact=contact
        )
        services.single_agency_plan_add(
            acting_user=officer,
            review_organisation=organisation,
            title=f"Plan {index}",
            received_on=review.referred_on,
        )
        theme = services.theme_add(acting_user=officer, review=review, title=f"Theme {index}")
        number = review.recommendations.count() + 1
        recommendation = services.recommendation_add(
            acting_user=officer, review=review, theme=theme, number=number, text="Recommendation"
        )
        services.recommendation_respond(acting_user=officer, recommendation=recommendation, response="accepted")
        action = services.review_action_add(acting_user=officer, recommendation=recommendation, text="Action")
        for entry in action.progress.select_related("review_organisation"):
            services.progress_update(
                acting_user=officer, progress=entry, expected_version=entry.version, text="Done", rag=Rag.GREEN
            )


@pytest.mark.parametrize("persona", ["board_officer", "police_b"])
def test_the_review_page_does_not_grow_with_the_plan(request, client_for, board_officer, plan, persona):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("sar:review", kwargs={"review_id": plan.review.pk})
    _count(client, url)  # warm
    small, _ = _count(client, url)
    _grow(plan, board_officer, 6)
    large, sql = _count(client, url)
    assert large == small, "\n".join(sql)
    assert large <= QUERY_BUDGETS[BUDGET[persona]], "\n".join(sql)


def test_the_reviews_list_does_not_grow_with_reviews(client_for, board_officer, plan):
    client = client_for(board_officer)
    url = reverse("sar:list")
    _count(client, url)
    small, _ = _count(client, url)
    _grow(plan, board_officer, 3)
    for number in range(5):
        services.review_create(
            acting_user=board_officer,
            reference=f"SAR-9{number}",
            title="Another",
            adults="Z",
            referred_on=plan.review.referred_on,
            adult_died=False,
        )
    large, sql = _count(client, url)
    assert large == small, "\n".join(sql)
    assert large <= QUERY_BUDGETS["sar:list"], "\n".join(sql)

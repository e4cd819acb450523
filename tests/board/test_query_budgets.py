"""The plan page and the board's home cost a fixed number of queries however big the plan is."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marm.board import services
from marm.board.models import Rag
from tests.board.conftest import report
from tests.budgets import QUERY_BUDGETS

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


def _grow(officer, plan, subgroup, agency, *, priorities, actions, today):
    """Priorities, each with two objectives of ``actions`` actions, some with progress and a measure."""
    start = plan.priorities.count()
    for number in range(start + 1, start + priorities + 1):
        priority = services.priority_create(
            acting_user=officer,
            plan=plan,
            code=f"SAB{number}",
            title=f"Priority {number}",
            statement="Statement",
            rationale="- One\n- Two",
            delivery_mechanism=subgroup,
        )
        for _ in range(2):
            objective = services.objective_create(acting_user=officer, priority=priority, text="Objective")
            for index in range(actions):
                action = services.action_create(
                    acting_user=officer,
                    objective=objective,
                    what=f"Action {index}",
                    due_date=today - datetime.timedelta(days=index),
                    responsible_subgroup=subgroup if index % 2 else None,
                    responsible_agency=None if index % 2 else agency,
                    measure_code="MEET1",
                )
                report(officer, action, rag=Rag.GREEN)
                report(officer, action, rag=Rag.COMPLETE, evidence="Report")


@pytest.mark.parametrize("page", ["board:plan", "board:home"])
def test_the_plan_does_not_cost_more_queries_as_it_grows(
    client_for, board_officer, plan, procedures, agency_a, today, page
):
    client = client_for(board_officer)
    url = reverse(page, kwargs={"plan_id": plan.pk} if page == "board:plan" else {})
    _grow(board_officer, plan, procedures, agency_a, priorities=1, actions=1, today=today)
    _count(client, url)
    before, _ = _count(client, url)
    _grow(board_officer, plan, procedures, agency_a, priorities=3, actions=4, today=today)
    services.business_plan_create(acting_user=board_officer, title="Another plan", year=2026)
    after, sql = _count(client, url)
    assert after == before, "\n".join(sql)
    assert after <= QUERY_BUDGETS[page], "\n".join(sql)

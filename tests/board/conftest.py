import datetime

import pytest

from marm.board import services


@pytest.fixture
def today():
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def procedures(board_officer):
    return services.subgroup_create(acting_user=board_officer, name="Procedures Subgroup")


@pytest.fixture
def plan(board_officer):
    return services.business_plan_create(acting_user=board_officer, title="Business Development Plan", year=2025)


@pytest.fixture
def priority(board_officer, plan, procedures):
    return services.priority_create(
        acting_user=board_officer,
        plan=plan,
        code="SAB1",
        title="Effective Multi-Agency meetings",
        joint_with="Joint with Leicester SAB",
        statement="Multi-agency meetings regarding vulnerable adults are effective",
        rationale="- Gaps in attendance\n- No voice of the service user\n  - Or of advocacy",
        what_different="Practitioners are more confident.",
        partnership_lead="Local Authority - TBC",
        board_officer="to be allocated",
        delivery_mechanism=procedures,
    )


@pytest.fixture
def objective(board_officer, priority):
    return services.objective_create(
        acting_user=board_officer, priority=priority, text="An effective structure is in place"
    )


@pytest.fixture
def action(board_officer, objective, procedures, today):
    return services.action_create(
        acting_user=board_officer,
        objective=objective,
        what="Review and report on multi-agency meetings",
        due_date=today + datetime.timedelta(days=30),
        due_text="Next month",
        responsible_subgroup=procedures,
        how_measured="Report to the Board",
    )


def report(officer, action, *, rag="green", evidence="", reason="", on=None):
    from django.utils import timezone

    return services.action_progress_add(
        acting_user=officer,
        action=action,
        reported_on=on or timezone.localdate(),
        note="Work done",
        evidence=evidence,
        rag=rag,
        rag_reason=reason,
    )

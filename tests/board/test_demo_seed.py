"""The demo loads the board's business plan 2019-20 (003) as it is written, once."""

import pytest
from django.urls import reverse

from marm.board.models import ActionProgress, BusinessPlan, Objective, PlanAction, Priority, Rag, Subgroup
from marm.demo.board_seed import PLAN_TITLE, seed_business_plan

pytestmark = pytest.mark.django_db


def test_the_plan_loads_sab1_to_sab4_with_their_objectives_and_actions(board_officer):
    plan = seed_business_plan(board_officer)
    assert (plan.title, plan.year) == (PLAN_TITLE, 2019)
    priorities = list(Priority.objects.filter(plan=plan))
    assert [p.code for p in priorities] == ["SAB1", "SAB2", "SAB3", "SAB4"]
    assert [p.title for p in priorities] == [
        "Effective Multi-Agency meetings / Effective Support Pathways",
        "Mental Capacity",
        "Adult Exploitation",
        "Safeguarding in Transitions",
    ]
    assert [Objective.objects.filter(priority=p).count() for p in priorities] == [2, 3, 2, 2]
    assert [PlanAction.objects.filter(objective__priority=p).count() for p in priorities] == [4, 4, 5, 3]
    sab1, sab2, sab3, sab4 = priorities
    assert sab1.joint_with == sab4.joint_with == "Joint with Leicester SAB" and not sab2.joint_with
    assert [p.partnership_lead for p in priorities] == [
        "Local Authority - TBC",
        "Health - tbc",
        "Police – TBC",
        "Council chair the transitions subgroup",
    ]
    assert {p.board_officer for p in priorities} == {"to be allocated"}
    assert sab1.delivery_mechanism.name == "Procedures Subgroup"
    assert sab4.delivery_mechanism.name == "LLR Transitions Subgroup"
    assert sab2.delivery_mechanism is None and sab3.delivery_mechanism is None
    assert "Lack of awareness amongst multi-agency practitioners of JAGs and how to access." in sab1.rationale
    audit = PlanAction.objects.get(how_measured="Audit engagement in meetings.")
    assert audit.measure_code == "MEET1" and audit.objective.priority == sab1 and audit.due_text == "Dec 2019"
    as_required = PlanAction.objects.get(due_text="As required")
    assert (
        as_required.due_date is None
        and as_required.responsible_subgroup.name == "Executive / Local Improvement Network"
    )
    assert PlanAction.objects.get(what="Case file audit").responsible_subgroup.name == "Audit Subgroup"


def test_some_actions_have_progress_one_red_and_one_complete_waiting_for_sign_off(board_officer):
    seed_business_plan(board_officer)
    red = ActionProgress.objects.get(rag=Rag.RED)
    assert red.rag_reason and red.plan_action.what.startswith("Finish current work")
    waiting = [
        action
        for action in PlanAction.objects.filter(signed_off_at__isnull=True)
        if action.progress.order_by("-reported_on").first()
        and action.progress.order_by("-reported_on")[0].rag == Rag.COMPLETE
    ]
    assert [action.what[:40] for action in waiting] == ["Review and report on the current variety"]
    assert PlanAction.objects.filter(signed_off_at__isnull=False).count() == 1


def test_loading_twice_makes_one_plan(board_officer):
    seed_business_plan(board_officer)
    counts = (Subgroup.objects.count(), PlanAction.objects.count(), ActionProgress.objects.count())
    seed_business_plan(board_officer)
    assert BusinessPlan.objects.count() == 1
    assert (Subgroup.objects.count(), PlanAction.objects.count(), ActionProgress.objects.count()) == counts


def test_the_demo_plan_page_shows_the_plan(client_for, board_officer):
    plan = seed_business_plan(board_officer)
    page = client_for(board_officer).get(reverse("board:plan", kwargs={"plan_id": plan.pk})).content.decode()
    assert "Priority SAB4 (Joint with Leicester SAB)" in page
    assert "Agencies attending the meetings they were invited to" in page
    assert page.count('<strong class="govuk-tag govuk-tag--red">Overdue</strong>') == 14
    assert page.count("Complete, not signed off</strong>") == 1

"""The plan's part of the case page's "what next" (registered in PlansConfig.ready)."""

from django.db.models import Exists, F, Func, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from marm.cases.lifecycle import IN_MARM
from marm.cases.next_steps import Step, StepState, register_next_steps
from marm.plans.models import Action, ContingencyPlan
from marm.plans.vocab import LIVE_STATUSES


def _count(queryset):
    """How many rows ``queryset`` (filtered on the outer case) holds, as a subquery: no join, no grouping."""
    return Coalesce(Subquery(queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1]), 0)


def plan_facts(*, case) -> dict:
    """How many actions, how many overdue, and whether a contingency plan is agreed."""
    if case.status not in IN_MARM:
        return {}
    actions = Action.objects.filter(case=OuterRef("pk"))
    return {
        "actions_count": _count(actions),
        "overdue": _count(actions.filter(status__in=LIVE_STATUSES, due_date__lt=timezone.localdate())),
        "has_contingency": Exists(ContingencyPlan.objects.filter(case=OuterRef("pk"))),
    }


def plan_steps(*, user, case, facts) -> list[Step]:
    """Overdue actions, and the contingency plan (from ``plan_facts``)."""
    if case.status not in IN_MARM:
        return []
    plan = reverse("plans:case-plan", kwargs={"case_pk": case.pk})
    steps = []
    if facts["overdue"]:
        number = facts["overdue"]
        steps.append(
            Step(
                f"{number} {'action is' if number == 1 else 'actions are'} overdue",
                StepState.OVERDUE,
                url=plan,
                order=70,
            )
        )
    elif facts["actions_count"]:
        steps.append(Step("No action is overdue", StepState.DONE, url=plan, order=70))
    steps.append(
        Step(
            "The contingency plan is agreed"
            if facts["has_contingency"]
            else "Agree the contingency plan: what to do if things get worse",
            StepState.DONE if facts["has_contingency"] else StepState.TO_DO,
            url=plan if facts["has_contingency"] else reverse("plans:contingency-new", kwargs={"case_pk": case.pk}),
            order=80,
        )
    )
    return steps


def register() -> None:
    register_next_steps("plans", plan_steps, facts=plan_facts)

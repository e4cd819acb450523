"""The plan's part of the case page's "what next" (registered in PlansConfig.ready)."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from marm.cases.lifecycle import IN_MARM
from marm.cases.models import Case
from marm.cases.next_steps import Step, StepState, register_next_steps
from marm.plans.models import ContingencyPlan
from marm.plans.vocab import LIVE_STATUSES


def plan_steps(*, user, case) -> list[Step]:
    """Overdue actions, and the contingency plan. One query."""
    if case.status not in IN_MARM:
        return []
    today = timezone.localdate()
    facts = (
        Case.objects.filter(pk=case.pk)
        .annotate(
            actions_count=Count("actions", distinct=True),
            overdue=Count(
                "actions", filter=Q(actions__status__in=LIVE_STATUSES, actions__due_date__lt=today), distinct=True
            ),
            has_contingency=Exists(ContingencyPlan.objects.filter(case=OuterRef("pk"))),
        )
        .values("actions_count", "overdue", "has_contingency")
        .get()
    )
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
    register_next_steps("plans", plan_steps)

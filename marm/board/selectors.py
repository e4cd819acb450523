"""Reads of the business plan. Nothing here is about a person, so nothing is scoped to an agency:
the rules let only the board officer in (marm/board/rules.py).

Each action carries its latest progress report (its current RAG) as annotations, so
a plan reads in a fixed number of queries however many priorities and actions it has.
"""

import datetime

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import Http404

from marm.assurance import registry
from marm.board.models import ActionProgress, BusinessPlan, Objective, PlanAction, Priority, Rag, Subgroup


def _latest_progress():
    return ActionProgress.objects.filter(plan_action=OuterRef("pk")).order_by("-reported_on", "-recorded_at", "-pk")


def _with_latest(queryset):
    """Each action with its latest report's RAG status and date (None before any report)."""
    latest = _latest_progress()
    return queryset.annotate(
        latest_rag=Subquery(latest.values("rag")[:1]),
        latest_reported_on=Subquery(latest.values("reported_on")[:1]),
    )


def _get(queryset, pk, what: str):
    try:
        return queryset.get(pk=int(pk))
    except (ValueError, TypeError, queryset.model.DoesNotExist):
        raise Http404(f"No such {what}") from None


def plans_with_counts(*, today: datetime.date) -> list[BusinessPlan]:
    """Every plan, newest year first, each with how many actions it has, how many are overdue
    (due date passed, not signed off) and how many are unassured (complete, not signed off)."""
    plans = list(BusinessPlan.objects.all())
    counts = {
        row["objective__priority__plan"]: row
        for row in _with_latest(PlanAction.objects.all())
        .values("objective__priority__plan")
        .annotate(
            total=Count("pk"),
            overdue=Count("pk", filter=Q(due_date__lt=today, signed_off_at__isnull=True)),
            unassured=Count("pk", filter=Q(latest_rag=Rag.COMPLETE, signed_off_at__isnull=True)),
        )
        .order_by()
    }
    for plan in plans:
        row = counts.get(plan.pk, {})
        plan.action_count = row.get("total", 0)
        plan.overdue_count = row.get("overdue", 0)
        plan.unassured_count = row.get("unassured", 0)
    return plans


def plan_get(*, plan_id) -> BusinessPlan:
    return _get(BusinessPlan.objects.all(), plan_id, "plan")


def plan_in_full(*, plan_id) -> BusinessPlan:
    """A plan with its priorities, objectives and actions (each with its latest RAG), in five queries."""
    actions = _with_latest(PlanAction.objects.select_related("responsible_subgroup", "responsible_agency"))
    objectives = Objective.objects.select_related("baseline_survey", "follow_up_survey").prefetch_related(
        Prefetch("actions", queryset=actions, to_attr="actions_list")
    )
    priorities = Priority.objects.select_related("delivery_mechanism").prefetch_related(
        Prefetch("objectives", queryset=objectives, to_attr="objectives_list")
    )
    queryset = BusinessPlan.objects.prefetch_related(
        Prefetch("priorities", queryset=priorities, to_attr="priorities_list")
    )
    return _get(queryset, plan_id, "plan")


def priority_get(*, priority_id) -> Priority:
    return _get(Priority.objects.select_related("plan", "delivery_mechanism"), priority_id, "priority")


def objective_get(*, objective_id) -> Objective:
    return _get(Objective.objects.select_related("priority__plan"), objective_id, "objective")


def action_get(*, action_id) -> PlanAction:
    """One action with its objective, priority and plan, its latest RAG, and its progress, newest first."""
    queryset = _with_latest(
        PlanAction.objects.select_related(
            "objective__priority__plan", "responsible_subgroup", "responsible_agency", "signed_off_by"
        )
    ).prefetch_related(
        Prefetch(
            "progress",
            queryset=ActionProgress.objects.select_related("recorded_by").order_by(
                "-reported_on", "-recorded_at", "-pk"
            ),
            to_attr="progress_list",
        )
    )
    return _get(queryset, action_id, "action")


def subgroups():
    return Subgroup.objects.order_by("name")


def subgroups_in_use() -> list[Subgroup]:
    """Every subgroup, with how many priorities it delivers and actions it is responsible for."""
    return list(
        Subgroup.objects.annotate(
            priority_count=Count("priorities", distinct=True), action_count=Count("actions", distinct=True)
        ).order_by("name")
    )


def agencies():
    from marm.organisations.models import Agency

    return Agency.objects.order_by("name")


def surveys():
    """The confidence surveys an objective may be measured by, newest first."""
    from marm.surveys.models import Survey

    return Survey.objects.order_by("-opens_on", "-pk")


def live_figures(*, codes, year: int) -> dict:
    """Each measure named, computed from the casework over the plan's financial year: one
    computation per measure, however many actions name it, the stored figures read in one query.
    Unknown codes are left out."""
    named = sorted(code for code in set(codes) if code in registry.MEASURES)
    return dict(zip(named, registry.compute_many(named, year=year), strict=True)) if named else {}


def latest_figures(*, codes, year: int, today) -> dict:
    """Where the plan's year holds no casework for a measure (a plan kept from before marm), the
    current year's figures instead, so the objective still shows what practice looks like now."""
    current = registry.financial_year_of(today)
    if year >= current:
        return {}
    return live_figures(codes=codes, year=current)


def survey_comparisons(plan) -> dict:
    """For each objective that names a survey before and after the change, the two side by side."""
    from marm.surveys.selectors import before_after

    return {
        objective.pk: before_after(objective.baseline_survey, objective.follow_up_survey)
        for priority in plan.priorities_list
        for objective in priority.objectives_list
        if objective.baseline_survey_id and objective.follow_up_survey_id
    }

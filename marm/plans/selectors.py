"""Reads of the plan. The case is fetched first through marm.cases.selectors (scoped and audited);
these read what is under it, and the user's own actions through Action.objects.visible_to(user)."""

from django.db.models import Prefetch
from django.http import Http404

from marm.cases.lifecycle import OPEN_STATUSES
from marm.plans.models import Action, ActionUpdate, ContingencyPlan, ContingencyTrigger


def actions_for_case(*, case) -> list[Action]:
    """Every action on a case the caller has read with full access, soonest due first."""
    return list(Action.objects.filter(case=case).select_related("lead_user", "agency", "meeting"))


def action_of_case(*, case, action_id) -> Action:
    action = (
        Action.objects.filter(pk=action_id, case=case)
        .select_related("lead_user", "agency", "meeting", "case")
        .prefetch_related(
            Prefetch("updates", queryset=ActionUpdate.objects.select_related("created_by__agency", "meeting"))
        )
        .first()
    )
    if action is None:
        raise Http404("No such action")
    return action


def actions_owned_by(*, user, limit: int = 50) -> list[Action]:
    """'Your actions': live actions the user leads on open cases their agency fully sees, soonest first."""
    return list(
        Action.objects.visible_to(user)
        .live()
        .filter(lead_user=user, case__status__in=OPEN_STATUSES)
        .select_related("case__person", "agency")
        .order_by("due_date", "pk")[:limit]
    )


def contingency_plans(*, case) -> list[ContingencyPlan]:
    """Every version, newest first, each with its triggers (the caller has read the case in full)."""
    return list(
        ContingencyPlan.objects.filter(case=case)
        .select_related("created_by", "agreed_at_meeting")
        .prefetch_related(Prefetch("triggers", queryset=ContingencyTrigger.objects.order_by("position")))
    )


def agencies_of_case(*, case):
    """The agencies taking part in the case (a case the caller has read in full), by name."""
    from marm.organisations.models import Agency

    return Agency.objects.filter(case_roles__case=case, case_roles__ended_at__isnull=True).order_by("name")

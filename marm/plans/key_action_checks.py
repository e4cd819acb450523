"""The plan's part in the meetings' checklists (registered in PlansConfig.ready).

000 6.1 and Appendix A stage 2: the planning meeting agrees a contingency and an escalation plan,
and a SMART action plan with timescales and a named lead against each action. Appendix A stage 3:
a review meeting updates the escalation and contingency plan. Each item is done only when the
plan's records show it.
"""

from django.urls import reverse

from marm.cases.key_action_checks import register_key_action_check
from marm.plans.models import Action, ContingencyPlan

# 000 Appendix A, stage 2: "Agree a contingency and an escalation plan".
CONTINGENCY_PLAN = "contingency_plan"
# 000 Appendix A, stage 3: "Update the escalation and contingency plan".
UPDATE_CONTINGENCY = "update_contingency"
# 000 Appendix A, stage 2: "Agree a SMART action plan, with timescales and a named lead against each action".
SMART_ACTION_PLAN = "smart_action_plan"


def _long(day) -> str:
    return f"{day.day} {day:%B %Y}"


def contingency_agreed(*, case, since) -> str:
    """'' when a contingency plan has been agreed for the case; else why not. Any version counts:
    the planning meeting agrees the first, and a later one replaces it without undoing it."""
    if ContingencyPlan.objects.filter(case=case).exists():
        return ""
    return "No contingency plan has been agreed: agree the contingency and escalation plan first"


def contingency_updated(*, case, since) -> str:
    """'' when a version of the contingency plan was agreed after the previous meeting's record was
    closed (``since``; any version when there was none); else why not."""
    versions = ContingencyPlan.objects.filter(case=case)
    if since is None or not versions.exists():
        return contingency_agreed(case=case, since=since)
    if versions.filter(created_at__gt=since.closed_at).exists():
        return ""
    return (
        f"No new version of the contingency plan has been agreed since the last meeting on {_long(since.day)}: "
        "agree the updated plan first"
    )


def action_plan_agreed(*, case, since) -> str:
    """'' when the case's action plan has at least one action (each has a due date and a named lead
    by construction); else why not."""
    if Action.objects.filter(case=case).exists():
        return ""
    return "The action plan has no actions: add each action, with its due date and named lead, first"


def _agree_contingency(case) -> tuple[str, str]:
    return "Agree the contingency and escalation plan", reverse("plans:contingency-new", kwargs={"case_pk": case.pk})


def _add_action(case) -> tuple[str, str]:
    return "Add an action to the plan", reverse("plans:action-add", kwargs={"case_pk": case.pk})


def register() -> None:
    register_key_action_check(CONTINGENCY_PLAN, contingency_agreed, where=_agree_contingency)
    register_key_action_check(UPDATE_CONTINGENCY, contingency_updated, where=_agree_contingency)
    register_key_action_check(SMART_ACTION_PLAN, action_plan_agreed, where=_add_action)

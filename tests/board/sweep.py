"""The board URLs in the URL sweep (tests/sweep.py): pages that hold no person."""

from tests.sweep import GENERAL

NAMESPACES = ("board",)

URLS = {
    "board:home": GENERAL,
    "board:plan-new": GENERAL,
    "board:plan": GENERAL,
    "board:plan-edit": GENERAL,
    "board:priority-new": GENERAL,
    "board:priority-edit": GENERAL,
    "board:objective-new": GENERAL,
    "board:objective-edit": GENERAL,
    "board:action-new": GENERAL,
    "board:action": GENERAL,
    "board:action-edit": GENERAL,
    "board:action-sign-off": GENERAL,
    "board:subgroups": GENERAL,
    "board:annual-report": GENERAL,
    "board:annual-report-pdf": GENERAL,
}


def objects(shared):
    """A plan with one priority, objective and action, kept by a board officer."""
    from marm.board import services
    from marm.organisations.models import Role
    from tests.factories import UserFactory

    officer = UserFactory(agency=shared["practitioner_a"].agency, roles=[Role.BOARD_OFFICER])
    plan = services.business_plan_create(acting_user=officer, title="Business plan", year=2025)
    priority = services.priority_create(
        acting_user=officer, plan=plan, code="SAB1", title="Effective meetings", statement="Meetings work"
    )
    objective = services.objective_create(acting_user=officer, priority=priority, text="Meetings are effective")
    action = services.action_create(acting_user=officer, objective=objective, what="Audit", due_text="As required")
    return {
        "plan_id": plan.pk,
        "priority_id": priority.pk,
        "objective_id": objective.pk,
        "action_id": action.pk,
        "year": 2025,
    }

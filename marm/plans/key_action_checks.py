"""The contingency plan's part in the meetings' checklists (registered in PlansConfig.ready).

000 6.1 and Appendix A stage 2: the planning meeting agrees a contingency and an escalation plan.
The item is done only when a version of the contingency plan exists for the case.
"""

from marm.cases.key_action_checks import register_key_action_check
from marm.plans.models import ContingencyPlan

# 000 Appendix A, stage 2: "Agree a contingency and an escalation plan".
CONTINGENCY_PLAN = "contingency_plan"


def contingency_agreed(*, case, since) -> str:
    """'' when a contingency plan has been agreed for the case; else why not. Any version counts:
    the planning meeting agrees the first, and a later one replaces it without undoing it."""
    if ContingencyPlan.objects.filter(case=case).exists():
        return ""
    return "No contingency plan has been agreed: agree the contingency and escalation plan first"


def register() -> None:
    register_key_action_check(CONTINGENCY_PLAN, contingency_agreed)

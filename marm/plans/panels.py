"""The plan's panels (registered in PlansConfig.ready): the contingency plan on a contact alert,
so the named professional sees at once what the plan says to do and who to call."""

from marm.core.panels import register_panel
from marm.plans.selectors import contingency_plans


def _contingency(*, user, case) -> dict:
    plans = contingency_plans(case=case)
    return {"contingency": plans[0] if plans else None, "case": case}


def register() -> None:
    register_panel(
        page="contact-alert",
        name="contingency",
        template="plans/_alert_contingency.html",
        context=_contingency,
        region="main",
    )

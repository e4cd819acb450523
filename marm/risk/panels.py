"""The risk app's panel on the case page (registered in RiskConfig.ready)."""

from marm.core.panels import register_panel
from marm.risk.selectors import case_risk_summary


def register() -> None:
    register_panel(
        page="case",
        name="risk",
        template="risk/_case_block.html",
        context=lambda *, user, case: {"risk": case_risk_summary(user=user, case=case)},
        order=10,
    )

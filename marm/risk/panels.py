"""The risk app's panel on the case page (registered in RiskConfig.ready)."""

from marm.core.panels import register_panel
from marm.risk.selectors import advocacy_referrals_for_case, case_risk_summary


def register() -> None:
    register_panel(
        page="case",
        name="risk",
        template="risk/_case_block.html",
        context=lambda *, user, case: {"risk": case_risk_summary(user=user, case=case)},
        order=10,
    )
    # 000 5.1: advocacy for the adult, tracked from the request to its outcome.
    register_panel(
        page="case",
        name="advocacy",
        template="risk/_advocacy_panel.html",
        context=lambda *, user, case: {
            "advocacy": advocacy_referrals_for_case(user=user, case=case),
            "can_refer_for_advocacy": user.has_perm("risk.refer_for_advocacy", case),
        },
        order=11,
    )

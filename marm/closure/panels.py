"""The closure app's panel on the case page (registered in ClosureConfig.ready)."""

from marm.closure.selectors import case_panel
from marm.core.panels import register_panel


def register() -> None:
    register_panel(
        page="case",
        name="closure",
        template="closure/_case_panel.html",
        context=lambda *, user, case: {"closure_panel": case_panel(user=user, case=case)},
        order=20,
    )

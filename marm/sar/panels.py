"""The reviews a nominated contact reports on, on their "Your work" page (registered in SarConfig.ready)."""

from marm.access.roles import Role, has_role
from marm.core.panels import register_panel
from marm.sar.selectors import reviews_reported_on


def _reviews(*, user):
    if has_role(user, Role.BOARD_OFFICER):
        return None  # the board officer reaches every review from the board's home
    reviews = reviews_reported_on(user=user)
    return {"reviews": reviews} if reviews else None


def register() -> None:
    register_panel(page="home", name="sar-reviews", template="sar/_home_panel.html", context=_reviews, region="main")

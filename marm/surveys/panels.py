"""'Surveys for you' on the "Your work" page (registered in SurveysConfig.ready)."""

from marm.core.panels import register_panel
from marm.surveys.selectors import surveys_for_user


def _surveys(*, user):
    invitations = surveys_for_user(user=user)
    return {"invitations": invitations} if invitations else None


def register() -> None:
    register_panel(
        page="home", name="surveys-for-you", template="surveys/_home_panel.html", context=_surveys, region="main"
    )

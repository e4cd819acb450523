"""The chronology's panel on the case page (registered in ChronologyConfig.ready)."""

from marm.chronology.selectors import recent_entries
from marm.core.panels import register_panel


def register() -> None:
    register_panel(
        page="case",
        name="recent-chronology",
        template="chronology/_case_recent.html",
        context=lambda *, user, case: {"recent_chronology": recent_entries(user=user, person=case.person)},
        order=30,
    )

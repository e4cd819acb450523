"""The meetings panel on the case page (registered in MeetingsConfig.ready)."""

from marm.core.panels import register_panel
from marm.meetings.selectors import meetings_for_case


def register() -> None:
    register_panel(
        page="case",
        name="meetings",
        template="meetings/_case_meetings.html",
        context=lambda *, user, case: {
            "case_meetings": meetings_for_case(case=case),
            "can_schedule": user.has_perm("meetings.schedule_meeting", case),
        },
        region="top",
    )

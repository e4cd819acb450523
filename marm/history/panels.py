"""The history links and the contested details, on the person page and the case page."""

from marm.cases.selectors import case_access_for_user
from marm.core.panels import register_panel
from marm.history.selectors import restrictions_for_person


def register() -> None:
    register_panel(
        page="person",
        name="contested-details",
        template="history/_restricted_banner.html",
        context=lambda *, user, person: (
            {"restrictions": restrictions} if (restrictions := restrictions_for_person(person=person)) else None
        ),
        region="banner",
        order=20,
    )
    register_panel(
        page="person",
        name="person-history",
        template="history/_person_history_link.html",
        context=lambda *, user, person: {"person": person},
        order=90,
    )
    register_panel(
        page="case",
        name="case-history",
        template="history/_case_history_link.html",
        # The records under a case, and so their history, are read with full access only.
        context=lambda *, user, case: {"case": case} if case_access_for_user(user=user, case=case) == "full" else None,
        order=90,
    )

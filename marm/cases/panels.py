"""The cases panel on the person page (registered in CasesConfig.ready)."""

from marm.cases.selectors import cases_for_person
from marm.core.panels import register_panel


def _cases(*, user, person):
    return {
        "cases": cases_for_person(user=user, person=person),
        "can_raise_concern": user.has_perm("cases.raise_concern"),
    }


def register() -> None:
    register_panel(page="person", name="cases", template="cases/_person_cases.html", context=_cases, region="top")

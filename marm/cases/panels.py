"""The cases panels on the person page (registered in CasesConfig.ready)."""

from marm.cases.selectors import cases_for_person, routed_processes_for_person
from marm.core.panels import register_panel


def _cases(*, user, person):
    return {
        "cases": cases_for_person(user=user, person=person),
        "can_raise_concern": user.has_perm("cases.raise_concern"),
    }


def _routed_processes(*, user, person):
    """000 Appendix C: other processes a screening routed the person to, active or ended."""
    processes = routed_processes_for_person(user=user, person=person)
    if not processes:
        return None
    return {"routed_processes": processes}


def register() -> None:
    register_panel(page="person", name="cases", template="cases/_person_cases.html", context=_cases, region="top")
    register_panel(
        page="person",
        name="routed-processes",
        template="cases/_person_processes.html",
        context=_routed_processes,
        region="top",
        order=110,
    )

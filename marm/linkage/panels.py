"""Records of the same person, on the person page (registered in LinkageConfig.ready)."""

from marm.core.panels import register_panel
from marm.linkage.selectors import links_for_person


def register() -> None:
    register_panel(
        page="person",
        name="linked-records",
        template="linkage/_person_links.html",
        context=lambda *, user, person: {"linked_records": links_for_person(user=user, person=person)},
        order=50,
    )

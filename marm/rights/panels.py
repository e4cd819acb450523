"""The subject access requests about a person, on the person page, for auditors (RightsConfig.ready)."""

from marm.core.panels import register_panel
from marm.rights.rules import WORK_SUBJECT_ACCESS
from marm.rights.selectors import requests_for_person


def _requests(*, user, person):
    if not user.has_perm(WORK_SUBJECT_ACCESS, person):
        return None
    return {"subject_access_requests": requests_for_person(person=person)}


def register() -> None:
    register_panel(
        page="person", name="subject-access", template="rights/_person_panel.html", context=_requests, order=90
    )

"""The people app's URLs in the URL sweep (tests/sweep.py)."""

from tests.sweep import GENERAL, person

NAMESPACES = ("people",)

# Auditors read; they record nothing.
RECORD = person(auditor_a=403)

URLS = {
    "people:search": GENERAL,
    "people:create": GENERAL,
    "people:detail": person(),
    "people:edit": RECORD,
    "people:add-alias": RECORD,
    "people:add-address": RECORD,
    "people:add-identifier": RECORD,
    "people:add-related-person": RECORD,
    # Open to managers and auditors who can see the person (ADR 0002).
    "people:access-log": person(practitioner_a=403, police_b=403),
    # Emergency access (ADR 0026): the form and a manager's list name no one in particular.
    "people:emergency": GENERAL,
    "people:emergency-list": GENERAL,
    # Users whose agency is involved need no emergency access: they are sent to the full record.
    "people:emergency-record": person(practitioner_a=302, police_b=302, manager_a=302, auditor_a=302),
    # Only managers of the lead agency (A) and of the user's own agency review an emergency access.
    "people:emergency-review": person(practitioner_a=404, police_b=404, auditor_a=404),
}


def objects(shared):
    """An emergency access to person_a by a practitioner of an agency not involved with them."""
    from marm.people.services import emergency_access_open
    from tests.factories import UserFactory

    access = emergency_access_open(
        acting_user=UserFactory(),
        reason="Found at the station at night, confused; who works with her?",
        nhs_number=shared["person_a"].nhs_number,
    )
    return {"access_pk": access.pk}

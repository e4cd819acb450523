"""The subject access request URLs in the URL sweep (tests/sweep.py)."""

from tests.sweep import GENERAL, person

NAMESPACES = ("rights",)

# Auditors (information governance) work requests about people their agency can see; every other
# role that sees the person is refused the page (403), and anyone else finds nothing (404).
OFFICER = person(practitioner_a=403, police_b=403, manager_a=403)

URLS = {
    "rights:list": GENERAL,
    "rights:register": OFFICER,
    "rights:detail": OFFICER,
    "rights:identity": OFFICER,
    "rights:extend": OFFICER,
    # Gathering is a POST from the request's page.
    "rights:gather": person(practitioner_a=403, police_b=403, manager_a=403, auditor_a=405),
    "rights:items": OFFICER,
    "rights:download-pdf": OFFICER,
    "rights:download-json": OFFICER,
    "rights:answer": OFFICER,
    "rights:withdraw": OFFICER,
}


def objects(shared):
    """A request about person_a, registered by an auditor of agency A, identity checked and gathered."""
    import datetime

    from marm.organisations.models import Role
    from marm.rights import services
    from tests.factories import UserFactory

    auditor = UserFactory(agency=shared["practitioner_a"].agency, roles=[Role.AUDITOR])
    sar = services.subject_access_register(
        acting_user=auditor,
        person=shared["person_a"],
        received_on=datetime.date(2025, 1, 31),
        requester="subject",
        requester_name="Margaret Thornbury",
        requester_contact="By post",
    )
    sar = services.subject_access_check_identity(
        acting_user=auditor, subject_access=sar, checked_on=datetime.date(2025, 2, 3), method="documents"
    )
    services.subject_access_gather(acting_user=auditor, subject_access=sar)
    return {"sar_id": sar.pk}

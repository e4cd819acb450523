"""The high-risk register's and the duty desk's URLs in the URL sweep (tests/sweep.py).

The register is agency A's: another agency that sees the person gets 404 on its
entries. The duty desk card is for duty officers only: everyone else gets 404
(tests/register covers duty_a).
"""

from tests.sweep import GENERAL, person

NAMESPACES = ("register",)

# Work on an entry; auditors read, they record nothing.
ON_AN_ENTRY = person(police_b=404, auditor_a=403)
# Only managers remove an entry or hand it to another named professional.
MANAGERS_ON_AN_ENTRY = person(practitioner_a=403, police_b=404, auditor_a=403)
DUTY_CARD = person(practitioner_a=404, police_b=404, manager_a=404, auditor_a=404)

URLS = {
    "register:list": GENERAL,
    "register:settings": GENERAL,
    # Only managers put a person on the register.
    "register:add": person(practitioner_a=403, police_b=403, auditor_a=403),
    "register:support": person(auditor_a=403),
    "register:entry": person(police_b=404),
    "register:review": ON_AN_ENTRY,
    "register:process-add": ON_AN_ENTRY,
    "register:process-end": ON_AN_ENTRY,
    "register:remove": MANAGERS_ON_AN_ENTRY,
    "register:named-professional": MANAGERS_ON_AN_ENTRY,
    "register:alert": person(police_b=404),
    "register:duty": GENERAL,
    "register:duty-card": DUTY_CARD,
    "register:duty-contact": DUTY_CARD,
    "register:duty-open": DUTY_CARD,
}


def objects(shared):
    """person_a on agency A's register, with a process and a contact alert to practitioner_a."""
    import datetime

    from marm.organisations.models import Role, Team
    from marm.register.duty import duty_contact_log
    from marm.register.services import register_entry_add, register_process_add
    from tests.factories import UserFactory

    person_a, practitioner_a = shared["person_a"], shared["practitioner_a"]
    team = Team.objects.get(memberships__user=practitioner_a)
    manager = UserFactory(agency=practitioner_a.agency, roles=[Role.MANAGER])
    duty = UserFactory(agency=practitioner_a.agency, roles=[Role.DUTY_OFFICER])
    entry = register_entry_add(
        acting_user=manager,
        team=team,
        person=person_a,
        criteria=["b"],
        named_professional=practitioner_a,
        reason="Self-neglect and fire risk",
    )
    process = register_process_add(
        acting_user=practitioner_a, entry=entry, kind="s42", started_on=datetime.date(2025, 1, 6)
    )
    contact = duty_contact_log(acting_user=duty, person=person_a, caller="Neighbour", about="Smoke smell")
    return {
        "team_id": team.pk,
        "entry_pk": entry.pk,
        "process_id": process.pk,
        "alert_pk": contact.alerts.get().pk,
    }

"""Retention URLs in the URL sweep (tests/sweep.py). The list of what is due and the rules name no
adult (auditors and administrators; anyone else 403). Legal holds are placed and lifted by a
manager or an auditor who can see the record; practitioners get 403, other agencies 404."""

from tests.sweep import GENERAL, person

NAMESPACES = ("retention",)

HOLDS = person(practitioner_a=403, police_b=403)

URLS = {
    "retention:due": GENERAL,
    "retention:rules": GENERAL,
    "retention:rule-change": GENERAL,
    "retention:case-holds": HOLDS,
    "retention:case-hold-lift": HOLDS,
    "retention:person-holds": HOLDS,
    "retention:person-hold-lift": HOLDS,
}


def objects(shared):
    """A hold on person_a's case and one on person_a, both placed by manager_a."""
    from marm.retention.services import legal_hold_place

    case, manager = shared["accepted_case"], shared["manager_a"]
    on_case = legal_hold_place(acting_user=manager, person=case.person, case=case, reason="A claim is expected")
    on_person = legal_hold_place(acting_user=manager, person=case.person, reason="A review of the adult's care")
    return {"kind": "case_closed", "case_hold_id": on_case.pk, "person_hold_id": on_person.pk}

"""The history of changes and rectification pages in the URL sweep (tests/sweep.py)."""

from tests.sweep import person

NAMESPACES = ("history",)

# Auditors read the history; they correct nothing.
RECORD = person(auditor_a=403)

URLS = {
    "history:person": person(),
    "history:case": person(),
    "history:rectify": RECORD,
    "history:lift-restriction": RECORD,
}


def objects(shared):
    """A contested detail of person_a, restricted by agency A."""
    from marm.history.services import person_rectify

    rectification = person_rectify(
        acting_user=shared["practitioner_a"],
        person=shared["person_a"],
        field_name="preferred_name",
        new_value="",
        reason="The person says they have never used a preferred name",
        basis="fact",
        restrict=True,
    )
    return {"rectification_pk": rectification.pk}

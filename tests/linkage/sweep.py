"""Linked records' and possible duplicates' URLs in the URL sweep (tests/sweep.py)."""

from tests.sweep import GENERAL, person

NAMESPACES = ("linkage",)

# Auditors read; they record nothing.
RECORD = person(auditor_a=403)

URLS = {
    "linkage:import": GENERAL,
    "linkage:import-template": GENERAL,
    "linkage:import-confirm": GENERAL,
    "linkage:import-done": GENERAL,
    "linkage:duplicates-report": GENERAL,
    "linkage:duplicate-decide": GENERAL,
    "linkage:same-person": person(),
    "linkage:link": RECORD,
    "linkage:end-link": RECORD,
}


def objects(shared):
    """A second record of person_a, seen by agencies A and B and linked to theirs; a possible duplicate pair;
    an import by agency A's manager."""
    from django.utils import timezone

    from marm.linkage.models import DuplicateSuggestion, PersonImport
    from marm.linkage.services import person_link
    from marm.people.models import AgencyInvolvement, InvolvementBasis
    from tests.factories import PersonFactory

    person_a, practitioner_a = shared["person_a"], shared["practitioner_a"]
    same_adult = PersonFactory(created_by=practitioner_a, given_name=person_a.given_name, family_name="Thornbery")
    AgencyInvolvement.objects.create(
        person=same_adult, agency=shared["agency_b"], basis=InvolvementBasis.SHARING_DECISION, started_by=practitioner_a
    )
    link = person_link(acting_user=practitioner_a, person=person_a, other=same_adult, reason="Same NHS number")
    pair = sorted([person_a, PersonFactory(created_by=practitioner_a)], key=lambda p: str(p.pk))
    suggestion = DuplicateSuggestion.objects.create(
        person_a=pair[0], person_b=pair[1], match_probability=0.95, match_weight=6.0, found_at=timezone.now()
    )
    imported = PersonImport.objects.create(
        agency=shared["manager_a"].agency,
        imported_by=shared["manager_a"],
        imported_at=timezone.now(),
        reference_label="Mosaic ID",
        outcomes=[{"row": 2, "reference": "MOS-1", "outcome": "created", "person": str(same_adult.pk)}],
    )
    return {
        "other_pk": same_adult.pk,
        "link_pk": link.pk,
        "suggestion_pk": suggestion.pk,
        "import_pk": imported.pk,
    }

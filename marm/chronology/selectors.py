"""Reads of the chronology. The person is fetched through the people selector,
so every read is scoped and audited, refusals included; entries go through
ChronologyEntry.objects.visible_to(user) as well."""

from dataclasses import dataclass

from marm.access.guard import fetch_for_user
from marm.cases.models import Case
from marm.chronology.models import ChronologyEntry
from marm.organisations.models import Agency
from marm.people.models import Person
from marm.people.selectors import person_get_for_user


def chronology_person_for_user(*, user, pk, purpose: str = "Reading the chronology") -> Person:
    """The person whose chronology is asked for, or a 404 like any other (audited either way)."""
    return person_get_for_user(user=user, pk=pk, purpose=purpose)


def chronology_agencies(*, user, person: Person) -> list[Agency]:
    """The agencies that have written in the person's chronology, by name."""
    written = ChronologyEntry.objects.visible_to(user).filter(person=person).values("agency_id")
    return list(Agency.objects.filter(pk__in=written).order_by("name"))


@dataclass
class Chronology:
    entries: list[ChronologyEntry]
    # Cases the user's agency fully sees: only these are named beside an entry,
    # because the existence of a case is itself sensitive.
    visible_case_ids: set


def chronology_for_user(*, user, person: Person, agency_ids=(), entry_types=()) -> Chronology:
    """The merged timeline, newest first, in a fixed number of queries however long it is.

    The caller has already read the person through chronology_person_for_user.
    """
    entries = (
        ChronologyEntry.objects.visible_to(user)
        .filter(person=person)
        .select_related("agency", "author", "case", "supersedes", "correction")
    )
    if agency_ids:
        entries = entries.filter(agency_id__in=agency_ids)
    if entry_types:
        entries = entries.filter(entry_type__in=entry_types)
    visible_case_ids = set(Case.objects.fully_visible_to(user).filter(person=person).values_list("pk", flat=True))
    return Chronology(entries=list(entries), visible_case_ids=visible_case_ids)


def chronology_cases_for_user(*, user, person: Person) -> list[Case]:
    """Cases an entry may be linked to: about this person, and open to the user's agency in full."""
    return list(Case.objects.fully_visible_to(user).filter(person=person).order_by("-raised_at"))


def chronology_entry_of_person(*, user, person: Person, entry_id) -> ChronologyEntry:
    """One entry in the person's chronology, or a 404."""
    return fetch_for_user(
        user=user,
        model=ChronologyEntry,
        pk=entry_id,
        queryset=ChronologyEntry.objects.filter(person=person).select_related("agency", "author", "case", "correction"),
        audit_view=False,
        not_found="No such chronology entry",
    )


def recent_entries(*, user, person: Person, limit: int = 5) -> list[ChronologyEntry]:
    """The latest entries, for a summary beside the case (the caller has read the person or case)."""
    return list(
        ChronologyEntry.objects.visible_to(user)
        .filter(person=person)
        .select_related("agency", "correction")
        .order_by("-occurred_on", "-occurred_at_time", "-pk")[:limit]
    )

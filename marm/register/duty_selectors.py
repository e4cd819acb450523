"""Reads of the duty desk: the minimal card (000 Appendix C; ECINS's "profile name
only + agencies involved"). A duty officer sees, for their own agency's people
and registers only: name, year of birth, register flag, named professional and
how to reach them, and the active processes. Anyone else gets a 404."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from marm.access.guard import fetch_for_user
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.lifecycle import OPEN_STATUSES
from marm.cases.models import Case
from marm.people.models import Person
from marm.people.search import PartialDate, search_people
from marm.register.models import RegisterEntry, RegisterProcess
from marm.register.rules import is_duty_officer

RESULTS_LIMIT = 20
CARD_PURPOSE = "Duty desk: minimal card"


@dataclass
class DutyCard:
    person: Person
    year_of_birth: int | None
    entries: list[RegisterEntry] = field(default_factory=list)
    open_cases: list[Case] = field(default_factory=list)

    @property
    def on_register(self) -> bool:
        return bool(self.entries)

    @property
    def has_processes(self) -> bool:
        return any(entry.active_processes for entry in self.entries)


def tolerant_match(*, user, queryset, name: str, date_of_birth=None, limit: int = RESULTS_LIMIT) -> list[Person]:
    """People in ``queryset`` who may be the one described, best first, through the
    tolerant person search (misspellings, swapped names, partial dates; ADR 0013).
    Audited as one search, with the ids found."""
    matches = search_people(queryset, name=name, date_of_birth=PartialDate.of(date_of_birth), limit=limit)
    people = [match.person for match in matches]
    audit_record(
        actor=user,
        action=AuditAction.SEARCH,
        object_type="people.person",
        purpose="Duty desk search",
        detail={"results": [str(person.pk) for person in people]},
    )
    return people


def _cards(*, user, person_ids: list) -> list[DutyCard]:
    """Cards for the people, in the order given, in a fixed number of queries."""
    people = Person.objects.filter(pk__in=person_ids).prefetch_related(
        Prefetch(
            "register_entries",
            queryset=RegisterEntry.objects.visible_to(user)
            .active()
            .select_related("team", "named_professional", "case")
            .prefetch_related(
                Prefetch(
                    "processes",
                    queryset=RegisterProcess.objects.filter(ended_on__isnull=True),
                    to_attr="active_processes",
                )
            ),
            to_attr="active_register_entries",
        )
    )
    by_id = {person.pk: person for person in people}
    cases: dict = {}
    for case in Case.objects.visible_to(user).filter(person_id__in=person_ids, status__in=OPEN_STATUSES):
        cases.setdefault(case.person_id, []).append(case)
    cards = []
    for pk in person_ids:
        person = by_id.get(pk)
        if person is None:
            continue
        cards.append(
            DutyCard(
                person=person,
                year_of_birth=person.date_of_birth.year if person.date_of_birth else None,
                entries=person.active_register_entries,
                open_cases=cases.get(pk, []),
            )
        )
    return cards


def duty_search(*, user, name: str, date_of_birth=None, register_only: bool = False) -> list[DutyCard]:
    """The duty desk search: the agency's people (and so its registers), people on a register first."""
    if not is_duty_officer(user):
        return []
    queryset = Person.objects.visible_to(user)
    if register_only:
        queryset = queryset.filter(register_entries__in=RegisterEntry.objects.visible_to(user).active()).distinct()
    people = tolerant_match(user=user, queryset=queryset, name=name, date_of_birth=date_of_birth)
    cards = _cards(user=user, person_ids=[person.pk for person in people])
    # Stable: people on a register first, otherwise in the search's order.
    return sorted(cards, key=lambda card: not card.on_register)


def duty_card_for_user(*, user, pk) -> DutyCard:
    """One person's minimal card, for a duty officer of an agency that sees them; a 404 for
    everyone else. The read is audited with its purpose, refusals included."""
    person = fetch_for_user(
        user=user,
        model=Person,
        pk=pk,
        purpose=CARD_PURPOSE,
        role_allows=is_duty_officer(user),
        not_found="No person found",
    )
    return _cards(user=user, person_ids=[person.pk])[0]

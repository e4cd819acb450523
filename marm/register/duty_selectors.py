"""Reads of the duty desk: the minimal card (000 Appendix C; ECINS's "profile name
only + agencies involved"). A duty officer sees, for their own agency's people
and registers only: name, year of birth, register flag, named professional and
how to reach them, and the active processes. Anyone else gets a 404."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404

from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.lifecycle import OPEN_STATUSES
from marm.cases.models import Case
from marm.people.models import Person
from marm.people.selectors import person_search_for_user
from marm.register.models import RegisterEntry, RegisterProcess
from marm.register.rules import is_duty_officer
from marm.register.selectors import parse_id

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
    """People in ``queryset`` who match the name and date of birth, best first.

    The one place the duty desk's search goes through. It uses the people app's
    search for now (every word of the name must appear); the tolerant search
    ``marm.people.search.search_people(queryset, name=..., date_of_birth=..., limit=...)``
    replaces the body here, keeping the audited SEARCH row.
    """
    found = person_search_for_user(user=user, name=name, date_of_birth=date_of_birth).people
    allowed = set(queryset.filter(pk__in=[person.pk for person in found]).values_list("pk", flat=True))
    return [person for person in found if person.pk in allowed][:limit]


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
    person_id = parse_id(pk)
    visible = (
        is_duty_officer(user)
        and person_id is not None
        and Person.objects.visible_to(user).filter(pk=person_id).exists()
    )
    if not visible:
        if person_id and Person.objects.filter(pk=person_id).exists():
            audit_record(
                actor=user,
                action=AuditAction.DENIED,
                object_type="people.person",
                object_id=str(person_id),
                person_id=person_id,
                purpose=CARD_PURPOSE,
            )
        raise Http404("No person found")
    card = _cards(user=user, person_ids=[person_id])[0]
    audit_record(actor=user, action=AuditAction.VIEW, obj=card.person, person_id=person_id, purpose=CARD_PURPOSE)
    return card

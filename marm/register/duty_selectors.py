"""Reads of the duty desk: the minimal card (000 Appendix C; ECINS's "profile name
only + agencies involved"). A duty officer sees, for their own agency's people
and registers only: name, year of birth, register flag, named professional and
how to reach them, and the active processes; and, to tell namesakes apart, the
postcode district, the last three digits of the NHS number and other names.
Anyone else gets a 404."""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    BigIntegerField,
    CharField,
    DateField,
    DateTimeField,
    F,
    Prefetch,
    Q,
    Value,
    prefetch_related_objects,
)
from django.utils import timezone

from marm.access.guard import fetch_for_user
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.lifecycle import OPEN_STATUSES
from marm.cases.models import Case
from marm.people.models import Address, Person, PersonAlias
from marm.people.search import PartialDate, search_people
from marm.register.models import RegisterEntry, RegisterProcess
from marm.register.rules import is_duty_officer
from marm.register.selectors import routed_processes

RESULTS_LIMIT = 20
CARD_PURPOSE = "Duty desk: minimal card"


@dataclass(frozen=True)
class CardProcess:
    name: str
    since: datetime.date | None = None


@dataclass
class DutyCard:
    person: Person
    year_of_birth: int | None
    entries: list[RegisterEntry] = field(default_factory=list)
    open_cases: list[Case] = field(default_factory=list)
    # Minimum identifiers to tell namesakes apart: never the full address or NHS number.
    postcode_district: str = ""
    nhs_last_three: str = ""
    other_names: list[str] = field(default_factory=list)

    @property
    def on_register(self) -> bool:
        return bool(self.entries)

    @property
    def has_processes(self) -> bool:
        return bool(self.person.routed_process_list) or any(entry.active_processes for entry in self.entries)

    @property
    def processes(self) -> list[CardProcess]:
        """The active processes in the card's order: open MARM cases, the register entries' other
        processes, then the processes a screening routed the person to."""
        return [
            *(CardProcess(f"MARM case: {case.get_status_display()}") for case in self.open_cases),
            *(
                CardProcess(process.get_kind_display(), process.started_on)
                for entry in self.entries
                for process in entry.active_processes
            ),
            *(CardProcess(process.name, process.started_on) for process in self.person.routed_process_list),
        ]


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


def _cards(*, user, people: list[Person]) -> list[DutyCard]:
    """Cards for the people (already read through the user's scope), in the order given.

    One query reads what every card shows (current postcodes and other names) and who among
    the people is on one of the agency's registers, in a routed process or in an open case it
    sees; only those people's entries, processes and cases are then read (most people a duty
    search finds have none)."""
    entries = RegisterEntry.objects.visible_to(user).active()
    routed = routed_processes(user, active_only=True, path="routed_processes")
    open_cases = Case.objects.visible_to(user).filter(status__in=OPEN_STATUSES)
    person_ids = [person.pk for person in people]
    facts = _card_facts(person_ids=person_ids, entries=entries, routed=routed, cases=open_cases)
    on_register, in_process = [], []
    for person in people:
        kinds = facts[person.pk]
        # An attribute set here is taken as already fetched: set only for those not read below.
        if "entry" in kinds:
            on_register.append(person)
        else:
            person.active_register_entries = []
        if "routed" in kinds:
            in_process.append(person)
        else:
            person.routed_process_list = []
    prefetch_related_objects(
        on_register,
        Prefetch(
            "register_entries",
            queryset=entries.select_related("team", "named_professional", "case").prefetch_related(
                Prefetch(
                    "processes",
                    queryset=RegisterProcess.objects.filter(ended_on__isnull=True),
                    to_attr="active_processes",
                )
            ),
            to_attr="active_register_entries",
        ),
    )
    prefetch_related_objects(in_process, routed)
    cases: dict = {}
    in_cases = [person.pk for person in people if "case" in facts[person.pk]]
    for case in open_cases.filter(person_id__in=in_cases) if in_cases else ():
        cases.setdefault(case.person_id, []).append(case)
    return [
        DutyCard(
            person=person,
            year_of_birth=person.date_of_birth.year if person.date_of_birth else None,
            entries=person.active_register_entries,
            open_cases=cases.get(person.pk, []),
            postcode_district=_postcode_district(facts[person.pk]["address"]),
            nhs_last_three=person.nhs_number[-3:] if person.nhs_number else "",
            other_names=[f"{given} {family}".strip() for given, family in facts[person.pk]["alias"]],
        )
        for person in people
    ]


def _card_facts(*, person_ids: list, entries, routed, cases) -> dict:
    """For each person: "address" (current postcodes, the latest first), "alias" (other names as
    (first, last), oldest first), and "entry", "routed" and "case" if they have any, in one query."""
    facts: dict = {pk: {"address": [], "alias": []} for pk in person_ids}
    if not person_ids:
        return facts
    # Each part gives the same columns; what a part lacks is an empty value of the column's type.
    # (The names are the card's own: a model's field of the same name may not be annotated.)
    blanks = {
        "card_text_1": Value("", output_field=CharField()),
        "card_text_2": Value("", output_field=CharField()),
        "card_date": Value(None, output_field=DateField()),
        "card_time": Value(None, output_field=DateTimeField()),
        "card_number": Value(None, output_field=BigIntegerField()),
    }

    def rows(queryset, kind, **columns):
        columns = {f"card_{name}": value for name, value in columns.items()}
        return (
            queryset.filter(person_id__in=person_ids)
            .order_by()
            .annotate(card_kind=Value(kind, output_field=CharField()), **{**blanks, **columns})
            .values_list("person_id", "card_kind", *blanks)
        )

    found = rows(
        Address.objects.filter(lived_until__isnull=True),
        "address",
        text_1=F("postcode"),
        date=F("lived_from"),
        time=F("created_at"),
        number=F("pk"),
    ).union(
        rows(
            PersonAlias.objects.all(),
            "alias",
            text_1=F("given_name"),
            text_2=F("family_name"),
            time=F("created_at"),
            number=F("pk"),
        ),
        rows(entries, "entry"),
        rows(routed.queryset, "routed"),
        rows(cases, "case"),
        all=True,
    )
    addresses_found, aliases_found = [], []
    for person_id, kind, text_1, text_2, date, time, number in found:
        if kind == "address":
            addresses_found.append((person_id, text_1, date, time, number))
        elif kind == "alias":
            aliases_found.append((person_id, text_1, text_2, time, number))
        else:
            facts[person_id][kind] = True
    # As the addresses and other names are listed on the person's page: current addresses the
    # latest first (by when lived there from, then recorded), other names in the order recorded.
    for person_id, postcode, *_ in sorted(
        addresses_found, key=lambda row: (row[2] or datetime.date.min, row[3], row[4]), reverse=True
    ):
        facts[person_id]["address"].append(postcode)
    for person_id, given, family, *_ in sorted(aliases_found, key=lambda row: (row[3], row[4])):
        facts[person_id]["alias"].append((given, family))
    return facts


def _postcode_district(postcodes) -> str:
    """The outward part of the current address's postcode ("LS6" of "LS6 2AB")."""
    for postcode in postcodes:
        postcode = postcode.replace(" ", "").upper()
        if len(postcode) > 3:
            return postcode[:-3]
    return ""


def born_between(*, aged_from: int | None, aged_to: int | None, today: datetime.date | None = None):
    """The dates of birth of someone aged ``aged_from`` to ``aged_to`` today (either may be open)."""
    today = today or timezone.localdate()

    def years_before(years: int) -> datetime.date:
        try:
            return today.replace(year=today.year - years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - years, day=28)

    earliest = years_before(aged_to + 1) + datetime.timedelta(days=1) if aged_to is not None else None
    latest = years_before(aged_from) if aged_from is not None else None
    return earliest, latest


def duty_search(
    *,
    user,
    name: str,
    date_of_birth=None,
    year_of_birth: int | None = None,
    aged_from: int | None = None,
    aged_to: int | None = None,
    register_only: bool = False,
) -> list[DutyCard]:
    """The duty desk search: the agency's people (and so its registers), people on a register first.

    A year of birth alone ("born 1950") or an age range ("aged 70 to 80") keeps people born in it,
    a year either side for a year (callers misremember), and people whose date of birth is not known."""
    if not is_duty_officer(user):
        return []
    queryset = Person.objects.visible_to(user)
    unknown = Q(date_of_birth__isnull=True)
    if year_of_birth is not None and date_of_birth is None:
        date_of_birth = PartialDate(year_of_birth)
        queryset = queryset.filter(unknown | Q(date_of_birth__year__range=(year_of_birth - 1, year_of_birth + 1)))
    if aged_from is not None or aged_to is not None:
        earliest, latest = born_between(aged_from=aged_from, aged_to=aged_to)
        if earliest is not None:
            queryset = queryset.filter(unknown | Q(date_of_birth__gte=earliest))
        if latest is not None:
            queryset = queryset.filter(unknown | Q(date_of_birth__lte=latest))
    if register_only:
        queryset = queryset.filter(register_entries__in=RegisterEntry.objects.visible_to(user).active()).distinct()
    people = tolerant_match(user=user, queryset=queryset, name=name, date_of_birth=date_of_birth)
    cards = _cards(user=user, people=people)
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
        # The card is the minimum: no purpose is asked for it (marm/register/purpose.py).
        full_record=False,
        not_found="No person found",
    )
    return _cards(user=user, people=[person])[0]

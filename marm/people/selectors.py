"""Reads about people: every one goes through visible_to(user), and reads of a
person are audited, refusals included."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q

from marm.access.guard import fetch_for_user, parse_pk, view_record
from marm.audit import selectors as audit_selectors
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.organisations.models import Agency
from marm.people import emergency
from marm.people import nhs_number as nhs
from marm.people.models import (
    Address,
    AgencyInvolvement,
    EmergencyAccess,
    EmergencyAccessReview,
    Person,
    PersonIdentifier,
    ReviewSide,
)
from marm.people.search import PartialDate, PersonMatch, search_people
from marm.people.search.duplicates import likely_same_person

SEARCH_LIMIT = 50


def person_get_for_user(*, user, pk, purpose: str = "", queryset=None, audit_view: bool = True) -> Person:
    """The person, if the user may see them; otherwise a 404 that looks like any other.

    The view is audited; so is a refused attempt on a person who exists. A caller
    that checks a further permission first passes ``audit_view=False`` and calls
    ``person_view_record`` once the check has passed.
    """
    return fetch_for_user(
        user=user,
        model=Person,
        pk=pk,
        purpose=purpose,
        queryset=queryset,
        audit_view=audit_view,
        not_found="No person found",
    )


def person_view_record(*, user, person: Person, purpose: str = "") -> None:
    view_record(user=user, obj=person, purpose=purpose)


def person_detail_for_user(*, user, pk, purpose: str = "") -> Person:
    """A person with everything the person page shows, in a fixed number of queries."""
    return person_get_for_user(
        user=user,
        pk=pk,
        purpose=purpose,
        queryset=Person.objects.prefetch_related(
            Prefetch("aliases", to_attr="aliases_list"),
            Prefetch("addresses", to_attr="addresses_list"),
            Prefetch("related_people", to_attr="related_people_list"),
            Prefetch(
                "identifiers", queryset=PersonIdentifier.objects.select_related("agency"), to_attr="identifiers_list"
            ),
            Prefetch(
                "involvements",
                queryset=AgencyInvolvement.objects.select_related("agency").order_by("agency__name"),
                to_attr="involvements_list",
            ),
        ),
    )


@dataclass
class SearchResults:
    matches: list[PersonMatch]
    more: bool  # there were more matches than SEARCH_LIMIT

    @property
    def people(self) -> list[Person]:
        return [match.person for match in self.matches]


def person_search_for_user(*, user, name: str = "", date_of_birth=None, nhs_number: str = "") -> SearchResults:
    """People the user can see who may be the one described, best first. Audited as a search (ids only).

    An NHS number narrows to that number exactly; names and dates of birth are
    matched tolerantly (marm.people.search, ADR 0013). ``date_of_birth`` may be
    a date, a year, (year, month) or the (date, precision) a partial date field gives.
    """
    people = Person.objects.visible_to(user)
    digits = nhs.normalise(nhs_number)
    if digits:
        people = people.filter(nhs_number=digits)
    date_of_birth = PartialDate.of(date_of_birth)
    if name.strip() or date_of_birth:
        found = search_people(people, name=name, date_of_birth=date_of_birth, limit=SEARCH_LIMIT + 1)
    else:
        found = [PersonMatch(person, 1.0, ("Same NHS number",)) for person in people[: SEARCH_LIMIT + 1]]
    results = SearchResults(matches=found[:SEARCH_LIMIT], more=len(found) > SEARCH_LIMIT)
    audit_record(
        actor=user,
        action=AuditAction.SEARCH,
        object_type="people.person",
        detail={"results": [str(p.pk) for p in results.people]},
    )
    return results


def person_possible_duplicates_for_user(
    *, user, given_name: str, family_name: str, middle_names: str = "", date_of_birth=None
) -> list[PersonMatch]:
    """People the user can see who may be the person about to be added. Audited as a search."""
    matches = likely_same_person(
        Person.objects.visible_to(user),
        given_name=given_name,
        middle_names=middle_names,
        family_name=family_name,
        date_of_birth=date_of_birth,
    )
    audit_record(
        actor=user,
        action=AuditAction.SEARCH,
        object_type="people.person",
        purpose="Checking whether the person is already recorded",
        detail={"results": [str(m.person.pk) for m in matches]},
    )
    return matches


# Emergency ("break-glass") access: ADR 0026.


@dataclass
class EmergencyRecord:
    """The minimal record a user sees in an emergency: who the person is, where they live, and
    who to contact. Nothing from the chronology, risk or meetings."""

    person: Person
    access: EmergencyAccess
    current_addresses: list[Address]
    recording_agency: Agency | None


def person_already_visible(*, user, pk) -> bool:
    """True where the user's agency already sees the person: they need no emergency access."""
    key = parse_pk(Person, pk)
    return key is not None and Person.objects.visible_to(user).filter(pk=key).exists()


def emergency_record_for_user(*, user, pk) -> EmergencyRecord:
    """The person's minimal record while the user's emergency access lasts; afterwards a 404 like any
    record they may not see. Each read is audited as a VIEW whose purpose is the access's reason."""
    key = parse_pk(Person, pk)
    access = (
        EmergencyAccess.objects.live()
        .filter(person_id=key, user=user, agency_id=user.agency_id)
        .select_related("lead_agency")
        .first()
        if key is not None and user.agency_id is not None
        else None
    )
    person = fetch_for_user(
        user=user,
        model=Person,
        pk=pk,
        scope="visible_in_emergency_to",
        purpose=f"{emergency.EMERGENCY_PURPOSE}: {access.reason}" if access else emergency.EMERGENCY_PURPOSE,
        # The minimal record, not the full one: the reason is its purpose.
        full_record=False,
        not_found="No person found",
    )
    recording = emergency.recording_agency_id(person)
    return EmergencyRecord(
        person=person,
        access=access,
        current_addresses=list(Address.objects.filter(person=person, lived_until__isnull=True)),
        recording_agency=Agency.objects.filter(pk=recording).first() if recording else None,
    )


def emergency_access_get_for_user(*, user, pk, purpose: str = "Reviewing an emergency access") -> EmergencyAccess:
    """An emergency access, for a manager of the user's agency or of the lead agency; a 404 otherwise."""
    return fetch_for_user(
        user=user,
        model=EmergencyAccess,
        pk=pk,
        purpose=purpose,
        queryset=EmergencyAccess.objects.select_related("person", "user", "agency", "lead_agency").prefetch_related(
            Prefetch("reviews", queryset=EmergencyAccessReview.objects.select_related("reviewer"))
        ),
        # Who opened what and why: not the person's full record.
        full_record=False,
        not_found="No emergency access found",
    )


def emergency_access_views(*, access: EmergencyAccess) -> list:
    """What the user did with the person's record while the access lasted, from the audit.
    Callers must already have read the access through ``emergency_access_get_for_user``."""
    until = min(filter(None, (access.expires_at, access.ended_at)))
    return list(
        audit_selectors.events_for_person(person_id=access.person_id)
        .filter(actor_user_id=access.user_id, occurred_at__gte=access.started_at, occurred_at__lte=until)
        .order_by("seq")
    )


def _pending_review(user):
    """Accesses with a side the user's agency has still to review (not the user's own)."""
    lead_done = EmergencyAccessReview.objects.filter(access=OuterRef("pk"), side=ReviewSide.LEAD)
    own_done = EmergencyAccessReview.objects.filter(access=OuterRef("pk"), side=ReviewSide.OWN)
    return (
        EmergencyAccess.objects.visible_to(user)
        .exclude(user=user)
        .filter(Q(lead_agency_id=user.agency_id) & ~Exists(lead_done) | Q(agency_id=user.agency_id) & ~Exists(own_done))
    )


def emergency_accesses_to_review(*, user) -> list[EmergencyAccess]:
    """For a manager's home page: who opened a record in an emergency and awaits their agency's review.
    Names no adult, so it is no search."""
    return list(_pending_review(user).select_related("user", "agency").order_by("started_at", "pk"))


def emergency_accesses_for_agency(*, user) -> list[EmergencyAccess]:
    """Every emergency access by the manager's agency's users or to its people, newest first. It names
    people, so it is audited as one search with their ids."""
    accesses = list(
        EmergencyAccess.objects.visible_to(user)
        .select_related("person", "user", "agency", "lead_agency")
        .prefetch_related(Prefetch("reviews", queryset=EmergencyAccessReview.objects.select_related("reviewer")))
        .order_by("-started_at", "pk")
    )
    audit_record(
        actor=user,
        action=AuditAction.SEARCH,
        object_type="people.emergencyaccess",
        purpose="Listing emergency accesses",
        detail={"results": [str(access.person_id) for access in accesses]},
    )
    return accesses

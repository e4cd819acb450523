"""Reads about people: every one goes through visible_to(user), and reads of a
person are audited, refusals included."""

from dataclasses import dataclass

from django.db.models import Prefetch

from marm.access.guard import fetch_for_user, view_record
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.people import nhs_number as nhs
from marm.people.models import AgencyInvolvement, Person, PersonIdentifier
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


def person_detail_for_user(*, user, pk) -> Person:
    """A person with everything the person page shows, in a fixed number of queries."""
    return person_get_for_user(
        user=user,
        pk=pk,
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

"""Reads about people: every one goes through visible_to(user), and reads of a
person are audited, refusals included."""

import uuid
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404

from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.people import nhs_number as nhs
from marm.people.models import AgencyInvolvement, DatePrecision, Person, PersonAlias, PersonIdentifier

SEARCH_LIMIT = 50


def _parse_id(pk) -> uuid.UUID | None:
    try:
        return pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk))
    except ValueError:
        return None


def person_get_for_user(*, user, pk, purpose: str = "", queryset=None, audit_view: bool = True) -> Person:
    """The person, if the user may see them; otherwise a 404 that looks like any other.

    The view is audited; so is a refused attempt on a person who exists. A caller
    that checks a further permission first passes ``audit_view=False`` and calls
    ``person_view_record`` once the check has passed.
    """
    person_id = _parse_id(pk)
    base = queryset if queryset is not None else Person.objects.all()
    person = base.visible_to(user).filter(pk=person_id).first() if person_id else None
    if person is None:
        if person_id and Person.objects.filter(pk=person_id).exists():
            audit_record(
                actor=user,
                action=AuditAction.DENIED,
                object_type="people.person",
                object_id=str(person_id),
                person_id=person_id,
                purpose=purpose,
            )
        raise Http404("No person found")
    if audit_view:
        person_view_record(user=user, person=person, purpose=purpose)
    return person


def person_view_record(*, user, person: Person, purpose: str = "") -> None:
    audit_record(actor=user, action=AuditAction.VIEW, obj=person, person_id=person.pk, purpose=purpose)


def person_detail_for_user(*, user, pk) -> Person:
    """A person with everything the person page shows, in a fixed number of queries."""
    return person_get_for_user(
        user=user,
        pk=pk,
        queryset=Person.objects.prefetch_related(
            "aliases",
            "addresses",
            "related_people",
            Prefetch("identifiers", queryset=PersonIdentifier.objects.select_related("agency")),
            Prefetch(
                "involvements",
                queryset=AgencyInvolvement.objects.select_related("agency").order_by("agency__name"),
            ),
        ),
    )


@dataclass
class SearchResults:
    people: list[Person]
    more: bool  # there were more matches than SEARCH_LIMIT


def person_search_for_user(*, user, name: str = "", date_of_birth=None, nhs_number: str = "") -> SearchResults:
    """People the user can see who match. Results are audited as a search (ids only)."""
    people = Person.objects.visible_to(user)
    digits = nhs.normalise(nhs_number)
    if digits:
        people = people.filter(nhs_number=digits)
    for word in name.split():
        # Other names through EXISTS, not a join: no duplicates to remove, one pass per word.
        other_name = PersonAlias.objects.filter(person=OuterRef("pk")).filter(
            Q(given_name__icontains=word) | Q(family_name__icontains=word)
        )
        people = people.filter(
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(middle_names__icontains=word)
            | Q(preferred_name__icontains=word)
            | Exists(other_name)
        )
    if date_of_birth:
        # Partial dates are stored as their first day, so a person recorded with only
        # the month or the year matches on equality too (and the date index is used).
        people = people.filter(
            Q(date_of_birth=date_of_birth, date_of_birth_precision=DatePrecision.EXACT)
            | Q(date_of_birth=date_of_birth.replace(day=1), date_of_birth_precision=DatePrecision.MONTH)
            | Q(date_of_birth=date_of_birth.replace(month=1, day=1), date_of_birth_precision=DatePrecision.YEAR)
        )
    found = list(people.order_by("family_name", "given_name", "pk")[: SEARCH_LIMIT + 1])
    results = SearchResults(people=found[:SEARCH_LIMIT], more=len(found) > SEARCH_LIMIT)
    audit_record(
        actor=user,
        action=AuditAction.SEARCH,
        object_type="people.person",
        detail={"results": [str(p.pk) for p in results.people]},
    )
    return results

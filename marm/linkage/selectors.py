"""Reads about links between records. Only people the user can already see are shown (ADR 0014)."""

from django.http import Http404

from marm.access.guard import fetch_for_user
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.linkage.models import DuplicatesDismissal, PersonLink
from marm.people.models import Person
from marm.people.search.duplicates import likely_same_person


def links_for_person(*, user, person) -> list[tuple[PersonLink, Person]]:
    """The person's links, current and ended, to records the user can see, newest first."""
    links = list(
        PersonLink.objects.visible_to(user)
        .involving(person.pk)
        .select_related("person_a", "person_b", "linked_by", "ended_by")
    )
    return [(link, link.other(person.pk)) for link in links]


def link_get_for_user(*, user, person, pk) -> PersonLink:
    """A link of the person's, both of whose records the user can see; otherwise 404, and a refusal is audited."""
    return fetch_for_user(
        user=user,
        model=PersonLink,
        pk=pk,
        queryset=PersonLink.objects.involving(person.pk).select_related("person_a", "person_b"),
        audit_view=False,
        not_found="No link found",
    )


def possible_same_person(*, user, person, limit: int = 10) -> list:
    """Other records the user can see that may be this person, not yet linked. Audited as a search."""
    linked = set()
    for a_id, b_id in PersonLink.objects.active().involving(person.pk).values_list("person_a_id", "person_b_id"):
        linked.update({a_id, b_id})
    candidates = Person.objects.visible_to(user).exclude(pk__in=linked | {person.pk})
    matches = likely_same_person(
        candidates,
        given_name=person.given_name,
        middle_names=person.middle_names,
        family_name=person.family_name,
        date_of_birth=(person.date_of_birth, person.date_of_birth_precision),
        limit=limit,
    )
    audit_record(
        actor=user,
        action=AuditAction.SEARCH,
        object_type="people.person",
        person_id=person.pk,
        purpose="Looking for records of the same person",
        detail={"results": [str(m.person.pk) for m in matches]},
    )
    return matches


def dismissed_pairs() -> set[tuple[str, str]]:
    return {(str(a), str(b)) for a, b in DuplicatesDismissal.objects.values_list("person_a_id", "person_b_id")}


def duplicates_report_for_user(*, user, limit: int = 200) -> list[dict]:
    """Open suggestions for the administrator: match probability, how each field agrees, and the
    agencies involved with each record. No names, dates, addresses or numbers (ADR 0014)."""
    suggestions = list(_open_suggestions()[:limit])
    agencies = _agencies_by_person({s.person_a_id for s in suggestions} | {s.person_b_id for s in suggestions})
    audit_record(
        actor=user,
        action=AuditAction.VIEW,
        object_type="linkage.duplicatesuggestion",
        purpose="Possible duplicates report",
        detail={"suggestions": [s.pk for s in suggestions]},
    )
    return [_row(s, agencies) for s in suggestions]


def duplicate_suggestion_for_user(*, user, pk) -> dict:
    suggestion = _open_suggestions().filter(pk=pk).select_related("person_a", "person_b").first()
    if suggestion is None:
        raise Http404("No open suggestion")
    audit_record(actor=user, action=AuditAction.VIEW, obj=suggestion, purpose="Possible duplicates report")
    return _row(suggestion, _agencies_by_person({suggestion.person_a_id, suggestion.person_b_id}))


def _open_suggestions():
    from django.db.models import Exists, OuterRef

    from marm.linkage.models import DuplicateSuggestion

    same_pair = {"person_a": OuterRef("person_a"), "person_b": OuterRef("person_b")}
    return DuplicateSuggestion.objects.exclude(Exists(PersonLink.objects.active().filter(**same_pair))).exclude(
        Exists(DuplicatesDismissal.objects.filter(**same_pair))
    )


def _agencies_by_person(person_ids) -> dict:
    from marm.people.models import AgencyInvolvement

    found: dict = {}
    for person_id, name in (
        AgencyInvolvement.objects.filter(person_id__in=person_ids, ended_at__isnull=True)
        .order_by("agency__name")
        .values_list("person_id", "agency__name")
    ):
        found.setdefault(person_id, []).append(name)
    return found


def _row(suggestion, agencies) -> dict:
    return {
        "suggestion": suggestion,
        "percent": f"{suggestion.match_probability:.1%}",
        "agreement": list(suggestion.agreement.items()),
        "agencies_a": agencies.get(suggestion.person_a_id, []),
        "agencies_b": agencies.get(suggestion.person_b_id, []),
    }

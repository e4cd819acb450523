"""Reads about links between records. Only people the user can already see are shown (ADR 0014)."""

import logging

from django.http import Http404

from marm.access.guard import fetch_for_user
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.linkage.models import DuplicatesDismissal, PersonLink
from marm.people.models import Person
from marm.people.search.duplicates import likely_same_person

logger = logging.getLogger(__name__)


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


# Importing people (ADR 0037): each row of an agency's file, matched against the people the
# importing user can see. People of other agencies are never candidates, nor hinted at: the
# nightly duplicates run (duplicates_find) finds records of the same adult across agencies.


class RowMatch:
    """How one row of an import matches: exact, likely, possible or none, with its candidates."""

    EXACT = "exact"
    LIKELY = "likely"
    POSSIBLE = "possible"
    NONE = "none"

    def __init__(self, row, classification, candidates, *, refused: str = ""):
        self.row = row
        self.classification = classification
        # (person, score, reasons in words), best first: people the user can see.
        self.candidates = candidates
        # Why the row can only be skipped (its NHS number or reference already recorded elsewhere).
        self.refused = refused
        # Candidate id -> Splink's match probability under the kept model; empty when not scored.
        self.probabilities: dict[str, float] = {}

    @property
    def candidate_ids(self) -> list[str]:
        return [str(person.pk) for person, _, _ in self.candidates]


# At or above this score (0.65 name + 0.35 date of birth, ADR 0013) a candidate is a likely match:
# the names agree but for a slip and the date of birth agrees. Below it, a possible one.
LIKELY_SCORE = 0.85
# A possible match whose current postcode agrees is likely, if the names agree but for a slip
# (0.65 x 0.92 and more) even when the date of birth differs.
LIKELY_SCORE_WITH_POSTCODE = 0.6
IMPORT_CANDIDATES = 3
# Splink's match probability that overrides the search (ADR 0037): at or above, a candidate is a
# likely match whatever its search score; below the floor, no candidate is likely.
SPLINK_LIKELY = 0.9
SPLINK_UNLIKELY = 0.1


def linkage_model_for_import():
    """The model the latest nightly duplicates run kept (ADR 0014), if this Splink can read it; else None.

    Parameters only, no person: any user who imports may have it read on their behalf."""
    from importlib.metadata import version

    from marm.linkage.models import LinkageModel

    return LinkageModel.objects.filter(splink_version=version("splink")).first()


def import_preview_for_user(*, user, rows, reference_label: str, model=None) -> list[RowMatch]:
    """Each row with its classification and candidates among the people the user can see.

    With a kept ``model`` (``linkage_model_for_import``), every candidate of every row that is not
    already recorded is scored by Splink, all in one run, and the probability moves the
    classification (SPLINK_LIKELY, SPLINK_UNLIKELY). Only the rows and the candidates the search
    found among the people the user sees are scored. Audited as one SEARCH row with the ids of
    every candidate shown."""
    from marm.people import presenters
    from marm.people.models import Address, PersonIdentifier
    from marm.people.search import search_people

    visible = Person.objects.visible_to(user)
    references = [row.agency_reference for row in rows]
    numbers = [row.nhs_number for row in rows if row.nhs_number]
    # The agency's own references, held by people the user sees (exact) or by anyone (refused).
    identifiers = PersonIdentifier.objects.filter(
        agency_id=user.agency_id, label=reference_label.strip(), value__in=references
    )
    by_reference_all = dict(identifiers.values_list("value", "person_id"))
    by_reference = dict(identifiers.filter(person__in=visible).values_list("value", "person_id"))
    by_nhs_all = set(Person.objects.filter(nhs_number__in=numbers).values_list("nhs_number", flat=True))
    by_nhs = dict(visible.filter(nhs_number__in=numbers).values_list("nhs_number", "pk"))
    matches = []
    for row in rows:
        found = search_people(
            visible,
            name=row.full_name,
            date_of_birth=row.date_of_birth,
            limit=IMPORT_CANDIDATES,
        )
        exact_id = by_reference.get(row.agency_reference) or by_nhs.get(row.nhs_number)
        candidates = [(m.person, m.score, presenters.match_reasons(m)) for m in found]
        if exact_id is not None:
            if all(str(person.pk) != str(exact_id) for person, _, _ in candidates):
                exact = visible.get(pk=exact_id)
                candidates.insert(0, (exact, 1.0, "Same agency reference or NHS number"))
            else:
                candidates.sort(key=lambda c: str(c[0].pk) != str(exact_id))
            matches.append(RowMatch(row, RowMatch.EXACT, candidates[:1]))
            continue
        refused = ""
        if row.agency_reference in by_reference_all:
            refused = f"Your agency already uses this {reference_label} for someone"
        elif row.nhs_number and row.nhs_number in by_nhs_all:
            # The words person_create uses: whose record it is stays unsaid.
            refused = "A person with this NHS number is already recorded. Search for them, or check the number"
        matches.append(RowMatch(row, _classify(row, candidates), candidates, refused=refused))
    _agree_on_postcode(matches, Address)
    if model is not None:
        try:
            _score_with_splink(matches, model, Address)
        except Exception:
            # A kept model that cannot score (damaged, or made by a Splink that reads it otherwise)
            # must not stop an import: the file is matched by the search, and the page says so.
            logger.exception(
                "The kept linkage model %s could not score an import; matched by the search only", model.pk
            )
            for match in matches:
                match.probabilities = {}
            model.unusable = True
            model = None
    shown = sorted({pk for match in matches for pk in match.candidate_ids})
    audit_record(
        actor=user,
        action=AuditAction.SEARCH,
        object_type="people.person",
        purpose=f"Importing people: matching {len(rows)} rows of a file",
        detail={"results": shown, "linkage_model": model.pk if model is not None else None},
    )
    return matches


def _classify(row, candidates) -> str:
    if not candidates:
        return RowMatch.NONE
    best = candidates[0][1]
    if best >= LIKELY_SCORE and row.date_of_birth is not None:
        return RowMatch.LIKELY
    return RowMatch.POSSIBLE


def _agree_on_postcode(matches, address_model) -> None:
    """A possible match whose current postcode is the row's becomes likely (one query for all rows)."""
    possible = [m for m in matches if m.classification == RowMatch.POSSIBLE and m.row.postcode]
    ids = {person.pk for m in possible for person, _, _ in m.candidates[:1]}
    if not ids:
        return
    current = {
        (person_id, code.replace(" ", "").upper())
        for person_id, code in address_model.objects.filter(person_id__in=ids, lived_until__isnull=True).values_list(
            "person_id", "postcode"
        )
    }
    for match in possible:
        person, score, reasons = match.candidates[0]
        if score >= LIKELY_SCORE_WITH_POSTCODE and (person.pk, match.row.postcode.replace(" ", "")) in current:
            match.candidates[0] = (person, score, f"{reasons}; same postcode" if reasons else "Same postcode")
            match.classification = RowMatch.LIKELY


def _score_with_splink(matches, model, address_model) -> None:
    """Score each row against its own candidates with the kept model, in one Splink run for the file.

    The frames hold the file's rows and the candidates already found within the user's sight,
    nobody else; the pairs scored are exactly (row, each of its candidates)."""
    import pandas as pd

    from marm.linkage import matching
    from marm.people.models import DatePrecision

    scored = [m for m in matches if m.classification != RowMatch.EXACT and m.candidates]
    if not scored:
        return
    people = {str(person.pk): person for m in scored for person, _, _ in m.candidates}
    postcodes = {}
    for person_id, code in (
        address_model.objects.filter(person_id__in=list(people), lived_until__isnull=True)
        .order_by("created_at")
        .values_list("person_id", "postcode")
    ):
        postcodes[str(person_id)] = code  # the latest current address, as the nightly run reads it
    left = pd.DataFrame.from_records(
        [
            matching.record(
                m.row.number,
                given_name=m.row.given_name,
                family_name=m.row.family_name,
                date_of_birth=m.row.date_of_birth,
                exact_date=True,
                postcode=m.row.postcode,
                nhs_number=m.row.nhs_number,
            )
            for m in scored
        ],
        columns=matching.COLUMNS,
    )
    right = pd.DataFrame.from_records(
        [
            matching.record(
                pk,
                given_name=person.given_name,
                family_name=person.family_name,
                date_of_birth=person.date_of_birth,
                exact_date=person.date_of_birth_precision == DatePrecision.EXACT,
                postcode=postcodes.get(pk),
                nhs_number=person.nhs_number,
            )
            for pk, person in people.items()
        ],
        columns=matching.COLUMNS,
    )
    pairs = [(str(m.row.number), pk) for m in scored for pk in m.candidate_ids]
    probabilities = matching.score_pairs(model.settings, left, right, pairs)
    for match in scored:
        number = str(match.row.number)
        match.probabilities = {
            pk: probabilities[(number, pk)] for pk in match.candidate_ids if (number, pk) in probabilities
        }
        _classify_with_splink(match)


def _classify_with_splink(match) -> None:
    """A candidate Splink scores SPLINK_LIKELY or more is a likely match, offered first, whatever the
    search made of it; a best candidate it scores below SPLINK_UNLIKELY is not likely, whatever the
    search and the postcode said."""
    probability = match.probabilities.get
    best = max(match.candidates, key=lambda c: probability(str(c[0].pk), -1.0))
    if probability(str(best[0].pk), -1.0) >= SPLINK_LIKELY:
        match.candidates.remove(best)
        match.candidates.insert(0, best)
        match.classification = RowMatch.LIKELY
    elif match.classification == RowMatch.LIKELY and probability(str(match.candidates[0][0].pk), 1.0) < SPLINK_UNLIKELY:
        match.classification = RowMatch.POSSIBLE


def person_import_confirmed(*, user, submission_key):
    """The user's import made from the preview with this token, if it was confirmed already."""
    from marm.linkage.models import PersonImport

    return PersonImport.objects.filter(imported_by=user, submission_key=submission_key).first()


def person_import_get_for_user(*, user, pk):
    """One of the agency's imports, with the people it created or linked that the user can see.

    The people are listed once, as a SEARCH row with their ids."""
    from marm.linkage.models import PersonImport

    found = PersonImport.objects.visible_to(user).filter(pk=pk).select_related("imported_by").first()
    if found is None:
        raise Http404("No import found")
    ids = {o[key] for o in found.outcomes for key in ("person", "linked_to") if o.get(key)}
    people = {str(p.pk): p for p in Person.objects.visible_to(user).filter(pk__in=ids)}
    audit_record(
        actor=user,
        action=AuditAction.SEARCH,
        object_type="people.person",
        purpose=f"Importing people: the summary of import {found.pk}",
        detail={"results": sorted(people)},
    )
    return found, people

"""The one search contract both engines serve (ADR 0013)."""

from dataclasses import dataclass

from marm.people.models import Person
from marm.people.search import engines
from marm.people.search.dates import PartialDate, birth_date_score
from marm.people.search.names import compare, recorded_names, words

# How many candidates an engine hands the scorer for each result asked for.
CANDIDATES_PER_RESULT = 5
MIN_CANDIDATES = 100
# An engine that finds this many candidates with its strictest test stops there.
ENOUGH_CANDIDATES = 5
# Name and date of birth weigh in the score when both are given.
NAME_WEIGHT = 0.65
# Below this, names share letters by chance (unrelated names score 0.4 to 0.7
# by Jaro-Winkler): not offered, whatever the date of birth.
MIN_NAME_SCORE = 0.75
# ... unless the date of birth agrees to the month or better: then a name
# further out (a slip in a short name) is still worth offering.
MIN_NAME_SCORE_WITH_BIRTH_DATE = 0.55


@dataclass(frozen=True)
class PersonMatch:
    person: Person
    score: float  # 0..1
    reasons: tuple[str, ...]


def search_people(queryset, *, name: str, date_of_birth=None, limit: int = 20) -> list[PersonMatch]:
    """People in ``queryset`` who may be the one described, best first.

    Tolerates misspellings, first and last names swapped, missing middle
    names and partial dates of birth (a date, a year, or (year, month)).
    ``queryset`` must already be scoped to what the caller may see; this
    function neither widens it nor audits.
    """
    if queryset.model is not Person:
        raise TypeError("search_people searches a Person queryset")
    tokens = words(name)
    dob = PartialDate.of(date_of_birth)
    if not tokens and dob is None:
        return []
    engine = engines.for_queryset(queryset)
    want = max(limit * CANDIDATES_PER_RESULT, MIN_CANDIDATES)
    ids = engine.candidate_ids(queryset, tokens=tokens, dob=dob, want=want, enough=ENOUGH_CANDIDATES)
    if not ids:
        return []
    people = queryset.filter(pk__in=ids).prefetch_related("aliases")
    matches = [_score(person, name=name, tokens=tokens, dob=dob) for person in people]
    matches = [m for m in matches if m is not None]
    matches.sort(key=lambda m: (-m.score, m.person.family_name, m.person.given_name, str(m.person.pk)))
    return matches[:limit]


def _score(person: Person, *, name: str, tokens: list[str], dob: PartialDate | None) -> PersonMatch | None:
    reasons: tuple[str, ...] = ()
    name_score = 0.0
    if tokens:
        best = max((compare(name, recorded) for recorded in recorded_names(person)), key=lambda a: a.score)
        name_score, reasons = best.score, best.reasons
        if name_score < MIN_NAME_SCORE:
            return None
    if dob is None:
        return PersonMatch(person, round(name_score, 4), reasons)
    dob_score, dob_reason = birth_date_score(
        dob, PartialDate.stored(person.date_of_birth, person.date_of_birth_precision)
    )
    if not tokens and dob_score == 0:
        return None
    if dob_reason:
        reasons += (dob_reason,)
    elif person.date_of_birth:
        reasons += ("Different date of birth",)
    score = NAME_WEIGHT * name_score + (1 - NAME_WEIGHT) * dob_score if tokens else dob_score
    return PersonMatch(person, round(score, 4), reasons)

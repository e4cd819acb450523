"""The one search contract both engines serve (ADR 0013)."""

from dataclasses import dataclass

from marm.people.models import Person
from marm.people.search import engines
from marm.people.search.dates import PartialDate, birth_date_score
from marm.people.search.names import compare, names_of, words

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
    # Candidates are read in one query (scoped; a row per other name, with
    # every column of the person), scored from their names and dates of birth,
    # and only the people finally offered are made Person instances, from the
    # same rows: no second query for them.
    fields = _person_fields(queryset)
    pk = fields.index(queryset.model._meta.pk.attname)
    rows: dict = {}
    aliases: dict = {}
    for *row, alias_given, alias_family in (
        queryset.filter(pk__in=ids).order_by().values_list(*fields, "aliases__given_name", "aliases__family_name")
    ):
        rows.setdefault(row[pk], tuple(row))
        if alias_given is not None:
            aliases.setdefault(row[pk], []).append((alias_given, alias_family))
    positions = [pk if column == "pk" else fields.index(column) for column in _CANDIDATE_FIELDS]
    scored = [
        _score(row, [row[i] for i in positions], aliases.get(row[pk], ()), name=name, tokens=tokens, dob=dob)
        for row in rows.values()
    ]
    scored = [s for s in scored if s is not None]
    # Best first, then by family name, given name and id.
    scored.sort(key=lambda s: (-s[1], s[3][3], s[3][1], str(s[3][0])))
    return [PersonMatch(_instance(queryset, fields, row), score, reasons) for row, score, reasons, _ in scored[:limit]]


def _person_fields(queryset) -> list[str]:
    """Every column of a Person, in the model's order, then the caller's annotations."""
    names = [field.attname for field in queryset.model._meta.concrete_fields]
    return names + [name for name in queryset.query.annotation_select if name not in names]


def _instance(queryset, fields: list[str], row: tuple):
    """A Person as the ORM would make it from the row, with the caller's annotations set on it."""
    concrete = len(queryset.model._meta.concrete_fields)
    person = queryset.model.from_db(queryset.db, fields[:concrete], row[:concrete])
    for name, value in zip(fields[concrete:], row[concrete:], strict=True):
        setattr(person, name, value)
    return person


# The columns the scorer reads, in the order it reads them.
_CANDIDATE_FIELDS = (
    "pk",
    "given_name",
    "middle_names",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "date_of_birth_precision",
)


def _score(row, columns, aliases, *, name: str, tokens: list[str], dob: PartialDate | None):
    """(row, score, reasons, columns) for one candidate, or None if it is not worth offering."""
    _pk, given_name, middle_names, family_name, preferred_name, date_of_birth, precision = columns
    reasons: tuple[str, ...] = ()
    name_score = 0.0
    if tokens:
        recorded = names_of(given_name, middle_names, family_name, preferred_name, aliases)
        best = max((compare(name, one) for one in recorded), key=lambda a: a.score)
        name_score, reasons = best.score, best.reasons
        if name_score < MIN_NAME_SCORE:
            return None
    if dob is None:
        return row, round(name_score, 4), reasons, columns
    dob_score, dob_reason = birth_date_score(dob, PartialDate.stored(date_of_birth, precision))
    if not tokens and dob_score == 0:
        return None
    if dob_reason:
        reasons += (dob_reason,)
    elif date_of_birth:
        reasons += ("Different date of birth",)
    score = NAME_WEIGHT * name_score + (1 - NAME_WEIGHT) * dob_score if tokens else dob_score
    return row, round(score, 4), reasons, columns

"""PostgreSQL: trigram similarity (pg_trgm, GIN) and Double Metaphone keys
(fuzzystrmatch), with the date of birth as the block when it is given.

The expressions match the indexes of people migration 0002 exactly, or the
planner cannot use them.
"""

# The SQL is assembled from fixed fragments and the caller's queryset as the
# ORM compiles it; everything typed by a user is passed as a parameter.
# ruff: noqa: S608

from django.db import connections
from rapidfuzz.distance import OSA

from marm.people.search.dates import PartialDate
from marm.people.search.engines import dob_block, scope_sql, year_only_records
from marm.people.search.names import normalise

# Trigram similarity at or above which a name is a candidate: first the
# higher one (fewer rows for the index to recheck), then, if that finds fewer
# people than asked for, pg_trgm's default 0.3, which keeps a one-letter slip
# in a short name. The scorer decides the order.
SIMILARITY_THRESHOLDS = (0.5, 0.3)
# word_similarity threshold when only one name is typed.
WORD_SIMILARITY_THRESHOLD = 0.6
# People found only because both names sound the same, with any date of birth.
SOUNDS_LIKE_LIMIT = 50

NAME = "(p.given_name || ' ' || p.family_name)"
PREFERRED = "(p.preferred_name || ' ' || p.family_name)"
ALIAS = "(a.given_name || ' ' || a.family_name)"
SOURCES = [
    (NAME, "people_person p", ""),
    (PREFERRED, "people_person p", "p.preferred_name <> ''"),
    (ALIAS, "people_personalias a", ""),
]


# Other names are matched in a subquery the planner may not flatten ("OFFSET
# 0"): joined to people_person, it misjudges the trigram test and scans every
# other name (a quarter of a second at a million people) instead of using
# the index.
ALIAS_MATCHES = "(SELECT a.person_id, {score} AS sim FROM people_personalias a WHERE {where} OFFSET 0) a"

# One name exactly right and the other at most two letters out, either way
# round: one slip can turn a name into another real one ("Shannon Moss" for
# Shannon Ross), which the trigram ranking then puts far below everyone with
# the name typed. Each reads one name index of people migration 0003 alone
# (first or last name as typed, with both names and the id in the index), so
# a name shared by thousands costs about a millisecond.
ONE_NAME_RIGHT = (
    "SELECT p.id, similarity({name}, %s) AS sim FROM people_person p "
    "WHERE lower(p.{exact}) = %s AND levenshtein_less_equal(lower(p.{near}), %s, 2) <= 2"
)


def _name_branch(expr, source, condition, *, typed, single, name_needed, dob_sql, dob_params, unindexed_at=None):
    """One source of candidates. ``unindexed_at``: test the name's similarity
    against that threshold row by row, not through the trigram index (when
    another condition already picks out a few hundred rows)."""
    score = f"word_similarity(%s, {expr})" if single else f"similarity({expr}, %s)"
    similar = f"%s <%% {expr}" if single else f"{expr} %% %s"
    if unindexed_at is not None:
        similar = f"{score} >= {float(unindexed_at)}"
    if expr == ALIAS:
        # Other names always need a similar name (they are never read with a date of birth block alone).
        matches = ALIAS_MATCHES.format(score=score, where=similar)
        if not dob_sql:
            return f"SELECT a.person_id AS id, a.sim FROM {matches}", [typed, typed]
        return (
            f"SELECT a.person_id AS id, a.sim FROM {matches} JOIN people_person p ON p.id = a.person_id "
            f"WHERE {dob_sql}",
            [typed, typed, *dob_params],
        )
    where, params = ([condition] if condition else []), [typed]
    if name_needed:
        where.append(similar)
        params.append(typed)
    if dob_sql:
        where.append(dob_sql)
        params += dob_params
    return f"SELECT p.id, {score} AS sim FROM {source} WHERE {' AND '.join(where) or 'TRUE'}", params


def candidate_ids(queryset, *, tokens: list[str], dob: PartialDate | None, want: int, enough: int = 20) -> list:
    settings: dict = {}
    if len(tokens) > 1 and not _block_only(tokens, dob):
        # With a first and a last name, first the candidates small indexes
        # give in a millisecond or two: one name as typed and the other a
        # letter or two out, names that sound the same, the name they prefer
        # and their other names. The trigram test of every recorded name (tens
        # of milliseconds at a million people, for a name thousands share)
        # runs only if these are too few, and none of them is the person
        # described but for one slip.
        found, rows = _candidate_ids(
            queryset,
            tokens=tokens,
            dob=dob,
            want=want,
            threshold=SIMILARITY_THRESHOLDS[0],
            settings=settings,
            quick=True,
        )
        if len(found) >= enough or any(_described(tokens, dob, *row[1:]) for row in rows):
            return found
    found = []
    for threshold in SIMILARITY_THRESHOLDS:
        found, _ = _candidate_ids(
            queryset, tokens=tokens, dob=dob, want=want, threshold=threshold, settings=settings, quick=False
        )
        if len(found) >= enough:
            break
    return found


def _described(tokens: list[str], dob: PartialDate | None, given_name: str, family_name: str, born_then: bool) -> bool:
    """Whether a candidate is the person described but for one slip: one name as typed and the
    other one slip out (a letter added, dropped, changed, or two swapped), either way round, and
    born in the year typed if one is. The trigram test would add only people with neither name
    as typed, or the other name further out, who all but always score lower: the search need not
    look further (recall unchanged on benchmarks/bench_search.py and bench_duty.py)."""
    if dob is not None and not born_then:
        return False
    first, last = tokens[0], tokens[-1]
    given, family = normalise(given_name), normalise(family_name)
    return any(
        exact == typed_exact and OSA.distance(near, typed_near, score_cutoff=1) <= 1
        for exact, typed_exact, near, typed_near in (
            (given, first, family, last),
            (family, last, given, first),
            (family, first, given, last),
            (given, last, family, first),
        )
    )


def _block_only(tokens: list[str], dob: PartialDate | None) -> bool:
    """With a name and a month or a full date of birth, everyone born then is a candidate (a small block)."""
    return bool(tokens) and dob is not None and dob.month is not None


def _candidate_ids(
    queryset,
    *,
    tokens: list[str],
    dob: PartialDate | None,
    want: int,
    threshold: float,
    settings: dict,
    quick: bool,
) -> tuple[list, list]:
    """(ids best first, rows). ``quick``: leave out the trigram test of every recorded name, and
    give each candidate's rows as (id, first name, last name, born when ``dob`` says).
    ``settings``: the thresholds already set on the connection for this search."""
    scope, scope_params = scope_sql(queryset)
    # People recorded with only a year of birth are many: among them, names must be similar.
    block_only = _block_only(tokens, dob)
    dob_sql, dob_params = dob_block(dob, year_only_records=not block_only) if dob else ("", [])
    branches: list[tuple[str, list]] = []
    if tokens:
        first, last = tokens[0], tokens[-1]
        single = len(tokens) == 1
        typed = first if single else f"{first} {last}"
        # With a full date of birth, or a month and year, everyone born then
        # is a candidate (a small block, ranked by name); with a year or no
        # date the names must be similar.
        if block_only:
            year_sql, year_params = year_only_records(dob)
            branches.append(
                _name_branch(
                    NAME,
                    "people_person p",
                    "",
                    typed=typed,
                    single=single,
                    name_needed=True,
                    dob_sql=year_sql,
                    dob_params=year_params,
                    # Everyone recorded with that year alone is a few hundred
                    # people: testing each is cheaper than the trigram index.
                    unindexed_at=WORD_SIMILARITY_THRESHOLD if single else threshold,
                )
            )
        # The quick pass leaves out the trigram test of every recorded name.
        sources = SOURCES[:1] if block_only else SOURCES[1:] if quick else SOURCES
        for expr, source, condition in sources:
            branches.append(
                _name_branch(
                    expr,
                    source,
                    condition,
                    typed=typed,
                    single=single,
                    name_needed=not block_only,
                    dob_sql=dob_sql,
                    dob_params=dob_params,
                )
            )
        if not single and not block_only:
            straight, swapped = f"{first} {last}", f"{last} {first}"
            for exact, exact_value, near, near_value, typed_as in (
                ("given_name", first, "family_name", last, straight),
                ("family_name", last, "given_name", first, straight),
                ("family_name", first, "given_name", last, swapped),
                ("given_name", last, "family_name", first, swapped),
            ):
                branches.append(
                    (ONE_NAME_RIGHT.format(name=NAME, exact=exact, near=near), [typed_as, exact_value, near_value])
                )
        # Names that sound the same, with any date of birth: a mistyped date
        # or a badly misspelt name must not hide the person.
        if single:
            sounds, sounds_params = "dmetaphone(p.family_name) = dmetaphone(%s)", [first]
        else:
            sounds = (
                "(dmetaphone(p.family_name), dmetaphone(p.given_name)) IN "
                "((dmetaphone(%s), dmetaphone(%s)), (dmetaphone(%s), dmetaphone(%s)))"
            )
            sounds_params = [last, first, first, last]
        branches.append(
            (
                f"(SELECT p.id, 0.0 AS sim FROM people_person p WHERE {sounds} "
                f"AND p.id IN ({scope}) LIMIT {int(SOUNDS_LIKE_LIMIT)})",
                sounds_params + list(scope_params),
            )
        )
    elif dob:
        branches.append((f"SELECT p.id, 0.0 AS sim FROM people_person p WHERE {dob_sql}", dob_params))
    else:
        return [], []

    union = " UNION ALL ".join(sql for sql, _ in branches)
    params = [value for _, branch_params in branches for value in branch_params]
    # For the quick pass, each candidate's names and whether they were born
    # when the year typed says, to decide whether to look further.
    extra, extra_params = "", []
    if quick:
        born_then = f"EXISTS (SELECT 1 FROM people_person p WHERE p.id = g.id AND {dob_sql})" if dob else "FALSE"
        extra = (
            f", (SELECT p.given_name FROM people_person p WHERE p.id = g.id), "
            f"(SELECT p.family_name FROM people_person p WHERE p.id = g.id), {born_then}"
        )
        extra_params = dob_params if dob else []
    # Best first, then the caller's scope, read in that order only until
    # enough people are found ("OFFSET 0" keeps the planner from checking the
    # scope of every similar name first: thousands with a common first name).
    sql = (
        f"SELECT g.id{extra} FROM (SELECT c.id, max(c.sim) AS sim FROM ({union}) c GROUP BY c.id "
        f"ORDER BY max(c.sim) DESC, c.id OFFSET 0) g WHERE g.id IN ({scope}) LIMIT {int(want)}"
    )
    wanted = {"similarity": str(threshold), "word_similarity": str(WORD_SIMILARITY_THRESHOLD)}
    with connections[queryset.db].cursor() as cursor:
        # The trigram indexes find names at the connection's thresholds (a
        # statement of its own, once a search unless the threshold changes); a
        # date of birth block reads none of them.
        if not block_only and settings != wanted:
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, false), "
                "set_config('pg_trgm.word_similarity_threshold', %s, false)",
                [wanted["similarity"], wanted["word_similarity"]],
            )
            settings.clear()
            settings.update(wanted)
        cursor.execute(sql, [*extra_params, *params, *scope_params])
        rows = cursor.fetchall()
    return [row[0] for row in rows], rows

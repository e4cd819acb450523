"""SQLite: FTS5 with the trigram tokenizer (people migration 0002), any
shared trigram making a candidate, ranked by bm25; the date of birth as the
block when it is given. The shared scorer re-ranks what this finds."""

# The SQL is assembled from fixed fragments and the caller's queryset as the
# ORM compiles it; everything typed by a user is passed as a parameter.
# ruff: noqa: S608

from django.db import connections
from rapidfuzz.distance import Levenshtein

from marm.people.search.dates import PartialDate
from marm.people.search.engines import dob_block
from marm.people.search.names import sounds_like_key

# People found because their names sound the same, with any date of birth.
ANY_DATE_LIMIT = 50 * 4
# How many more candidates than asked for, since they are not yet scoped.
SCOPE_SLACK = 4
# A date of birth block is scored whole: SQLite cannot rank it by name.
BLOCK_LIMIT = 2000


# "One name right, the other a letter or two out" (as on PostgreSQL).
ONE_NAME_RIGHT = (
    "SELECT id FROM (SELECT p.id FROM people_person p "
    "WHERE lower(p.{exact}) = %s AND marm_edits(lower(p.{near}), %s) <= 2 LIMIT {limit})"
)


def edits(a: str, b: str) -> int:
    """Levenshtein distance, counted no further than three (what PostgreSQL's levenshtein_less_equal gives)."""
    return Levenshtein.distance(a or "", b or "", score_cutoff=2)


def register_functions(sender, connection, **kwargs):
    """Give each SQLite connection the functions the search triggers and queries call."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("marm_sounds_like", 1, sounds_like_key, deterministic=True)
        connection.connection.create_function("marm_edits", 2, edits, deterministic=True)


def _fts_query(tokens: list[str]) -> str:
    """'jon smyth' -> '"jon" OR "smy" OR "myt" OR "yth"': any shared trigram makes a candidate."""
    grams = []
    for token in tokens:
        if len(token) < 3:
            continue
        grams += [token[i : i + 3] for i in range(len(token) - 2)]
    # Tokens are letters only (names.normalise), so quoting is enough.
    return " OR ".join(f'"{gram}"' for gram in dict.fromkeys(grams))


def candidate_ids(queryset, *, tokens: list[str], dob: PartialDate | None, want: int, enough: int = 20) -> list:
    # SQLite would build the caller's whole scope as a temporary table for
    # "p.id IN (scope)" (a second per hundred thousand people), so the
    # candidates here are unscoped, SCOPE_SLACK times as many, and
    # search_people applies the scope when it fetches them by id.
    scope_params: list = []
    want *= SCOPE_SLACK
    dob_sql, dob_params = dob_block(dob) if dob else ("", [])
    found: list = []
    with connections[queryset.db].cursor() as cursor:
        if dob is not None and (dob.month is not None or not tokens):
            # A full date, or a month and year: everyone born then (a small block).
            cursor.execute(
                f"SELECT p.id FROM people_person p WHERE {dob_sql} LIMIT {BLOCK_LIMIT}",
                [*dob_params, *scope_params],
            )
            found += [row[0] for row in cursor.fetchall()]
        match = _fts_query(tokens)
        # With a full date, or a month and year, the block above holds everyone
        # born then, and names that sound the same (below) cover a mistyped
        # date: ranking every shared trigram in the table would cost seconds.
        if match and (dob is None or dob.month is None):
            # With a year only, names within that year.
            year_only = dob is not None
            dob_filter = f" AND {dob_sql}" if year_only else ""
            dob_params = dob_params if year_only else []
            for sql in (
                "SELECT p.id FROM person_search_fts f JOIN people_person p ON p.rowid = f.rowid "
                f"WHERE person_search_fts MATCH %s{dob_filter} ORDER BY f.rank LIMIT {int(want)}",
                "SELECT p.id FROM alias_search_fts f JOIN people_personalias a ON a.id = f.rowid "
                "JOIN people_person p ON p.id = a.person_id "
                f"WHERE alias_search_fts MATCH %s{dob_filter} ORDER BY f.rank LIMIT {int(want)}",
            ):
                cursor.execute(sql, [match, *dob_params, *scope_params])
                found += [row[0] for row in cursor.fetchall()]
        if tokens:
            first, last = tokens[0], tokens[-1]
            if len(tokens) > 1 and (dob is None or dob.month is None):
                ways = (
                    ("given_name", first, "family_name", last),
                    ("family_name", last, "given_name", first),
                    ("family_name", first, "given_name", last),
                    ("given_name", last, "family_name", first),
                )
                cursor.execute(
                    " UNION ALL ".join(
                        ONE_NAME_RIGHT.format(exact=exact, near=near, limit=int(want)) for exact, _, near, _ in ways
                    ),
                    [value for _, exact_value, _, near_value in ways for value in (exact_value, near_value)],
                )
                found += [row[0] for row in cursor.fetchall()]
            # Names that sound the same, with any date of birth.
            if len(tokens) == 1:
                sounds, sounds_params = "s.family_key = %s", [sounds_like_key(first)]
            else:
                sounds = "((s.family_key = %s AND s.given_key = %s) OR (s.family_key = %s AND s.given_key = %s))"
                sounds_params = [
                    sounds_like_key(last),
                    sounds_like_key(first),
                    sounds_like_key(first),
                    sounds_like_key(last),
                ]
            cursor.execute(
                "SELECT p.id FROM person_search_sounds s JOIN people_person p ON p.rowid = s.person_rowid "
                f"WHERE {sounds} LIMIT {ANY_DATE_LIMIT}",
                [*sounds_params, *scope_params],
            )
            found += [row[0] for row in cursor.fetchall()]
    return list(dict.fromkeys(found))

"""Tolerant person search at scale: latency and top-5 recall, beside the old icontains search.

Run from the project root against a database filled by ``manage.py generate_scale``:

    DJANGO_SETTINGS_MODULE=marm.config.settings.test \
        .venv/bin/python benchmarks/bench_search.py --queries 300

It samples generated people (reservoir sampling over the whole table, seeded),
and for each builds what a caller might type about them: the name with one
edit (insert, delete, substitute or transpose a letter, in the first or last
name), the names swapped, the middle names left out, and the date of birth in
full, as a year, or not at all. Each query runs as the practitioner of an
agency involved with the person, through ``search_people`` on
``Person.objects.visible_to(user)`` (what the duty desk and the find-a-person
page call), and through the icontains search marm had before (every word in
some name, exact date of birth), on the same data.

Recall@5 is the share of queries whose person is among the first five. With
a name alone, several people can share a name exactly; "recall@5 (ties)" also
counts a query whose person scores the same as the fifth result (no search
could tell them apart without more details).
"""

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marm.config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Exists, OuterRef, Q  # noqa: E402

from marm.demo.management.commands.generate_scale import USER_EMAIL  # noqa: E402
from marm.people.models import AgencyInvolvement, DatePrecision, Person, PersonAlias  # noqa: E402
from marm.people.search import search_people  # noqa: E402

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", type=int, default=300, help="People sampled, one query each per scenario.")
    parser.add_argument("--seed", type=int, default=7, help="Seed for sampling and corrupting.")
    parser.add_argument("--warmup", type=int, default=20, help="Untimed queries per scenario first.")
    parser.add_argument(
        "--icontains-queries",
        type=int,
        default=50,
        help="Queries per scenario for the old icontains search (it takes seconds each at a million people).",
    )
    parser.add_argument(
        "--show-misses",
        action="store_true",
        help="List each tolerant query whose person is not in the first five, with the five offered.",
    )
    return parser.parse_args(argv)


def one_edit(rng: random.Random, word: str) -> str:
    operation = rng.choice(["insert", "delete", "substitute", "transpose"])
    word = word.lower()
    if operation == "insert":
        at = rng.randint(0, len(word))
        return word[:at] + rng.choice(LETTERS) + word[at:]
    if operation == "delete" and len(word) > 2:
        at = rng.randrange(len(word))
        return word[:at] + word[at + 1 :]
    if operation == "transpose" and len(word) > 2:
        at = rng.randrange(len(word) - 1)
        if word[at] != word[at + 1]:
            return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    at = rng.randrange(len(word))
    replacement = rng.choice([c for c in LETTERS if c != word[at]])
    return word[:at] + replacement + word[at + 1 :]


def typo_name(rng, person) -> str:
    given, family = person["given_name"], person["family_name"]
    if rng.random() < 0.5:
        given = one_edit(rng, given)
    else:
        family = one_edit(rng, family)
    return f"{given} {family}"


def full_dob(person):
    return person["date_of_birth"] if person["date_of_birth_precision"] == DatePrecision.EXACT else None


# scenario name -> (name typed, date of birth given); None means the person does not suit it.
SCENARIOS = {
    "name + date of birth, one typo": lambda rng, p: (typo_name(rng, p), full_dob(p)) if full_dob(p) else None,
    "name + year of birth, one typo": lambda rng, p: (typo_name(rng, p), p["date_of_birth"].year),
    "name + date of birth, swapped names, one typo": lambda rng, p: (
        (" ".join(reversed(typo_name(rng, p).split())), full_dob(p)) if full_dob(p) else None
    ),
    "name only, one typo": lambda rng, p: (typo_name(rng, p), None),
    "name only, exact": lambda rng, p: (f"{p['given_name']} {p['family_name']}", None),
    "name only, swapped": lambda rng, p: (f"{p['family_name']} {p['given_name']}", None),
}


def icontains_search(queryset, *, name, date_of_birth=None, limit=20):
    """marm's search before ADR 0013 (people selectors at b5eeb46), for comparison."""
    people = queryset
    for word in name.split():
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
    if date_of_birth is not None:
        if isinstance(date_of_birth, int):
            people = people.filter(date_of_birth__year=date_of_birth)
        else:
            people = people.filter(
                Q(date_of_birth=date_of_birth, date_of_birth_precision=DatePrecision.EXACT)
                | Q(date_of_birth=date_of_birth.replace(day=1), date_of_birth_precision=DatePrecision.MONTH)
                | Q(date_of_birth=date_of_birth.replace(month=1, day=1), date_of_birth_precision=DatePrecision.YEAR)
            )
    return list(people.order_by("family_name", "given_name", "pk")[:limit])


def show_miss(scenario, name, person, found, ids):
    rank = ids.index(person["pk"]) + 1 if person["pk"] in ids else None
    mine = f"{found[rank - 1].score:.3f}" if rank else "-"
    print(
        f"  miss ({scenario}): {name!r} for {person['given_name']} {person['family_name']}: "
        f"rank {rank or 'not offered'}, score {mine}; offered first: "
        + "; ".join(f"{m.person.given_name} {m.person.family_name} {m.score:.3f}" for m in found[:5])
    )


def sample_people(rng, count):
    """Reservoir sample over every generated person, in primary key order."""
    fields = ("pk", "given_name", "middle_names", "family_name", "date_of_birth", "date_of_birth_precision")
    reservoir = []
    for seen, row in enumerate(
        Person.objects.filter(date_of_birth__isnull=False).order_by("pk").values(*fields).iterator(chunk_size=20000)
    ):
        if seen < count:
            reservoir.append(row)
        else:
            slot = rng.randint(0, seen)
            if slot < count:
                reservoir[slot] = row
    return reservoir


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def database_description() -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def main(argv=None):
    args = parse_args(argv)
    rng = random.Random(args.seed)
    users = {u.agency_id: u for u in get_user_model().objects.filter(email__startswith=USER_EMAIL.split("{}")[0])}
    total = Person.objects.count()
    print(f"{database_description()}, {total:,} people, Python {platform.python_version()}")
    started = time.perf_counter()
    people = sample_people(rng, args.queries)
    print(f"Sampled {len(people)} people in {time.perf_counter() - started:.1f} s")
    for person in people:
        agency_id = (
            AgencyInvolvement.objects.filter(person_id=person["pk"], ended_at__isnull=True, agency_id__in=users)
            .values_list("agency_id", flat=True)
            .first()
        )
        person["user"] = users[agency_id]

    rows = []
    for scenario, build in SCENARIOS.items():
        queries = [(p, build(rng, p)) for p in people]
        queries = [(p, q) for p, q in queries if q is not None]
        for engine_name, engine in (("tolerant", search_people), ("icontains", icontains_search)):
            timed = queries[: args.icontains_queries] if engine_name == "icontains" else queries
            if not timed:
                continue
            for person, (name, dob) in queries[: args.warmup]:
                engine(Person.objects.visible_to(person["user"]), name=name, date_of_birth=dob, limit=20)
            times, hits, tie_hits = [], 0, 0
            for person, (name, dob) in timed:
                scoped = Person.objects.visible_to(person["user"])
                began = time.perf_counter()
                found = engine(scoped, name=name, date_of_birth=dob, limit=20)
                times.append((time.perf_counter() - began) * 1000)
                ids = [getattr(m, "person", m).pk for m in found]
                if person["pk"] in ids[:5]:
                    hits += 1
                    tie_hits += 1
                elif engine_name == "tolerant" and person["pk"] in ids and len(found) >= 5:
                    mine = found[ids.index(person["pk"])].score
                    tie_hits += mine >= found[4].score
                if engine_name == "tolerant" and args.show_misses and person["pk"] not in ids[:5]:
                    show_miss(scenario, name, person, found, ids)
            n = len(timed)
            rows.append(
                (scenario, engine_name, n, statistics.median(times), percentile(times, 0.95), hits / n, tie_hits / n)
            )
            print(
                f"{scenario:48} {engine_name:9} n={n:4} p50 {rows[-1][3]:7.1f} ms  p95 {rows[-1][4]:7.1f} ms  "
                f"recall@5 {rows[-1][5]:.3f}  (ties {rows[-1][6]:.3f})",
                flush=True,
            )
    print(f"load average at the end: {os.getloadavg()}")
    print()
    print("| scenario | search | queries | p50 ms | p95 ms | recall@5 | recall@5 (ties) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for scenario, engine_name, n, p50, p95, recall, ties in rows:
        print(f"| {scenario} | {engine_name} | {n} | {p50:.1f} | {p95:.1f} | {recall:.3f} | {ties:.3f} |")


if __name__ == "__main__":
    main()

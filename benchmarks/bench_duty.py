"""The duty desk's person lookup at scale: latency, queries and top-5 recall.

Run from the project root against a database filled by ``manage.py generate_scale``:

    DJANGO_SETTINGS_MODULE=marm.config.settings.test \
        .venv/bin/python benchmarks/bench_duty.py --queries 300

It times ``duty_search`` exactly as the duty page calls it (the name typed,
a date of birth or a year of birth, no age range, every person rather than
people on a register only): the tolerant search on the officer's scope, the
audit row of the search and the minimal cards. Each query runs as a duty
officer of an agency involved with the sampled person. The generator makes
no duty officers, so the first run adds one to each scale agency's team
(``scale-duty-<n>@scale.example.org``, no password) and later runs reuse them.

Three kinds of query, for the same sampled people, each with one typo in the
first or the last name (one letter added, dropped, changed, or two swapped):

- name and full date of birth (people recorded with an exact date only);
- name and year of birth ("born 1950": what callers know);
- name alone.

The kinds are interleaved (one query of each in turn), so a change in the
machine's load falls on all three alike. Recall@5 is the share of queries
whose person is among the first five cards. The load average is printed at
the start and the end of the timed queries.

``--statements N`` times each statement of N searches of each kind first;
``--explain N`` prints ``EXPLAIN (ANALYZE, BUFFERS)`` of every statement one
search sends, for N queries of each kind; ``--profile`` runs the timed
queries under pyinstrument (if it is importable) and prints its report.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marm.config.settings.test")

import django  # noqa: E402

django.setup()

from bench_search import database_description, percentile, sample_people, typo_name  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from marm.demo.management.commands.generate_scale import AGENCY_NAME, TEAM_NAME  # noqa: E402
from marm.organisations.models import Agency, Membership, Role, Team  # noqa: E402
from marm.people.models import AgencyInvolvement, DatePrecision, Person  # noqa: E402
from marm.register.duty_selectors import duty_search  # noqa: E402

DUTY_EMAIL = "scale-duty-{}@scale.example.org"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", type=int, default=300, help="People sampled, one query of each kind each.")
    parser.add_argument("--seed", type=int, default=7, help="Seed for sampling and for the typos.")
    parser.add_argument("--warmup", type=int, default=10, help="Untimed queries of each kind first.")
    parser.add_argument("--show-misses", action="store_true", help="List each query whose person is not in the top 5.")
    parser.add_argument("--explain", type=int, default=0, metavar="N", help="EXPLAIN ANALYZE N queries of each kind.")
    parser.add_argument("--profile", action="store_true", help="Profile the timed queries with pyinstrument.")
    parser.add_argument(
        "--statements", type=int, default=0, metavar="N", help="Time each statement of N searches of each kind first."
    )
    return parser.parse_args(argv)


def duty_officers() -> dict:
    """A duty officer in each scale agency's team, by agency id (made once, then reused)."""
    User = get_user_model()
    officers = {}
    for agency in Agency.objects.filter(name__startswith=AGENCY_NAME.split("{}")[0]).order_by("pk"):
        number = agency.name.rsplit(" ", 1)[-1]
        team = Team.objects.get(agency=agency, name=TEAM_NAME)
        email = DUTY_EMAIL.format(number)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, None, full_name=f"Scale Duty Officer {number}", agency=agency, job_title="Duty officer"
            )
        Membership.objects.get_or_create(user=user, team=team, role=Role.DUTY_OFFICER)
        officers[agency.pk] = user
    return officers


def exact_date(person):
    return person["date_of_birth"] if person["date_of_birth_precision"] == DatePrecision.EXACT else None


# kind -> keyword arguments of duty_search beyond the user, or None if the person does not suit it.
KINDS = {
    "name + date of birth": lambda rng, p: (
        {"name": typo_name(rng, p), "date_of_birth": exact_date(p)} if exact_date(p) else None
    ),
    "name + year of birth": lambda rng, p: {"name": typo_name(rng, p), "year_of_birth": p["date_of_birth"].year},
    "name alone": lambda rng, p: {"name": typo_name(rng, p)},
}


class QueryLog:
    """Every statement sent, with its time, for counting, for EXPLAIN and for ``--statements``."""

    def __init__(self):
        self.statements = []
        self.times = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, params))
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.times.append((time.perf_counter() - began) * 1000)


def statement_label(sql: str) -> str:
    words = sql.split()
    if words[0].upper() in ("INSERT", "UPDATE"):
        return " ".join(words[:3])
    if "FROM" in words:
        table = words[words.index("FROM") + 1]
        return f"select from {table if not table.startswith('(') else '(candidates)'}"
    return " ".join(words[:2])[:60]


def statement_times(queries, count):
    """Per kind, the median time of each statement a search sends, over ``count`` queries."""
    for kind, pairs in queries.items():
        spent: dict = {}
        whole = []
        for person, query in pairs[:count]:
            log = QueryLog()
            began = time.perf_counter()
            with connection.execute_wrapper(log):
                search(person["user"], query)
            whole.append((time.perf_counter() - began) * 1000)
            for (sql, _), took in zip(log.statements, log.times, strict=True):
                spent.setdefault(statement_label(sql), []).append(took)
        print(f"\n{kind}: {count} searches, median {statistics.median(whole):.1f} ms a search")
        for label, taken in spent.items():
            print(
                f"  {len(taken) / count:4.1f} a search, median {statistics.median(taken):6.2f} ms, "
                f"p95 {percentile(taken, 0.95):6.2f} ms  {label}"
            )


def search(user, query):
    return duty_search(
        user=user,
        name=query["name"],
        date_of_birth=query.get("date_of_birth"),
        year_of_birth=query.get("year_of_birth"),
        aged_from=None,
        aged_to=None,
        register_only=False,
    )


def explain(user, query):
    log = QueryLog()
    with connection.execute_wrapper(log):
        search(user, query)
    print(f"\n=== {query} ({len(log.statements)} statements)")
    with connection.cursor() as cursor:
        for sql, params in log.statements:
            head = sql.lstrip().split(None, 1)[0].upper()
            if head not in ("SELECT", "WITH"):
                print(f"--- (not explained) {sql[:160]}")
                continue
            began = time.perf_counter()
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
            took = (time.perf_counter() - began) * 1000
            print(f"--- {took:.1f} ms: {sql[:300]}")
            for line in plan:
                print("    " + line)


def main(argv=None):
    args = parse_args(argv)
    rng = random.Random(args.seed)
    officers = duty_officers()
    total = Person.objects.count()
    print(f"{database_description()}, {total:,} people, {len(officers)} scale agencies with a duty officer")
    started = time.perf_counter()
    people = sample_people(rng, args.queries)
    print(f"Sampled {len(people)} people in {time.perf_counter() - started:.1f} s")
    for person in people:
        agency_id = (
            AgencyInvolvement.objects.filter(person_id=person["pk"], ended_at__isnull=True, agency_id__in=officers)
            .values_list("agency_id", flat=True)
            .first()
        )
        person["user"] = officers[agency_id]

    queries = {kind: [(p, build(rng, p)) for p in people] for kind, build in KINDS.items()}
    queries = {kind: [(p, q) for p, q in pairs if q is not None] for kind, pairs in queries.items()}

    for pairs in queries.values():
        for person, query in pairs[: args.warmup]:
            search(person["user"], query)
        for person, query in pairs[: args.explain]:
            explain(person["user"], query)

    if args.statements:
        statement_times(queries, args.statements)

    # Statements per search, counted on one query of each kind (not timed).
    statements = {}
    for kind, pairs in queries.items():
        log = QueryLog()
        with connection.execute_wrapper(log):
            search(pairs[0][0]["user"], pairs[0][1])
        statements[kind] = len(log.statements)

    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    times = {kind: [] for kind in queries}
    hits = dict.fromkeys(queries, 0)
    load_start = os.getloadavg()
    began_all = time.perf_counter()
    longest = max(len(pairs) for pairs in queries.values())
    for index in range(longest):
        for kind, pairs in queries.items():
            if index >= len(pairs):
                continue
            person, query = pairs[index]
            began = time.perf_counter()
            cards = search(person["user"], query)
            times[kind].append((time.perf_counter() - began) * 1000)
            ids = [card.person.pk for card in cards]
            if person["pk"] in ids[:5]:
                hits[kind] += 1
            elif args.show_misses:
                rank = ids.index(person["pk"]) + 1 if person["pk"] in ids else "not offered"
                offered = "; ".join(f"{c.person.given_name} {c.person.family_name}" for c in cards[:5])
                print(
                    f"  miss ({kind}): {query} for {person['given_name']} {person['family_name']} "
                    f"({person['date_of_birth']}, {person['date_of_birth_precision']}): rank {rank}; first: {offered}"
                )
    elapsed = time.perf_counter() - began_all
    load_end = os.getloadavg()
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False, show_all=False))

    print(f"{sum(len(t) for t in times.values())} timed searches in {elapsed:.1f} s")
    print(f"load average at the start {load_start}, at the end {load_end}")
    print()
    print("| query | searches | statements | p50 ms | p95 ms | p99 ms | recall@5 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for kind, taken in times.items():
        n = len(taken)
        print(
            f"| {kind}, one typo | {n} | {statements[kind]} | {statistics.median(taken):.1f} | "
            f"{percentile(taken, 0.95):.1f} | {percentile(taken, 0.99):.1f} | {hits[kind] / n:.3f} |"
        )


if __name__ == "__main__":
    main()

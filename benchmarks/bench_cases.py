"""Time the case page against a database of generated cases.

Run from the project root, after ``manage.py generate_scale --cases N`` has
filled the database (or pass --generate to add the shortfall first):

    DJANGO_SETTINGS_MODULE=marm.config.settings.test \
        .venv/bin/python benchmarks/bench_cases.py --cases 100000 --requests 200

Each request is GET /cases/<uuid>/ for a random generated case, signed in as
the practitioner of the case's lead agency, so it shows the full case. It goes
through the whole Django stack (middleware, session, selectors, audit,
templates) with django.test.Client; every timed request writes its audit row
and saves its session, as a real one does.

It also counts the SQL queries of one case page for the smallest and the
largest generated case (fewest and most rows on the page), which should be
the same number whatever the size of the case.
"""

import argparse
import contextlib
import logging
import os
import platform
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marm.config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import DEFAULT_DB_ALIAS, connection, connections  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from marm.audit.models import AuditEvent  # noqa: E402
from marm.cases.models import Case, CaseAgency, CaseTransition, KeyAction, LeadProfessional, Screening  # noqa: E402
from marm.decisions.models import Decision  # noqa: E402
from marm.demo.management.commands.generate_scale import (  # noqa: E402
    AGENCY_NAME,
    CASE_REFERENCE_PREFIX,
    USER_EMAIL,
)
from marm.people.models import Person  # noqa: E402

# The records under a case, with what to call them.
CASE_RECORDS = [
    (CaseAgency, "agency parts"),
    (CaseTransition, "transitions"),
    (Screening, "screenings"),
    (Decision, "decisions"),
    (KeyAction, "key actions"),
    (LeadProfessional, "lead professionals"),
]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, required=True, help="Generated cases the database should hold.")
    parser.add_argument("--requests", type=int, default=200, help="Timed requests (default 200).")
    parser.add_argument("--warmup", type=int, default=20, help="Untimed requests first (default 20).")
    parser.add_argument("--seed", type=int, default=1, help="Seed for choosing cases.")
    parser.add_argument(
        "--generate", action="store_true", help="Run generate_scale --cases first for any shortfall against --cases."
    )
    parser.add_argument(
        "--show-queries", action="store_true", help="Print the SQL of the smallest and largest case pages."
    )
    return parser.parse_args(argv)


def scale_users_by_agency() -> dict:
    User = get_user_model()
    users = User.objects.filter(
        email__startswith=USER_EMAIL.split("{}")[0], agency__name__startswith=AGENCY_NAME[:-2]
    ).order_by("email")
    return {user.agency_id: user for user in users}


def database_description() -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    return connection.vendor


def generated_cases():
    return Case.objects.filter(reference__startswith=CASE_REFERENCE_PREFIX)


def rows_per_case() -> Counter:
    """How many records each case has under it: the rows its page can show."""
    sizes = Counter()
    for model, _name in CASE_RECORDS:
        for case_id, count in model.objects.values_list("case_id").annotate(n=Count("pk")).order_by():
            sizes[case_id] += count
    return sizes


class SqlTimer:
    """How many statements a request sends and how long the database takes over them and its commits.

    Statements are timed by an execute wrapper; commits do not pass through
    one, so the connection's commit is wrapped too while the timer is in use.
    """

    def __init__(self, database):
        self.database = database
        self.queries = 0
        self.commits = 0
        self.seconds = 0.0

    def reset(self):
        self.queries, self.commits, self.seconds = 0, 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1

    @contextlib.contextmanager
    def installed(self):
        commit = self.database._commit

        def timed_commit():
            started = time.perf_counter()
            try:
                return commit()
            finally:
                self.seconds += time.perf_counter() - started
                self.commits += 1

        self.database._commit = timed_commit
        try:
            with self.database.execute_wrapper(self):
                yield self
        finally:
            del self.database._commit


def main(argv=None) -> int:
    args = parse_args(argv)
    # django-axes logs every force_login; that is noise here.
    logging.getLogger("axes").setLevel(logging.WARNING)
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    if args.generate:
        existing = generated_cases().count()
        if existing < args.cases:
            call_command("generate_scale", cases=args.cases - existing)

    users = scale_users_by_agency()
    case_count = generated_cases().count()
    if not users or case_count == 0:
        print("No generated cases found. Run first:\n  manage.py generate_scale --cases N", file=sys.stderr)
        return 2
    if case_count < args.cases:
        print(
            f"The database holds {case_count:,} generated cases, fewer than --cases {args.cases:,}. "
            "Run manage.py generate_scale --cases (or pass --generate).",
            file=sys.stderr,
        )
        return 2

    cases = list(generated_cases().order_by("reference").values_list("id", "reference", "lead_agency_id"))
    cases = [row for row in cases if row[2] in users]
    clients = {}
    for agency_id, user in users.items():
        client = Client()
        client.force_login(user)
        clients[agency_id] = client

    def get_case_page(row):
        case_id, reference, agency_id = row
        response = clients[agency_id].get(f"/cases/{case_id}/")
        if response.status_code != 200 or reference not in response.content.decode():
            raise SystemExit(f"GET /cases/{case_id}/ ({reference}): HTTP {response.status_code} or not the case")
        return response

    # The query count for the case with the fewest and the most rows under it.
    sizes = rows_per_case()
    by_size = sorted(cases, key=lambda row: (sizes[row[0]], row[1]))
    extremes = [("smallest", by_size[0]), ("largest", by_size[-1])]
    query_counts = []
    for label, row in extremes:
        get_case_page(row)  # once untimed, so both are measured warm
        with CaptureQueriesContext(connection) as captured:
            get_case_page(row)
        query_counts.append((label, row, sizes[row[0]], captured.captured_queries))

    rng = random.Random(args.seed)
    for _ in range(args.warmup):
        get_case_page(rng.choice(cases))

    timer = SqlTimer(connections[DEFAULT_DB_ALIAS])
    timings_ms, sql_ms, queries = [], [], []
    audit_before = AuditEvent.objects.count()
    with timer.installed():
        for _ in range(args.requests):
            row = rng.choice(cases)
            timer.reset()
            started = time.perf_counter()
            get_case_page(row)
            timings_ms.append((time.perf_counter() - started) * 1000)
            sql_ms.append(timer.seconds * 1000)
            queries.append((timer.queries, timer.commits))
    audit_written = AuditEvent.objects.count() - audit_before

    print(
        f"marm case page benchmark: {database_description()}, {Person.objects.count():,} people, "
        f"{Case.objects.count():,} cases ({case_count:,} generated), {len(users)} agencies"
    )
    print("Under the cases: " + ", ".join(f"{model.objects.count():,} {name}" for model, name in CASE_RECORDS))
    print(
        f"Python {platform.python_version()}, Django {django.get_version()}, {os.cpu_count()} CPUs, "
        f"load average {', '.join(f'{load:.2f}' for load in os.getloadavg())}, "
        f"settings {os.environ['DJANGO_SETTINGS_MODULE']}, DEBUG={settings.DEBUG}"
    )
    print(f"{args.requests} timed requests after {args.warmup} warm-up requests; times in ms")
    print()
    cuts = statistics.quantiles(timings_ms, n=100, method="inclusive")
    sql_cuts = statistics.quantiles(sql_ms, n=100, method="inclusive")
    print(f"{'':<34} {'p50':>8} {'p95':>8} {'p99':>8} {'mean':>8}")
    print(
        f"{'GET /cases/<uuid>/ (whole request)':<34} {cuts[49]:>8.1f} {cuts[94]:>8.1f} {cuts[98]:>8.1f} "
        f"{statistics.fmean(timings_ms):>8.1f}"
    )
    print(
        f"{'  of which in the database':<34} {sql_cuts[49]:>8.1f} {sql_cuts[94]:>8.1f} {sql_cuts[98]:>8.1f} "
        f"{statistics.fmean(sql_ms):>8.1f}"
    )
    print()
    print(
        "Per timed request: "
        + "; ".join(
            f"{statements} statements and {commits} commits ({count} requests)"
            for (statements, commits), count in sorted(Counter(queries).items())
        )
        + " (statements sent through a cursor: BEGIN on PostgreSQL goes with the first statement)"
    )
    for label, row, size, captured in query_counts:
        print(
            f"Queries for the {label} case, {row[1]} ({size} rows under it): {len(captured)} "
            "(CaptureQueriesContext, transaction statements included)"
        )
    print(f"Audit rows written during the timed requests: {audit_written:,}")

    if args.show_queries:
        for label, row, _size, captured in query_counts:
            print()
            print(f"SQL of the {label} case page ({row[1]}):")
            for number, query in enumerate(captured, start=1):
                print(f"{number:>3}. {query['sql'][:400]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

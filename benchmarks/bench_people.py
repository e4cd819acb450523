"""Time the person page and person search against a database of generated people.

Run from the project root, after ``manage.py generate_scale`` has filled the
database (or pass --generate to fill it first):

    DJANGO_SETTINGS_MODULE=marm.config.settings.test \
        .venv/bin/python benchmarks/bench_people.py --people 100000 --requests 200

Requests go through the whole Django stack (middleware, session, selectors,
audit, templates) with django.test.Client, signed in as the practitioners of
the generated agencies. Every timed request writes its audit row and saves
its session, as a real one does.
"""

import argparse
import logging
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

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from marm.audit.models import AuditEvent  # noqa: E402
from marm.demo.management.commands.generate_scale import AGENCY_NAME, USER_EMAIL  # noqa: E402
from marm.people.models import AgencyInvolvement, DatePrecision, Person  # noqa: E402

SAMPLE_PER_AGENCY = 5000


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, required=True, help="People the database should hold (generated ones).")
    parser.add_argument("--requests", type=int, default=200, help="Timed requests per scenario (default 200).")
    parser.add_argument("--warmup", type=int, default=20, help="Untimed requests per scenario first (default 20).")
    parser.add_argument("--seed", type=int, default=1, help="Seed for choosing users and people.")
    parser.add_argument(
        "--generate", action="store_true", help="Run generate_scale first for any shortfall against --people."
    )
    parser.add_argument("--agencies", type=int, default=4, help="Agencies for --generate (default 4).")
    return parser.parse_args(argv)


def scale_users():
    User = get_user_model()
    return list(
        User.objects.filter(email__startswith=USER_EMAIL.split("{}")[0], agency__name__startswith=AGENCY_NAME[:-2])
        .select_related("agency")
        .order_by("email")
    )


def database_description() -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    return connection.vendor


class Scenario:
    def __init__(self, name):
        self.name = name
        self.timings_ms = []
        self.found = 0

    def summary(self) -> str:
        times = self.timings_ms
        cuts = statistics.quantiles(times, n=100, method="inclusive")
        return (
            f"{self.name:<32} {cuts[49]:>8.1f} {cuts[94]:>8.1f} {cuts[98]:>8.1f} {statistics.fmean(times):>8.1f}"
            f"   {self.found}/{len(times)}"
        )


def main(argv=None) -> int:
    args = parse_args(argv)
    # django-axes logs every force_login; that is noise here.
    logging.getLogger("axes").setLevel(logging.WARNING)
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    users = scale_users()
    if args.generate:
        existing = Person.objects.filter(created_by__in=users).count() if users else 0
        if existing < args.people:
            call_command("generate_scale", people=args.people - existing, agencies=args.agencies)
            users = scale_users()
    if not users:
        print("No generated agencies found. Run first:\n  manage.py generate_scale --people N", file=sys.stderr)
        return 2

    people_count = Person.objects.count()
    if people_count < args.people:
        print(
            f"The database holds {people_count:,} people, fewer than --people {args.people:,}. "
            "Run manage.py generate_scale (or pass --generate).",
            file=sys.stderr,
        )
        return 2

    rng = random.Random(args.seed)
    clients = {}
    visible = {}
    for user in users:
        ids = list(
            AgencyInvolvement.objects.filter(agency_id=user.agency_id, ended_at__isnull=True).values_list(
                "person_id", flat=True
            )
        )
        if not ids:
            continue
        ids.sort()
        sample_ids = rng.sample(ids, min(SAMPLE_PER_AGENCY, len(ids)))
        visible[user.pk] = list(
            Person.objects.filter(pk__in=sample_ids).values(
                "id", "given_name", "family_name", "date_of_birth", "date_of_birth_precision"
            )
        )
        visible[user.pk].sort(key=lambda row: row["id"])
        client = Client()
        client.force_login(user)
        clients[user.pk] = client
    if not clients:
        print("The generated agencies are not involved with anyone yet.", file=sys.stderr)
        return 2
    user_ids = sorted(clients)

    def pick(exact_date=False):
        user_id = rng.choice(user_ids)
        candidates = visible[user_id]
        while True:
            person = rng.choice(candidates)
            if not exact_date or person["date_of_birth_precision"] == DatePrecision.EXACT:
                return clients[user_id], person

    def person_page():
        client, person = pick()
        response = client.get(f"/people/{person['id']}/")
        return response, person

    def search_family_name():
        client, person = pick()
        response = client.post(
            "/people/",
            {"name": person["family_name"], "date_of_birth_0": "", "date_of_birth_1": "", "date_of_birth_2": ""},
        )
        return response, person

    def search_name_and_date_of_birth():
        client, person = pick(exact_date=True)
        born = person["date_of_birth"]
        response = client.post(
            "/people/",
            {
                "name": f"{person['given_name']} {person['family_name']}",
                "date_of_birth_0": str(born.day),
                "date_of_birth_1": str(born.month),
                "date_of_birth_2": str(born.year),
                "nhs_number": "",
            },
        )
        return response, person

    scenarios = [
        (Scenario("GET /people/<id>/ (person page)"), person_page),
        (Scenario("POST /people/ family name"), search_family_name),
        (Scenario("POST /people/ full name + DOB"), search_name_and_date_of_birth),
    ]

    audit_before = AuditEvent.objects.count()
    for scenario, request in scenarios:
        for _ in range(args.warmup):
            response, _person = request()
            if response.status_code != 200:
                print(f"{scenario.name}: HTTP {response.status_code} during warm-up", file=sys.stderr)
                return 1
        for _ in range(args.requests):
            started = time.perf_counter()
            response, person = request()
            scenario.timings_ms.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                print(f"{scenario.name}: HTTP {response.status_code}", file=sys.stderr)
                return 1
            if str(person["id"]) in response.content.decode():
                scenario.found += 1
    audit_written = AuditEvent.objects.count() - audit_before

    print(f"marm person benchmarks: {database_description()}, {people_count:,} people, {len(users)} agencies")
    print(
        f"Python {platform.python_version()}, Django {django.get_version()}, {os.cpu_count()} CPUs, "
        f"settings {os.environ['DJANGO_SETTINGS_MODULE']}, DEBUG={settings.DEBUG}"
    )
    print(f"{args.requests} timed requests per scenario after {args.warmup} warm-up requests; times in ms")
    print()
    print(f"{'scenario':<32} {'p50':>8} {'p95':>8} {'p99':>8} {'mean':>8}   target person in page")
    for scenario, _request in scenarios:
        print(scenario.summary())
    print()
    print(f"Audit rows written during the run: {audit_written:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

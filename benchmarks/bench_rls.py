"""What PostgreSQL row-level security on people and cases costs (ADR 0028).

Run from the project root against a PostgreSQL database filled by ``generate_scale``
(people and cases) and migrated (the policies are ``people.0005`` and ``cases.0007``):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/marm_rls_bench \\
    DJANGO_SETTINGS_MODULE=marm.config.settings.test \\
        .venv/bin/python benchmarks/bench_rls.py --rounds 300

Each workload runs in two modes on the same connection, in the same run:

- ``owner``: as the connecting superuser, which bypasses row-level security (as the tables'
  owner does), with ``MARM_ROW_LEVEL_SECURITY`` off: today's behaviour;
- ``rls``: as a role made for the run that owns nothing (``SET ROLE``), with the user's agency
  in ``marm.agency_ids``, so every read of ``people_person`` and ``cases_case`` also runs the
  policies; for pages, ``MARM_ROW_LEVEL_SECURITY`` on, so the middleware sets and clears it.

The modes alternate, in the order owner, rls, rls, owner, ... so drift in the machine's load
falls on both alike. The role is dropped at the end. The workloads are the app's own querysets
and selectors (search, the person page's queryset, two case lists), run as the scale
practitioners, and two whole pages through django.test.Client. Query workloads write nothing;
each page request writes its audit row and saves its session, as a real one does.
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
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marm.config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Prefetch  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from marm.accounts.two_factor import AUTHENTICATED_AT_KEY, authenticator_create  # noqa: E402
from marm.cases.models import Case, CaseAgency  # noqa: E402
from marm.cases.selectors import cases_for_person, cases_led_by, cases_shared_with  # noqa: E402
from marm.core import row_security  # noqa: E402
from marm.demo.management.commands.generate_scale import AGENCY_NAME, USER_EMAIL  # noqa: E402
from marm.people.models import AgencyInvolvement, DatePrecision, Person, PersonIdentifier  # noqa: E402
from marm.people.search import search_people  # noqa: E402

SAMPLE_PER_AGENCY = 2000


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=300, help="Timed runs of each query workload per mode.")
    parser.add_argument("--page-rounds", type=int, default=100, help="Timed requests of each page per mode.")
    parser.add_argument("--warmup", type=int, default=20, help="Untimed runs of each workload per mode first.")
    parser.add_argument("--seed", type=int, default=1, help="Seed for choosing users, people and cases.")
    parser.add_argument("--only", default="", help="Run only the workloads whose name contains this text.")
    return parser.parse_args(argv)


def load_average() -> str:
    """The load average as ``uptime`` prints it (both read /proc/loadavg), with the time."""
    return f"{time.strftime('%H:%M:%S')} load average: " + ", ".join(f"{load:.2f}" for load in os.getloadavg())


def scale_practitioners():
    return list(
        get_user_model()
        .objects.filter(email__startswith=USER_EMAIL.split("{}")[0], agency__name__startswith=AGENCY_NAME[:-2])
        .select_related("agency")
        .order_by("email")
    )


class Modes:
    """Switches the connection between the superuser (no policies) and a role the policies apply to."""

    def __init__(self):
        self.role = f"marm_rls_bench_{uuid.uuid4().hex[:12]}"

    def create(self):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE ROLE "{self.role}" NOLOGIN')
            cursor.execute(f'GRANT USAGE ON SCHEMA public TO "{self.role}"')
            cursor.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{self.role}"')
            cursor.execute(f'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO "{self.role}"')

    def drop(self):
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
            cursor.execute(f'DROP OWNED BY "{self.role}"')
            cursor.execute(f'DROP ROLE "{self.role}"')

    def owner(self):
        settings.MARM_ROW_LEVEL_SECURITY = False
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
        row_security.apply(connection)

    def rls(self, user, *, page: bool):
        settings.MARM_ROW_LEVEL_SECURITY = page
        row_security.apply(connection, agency_ids="" if page else str(user.agency_id))
        with connection.cursor() as cursor:
            cursor.execute(f'SET ROLE "{self.role}"')

    def check(self, expected_role: str):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            actual = cursor.fetchone()[0]
        if actual != expected_role:
            raise SystemExit(f"Connected as {actual}, expected {expected_role}: the connection was not kept")


class Workload:
    def __init__(self, name, run, *, page=False):
        self.name = name
        self.run = run
        self.page = page
        self.times = {"owner": [], "rls": []}
        self.rows = {"owner": 0, "rls": 0}


def cuts(times):
    values = statistics.quantiles(times, n=100, method="inclusive")
    return values[49], values[94]


def person_page_queryset():
    """The person page's queryset (marm.people.selectors.person_detail_for_user), without its audit row."""
    return Person.objects.prefetch_related(
        Prefetch("aliases", to_attr="aliases_list"),
        Prefetch("addresses", to_attr="addresses_list"),
        Prefetch("related_people", to_attr="related_people_list"),
        Prefetch("identifiers", queryset=PersonIdentifier.objects.select_related("agency"), to_attr="identifiers_list"),
        Prefetch(
            "involvements",
            queryset=AgencyInvolvement.objects.select_related("agency").order_by("agency__name"),
            to_attr="involvements_list",
        ),
    )


def signed_in_client(user):
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    device = device or authenticator_create(user=user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[AUTHENTICATED_AT_KEY] = time.time() + 24 * 3600  # the run never asks for the code again
    session.save()
    return client


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.getLogger("axes").setLevel(logging.WARNING)
    if connection.vendor != "postgresql":
        print("Row-level security is a PostgreSQL feature: set DATABASE_URL to a PostgreSQL database.", file=sys.stderr)
        return 2
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # One connection for the whole run: SET ROLE belongs to it.
    connection.settings_dict["CONN_MAX_AGE"] = None
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_policies WHERE policyname = 'marm_agency_scope'")
        if cursor.fetchone()[0] != 2:
            print("The row-level security policies are missing: run manage.py migrate first.", file=sys.stderr)
            return 2
        cursor.execute("SELECT current_user, version()")
        superuser, version = cursor.fetchone()

    users = scale_practitioners()
    if not users or not Case.objects.exists():
        print(
            "No generated people and cases: run manage.py generate_scale --people N, then --cases M.", file=sys.stderr
        )
        return 2

    rng = random.Random(args.seed)
    people, cases = {}, {}
    for user in users:
        ids = sorted(
            AgencyInvolvement.objects.filter(agency_id=user.agency_id, ended_at__isnull=True).values_list(
                "person_id", flat=True
            )
        )
        sample = rng.sample(ids, min(SAMPLE_PER_AGENCY, len(ids)))
        people[user.pk] = sorted(
            Person.objects.filter(pk__in=sample).values(
                "id", "given_name", "family_name", "date_of_birth", "date_of_birth_precision"
            ),
            key=lambda row: row["id"],
        )
        cases[user.pk] = sorted(
            CaseAgency.objects.filter(agency_id=user.agency_id, ended_at__isnull=True, access="full").values_list(
                "case_id", flat=True
            )
        )
    users = [user for user in users if people[user.pk] and cases[user.pk]]
    clients = {user.pk: signed_in_client(user) for user in users}

    def search_name_and_date(user, person):
        found = search_people(
            Person.objects.visible_to(user),
            name=f"{person['given_name']} {person['family_name']}",
            date_of_birth=person["date_of_birth"] if person["date_of_birth_precision"] == DatePrecision.EXACT else None,
            limit=51,
        )
        return len(found)

    def search_family_name(user, person):
        return len(search_people(Person.objects.visible_to(user), name=person["family_name"], limit=51))

    def person_page_queries(user, person):
        found = person_page_queryset().visible_to(user).filter(pk=person["id"]).first()
        return len(cases_for_person(user=user, person=found)) + 1

    def case_lists(user, person):
        return len(cases_led_by(user=user)) + len(cases_shared_with(user=user))

    def person_page(user, person):
        response = clients[user.pk].get(f"/people/{person['id']}/")
        if response.status_code != 200:
            raise SystemExit(f"GET /people/{person['id']}/: HTTP {response.status_code}")
        return 1

    def case_page(user, person):
        case_id = rng_pages.choice(cases[user.pk])
        response = clients[user.pk].get(f"/cases/{case_id}/")
        if response.status_code != 200:
            raise SystemExit(f"GET /cases/{case_id}/: HTTP {response.status_code}")
        return 1

    rng_pages = random.Random(args.seed + 1)
    workloads = [
        Workload("search: full name + date of birth", search_name_and_date),
        Workload("search: family name", search_family_name),
        Workload("person page queryset + its cases", person_page_queries),
        Workload("case lists (led by me, shared)", case_lists),
        Workload("GET /people/<id>/ (whole page)", person_page, page=True),
        Workload("GET /cases/<uuid>/ (whole page)", case_page, page=True),
    ]

    workloads = [workload for workload in workloads if args.only in workload.name]
    modes = Modes()
    modes.create()
    before = load_average()
    started_run = time.perf_counter()
    try:
        for workload in workloads:
            rounds = args.page_rounds if workload.page else args.rounds
            for index in range(args.warmup + rounds):
                user = rng.choice(users)
                person = rng.choice(people[user.pk])
                # owner, rls, rls, owner, ...: neither mode always goes first.
                order = ("owner", "rls") if index % 2 == 0 else ("rls", "owner")
                for mode in order:
                    if mode == "owner":
                        modes.owner()
                    else:
                        modes.rls(user, page=workload.page)
                    if index == 0:
                        modes.check(superuser if mode == "owner" else modes.role)
                    started = time.perf_counter()
                    rows = workload.run(user, person)
                    elapsed = (time.perf_counter() - started) * 1000
                    if index >= args.warmup:
                        workload.times[mode].append(elapsed)
                        workload.rows[mode] += rows
            modes.check(superuser if order[-1] == "owner" else modes.role)
    finally:
        with contextlib.suppress(Exception):
            modes.owner()
        modes.drop()
    after = load_average()

    print(
        f"marm row-level security benchmark: {version.split(',')[0]}, {Person.objects.count():,} people, "
        f"{Case.objects.count():,} cases, {len(users)} agencies"
    )
    print(f"Python {platform.python_version()}, Django {django.get_version()}, {os.cpu_count()} CPUs")
    print(f"before: {before}")
    print(f"after:  {after}")
    print(
        f"{args.rounds} timed runs per query workload and {args.page_rounds} per page, per mode, after "
        f"{args.warmup} warm-up runs; times in ms; run took {time.perf_counter() - started_run:.0f} s"
    )
    print()
    header = f"{'workload':<36} {'owner p50':>9} {'p95':>7} {'rls p50':>9} {'p95':>7} {'ratio p50':>9} {'p95':>6}"
    print(header)
    for workload in workloads:
        owner50, owner95 = cuts(workload.times["owner"])
        rls50, rls95 = cuts(workload.times["rls"])
        print(
            f"{workload.name:<36} {owner50:>9.2f} {owner95:>7.2f} {rls50:>9.2f} {rls95:>7.2f} "
            f"{rls50 / owner50:>9.2f} {rls95 / owner95:>6.2f}"
        )
    print()
    for workload in workloads:
        if workload.rows["owner"] != workload.rows["rls"]:
            print(f"Rows differ for {workload.name}: owner {workload.rows['owner']}, rls {workload.rows['rls']}")
    print("Rows found: " + "; ".join(f"{w.name} {w.rows['owner']:,} / {w.rows['rls']:,}" for w in workloads))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Where one page's time goes: pyinstrument over repeated requests of a case page, in one process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<database> SECRET_KEY=<any> \
        .venv/bin/python benchmarks/load/profile_page.py --requests 50 [--path /cases/<uuid>/]

(Without STATIC_ROOT set, static files are collected into a temporary folder first.)

Runs under the benchmark's settings (benchmarks/load/settings.py: production's middleware, session,
audit and templates), with Django's test client signed in with both factors as the first load
practitioner (run.py or prepare.py makes them). Without --path it opens the case with the most
chronology entries that the user's agency takes part in fully. After ``--warmup`` untimed requests
it times ``--requests`` requests and prints p50, the SQL statements of one request (the slowest
with their times), the share of the profiled time spent in the database driver, Django's ORM,
its templates and the middleware (each frame's own time), then pyinstrument's report. Needs
``make bench-setup`` (pyinstrument). Each request writes its audit row, as a real one does.
"""

import argparse
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.load.settings")
_WORKDIR = Path(tempfile.mkdtemp(prefix="marm-load-profile-"))
os.environ.setdefault("MARM_DATA_DIR", str(_WORKDIR / "data"))
# Production serves static files through their manifest: collected into a folder of the run's own.
_COLLECT = "STATIC_ROOT" not in os.environ
os.environ.setdefault("STATIC_ROOT", str(_WORKDIR / "static"))

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

from marm.cases.models import Case  # noqa: E402
from tests.twofactor import force_sign_in  # noqa: E402

USER = "load-practitioner-1@load.example.org"

# Frames whose time is counted under each heading: a frame's file path contains the marker.
GROUPS = {
    "database driver (psycopg, waiting on PostgreSQL)": ("/psycopg/",),
    "Django templates": ("/django/template/",),
    "Django ORM (building queries, making objects)": ("/django/db/",),
    "middleware (sessions, auth, CSP, axes, otp)": (
        "/django/contrib/sessions/",
        "/django/middleware/",
        "/csp/",
        "/axes/",
        "/django_otp/",
        "/marm/core/middleware",
        "/marm/accounts/middleware",
    ),
}


def case_path(user) -> str:
    case = (
        Case.objects.filter(agencies__agency=user.agency, agencies__ended_at__isnull=True)
        .annotate(entries=Count("person__chronology_entries", distinct=True))
        .order_by("-entries", "reference")
        .first()
    )
    if case is None:
        sys.exit(f"{user.agency} takes part in no case")
    return f"/cases/{case.pk}/"


def self_time_by_group(session) -> dict[str, float]:
    """Seconds spent in frames of each group (a frame's own time, so nothing is counted twice)."""
    totals = dict.fromkeys(GROUPS, 0.0)
    root = session.root_frame()
    stack = [root] if root else []
    while stack:
        frame = stack.pop()
        stack.extend(frame.children)
        path = frame.file_path or ""
        for group, markers in GROUPS.items():
            if any(marker in path for marker in markers):
                totals[group] += frame.total_self_time
                break
    return totals


def backend_cpu_seconds(pid: int) -> float:
    """User and system CPU used so far by the PostgreSQL backend serving this connection (same machine)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--slowest", type=int, default=5, help="how many of one request's statements to print")
    parser.add_argument("--path", help="the page to profile (default: the busiest case page)")
    parser.add_argument("--list", action="store_true", help="print every statement of one request, in order")
    parser.add_argument("--no-profile", action="store_true", help="time only: no pyinstrument report")
    args = parser.parse_args()
    logging.getLogger("axes").setLevel(logging.WARNING)  # every force_login is logged: noise here
    if _COLLECT:
        call_command("collectstatic", interactive=False, verbosity=0)

    user = get_user_model().objects.filter(email=USER).first()
    if user is None:
        sys.exit(f"No {USER}: run benchmarks/load/run.py or prepare.py first")
    client = force_sign_in(Client(SERVER_NAME="127.0.0.1"), user)
    path = args.path or case_path(user)
    for _ in range(args.warmup):
        assert client.get(path).status_code == 200, path
    statements = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append(((time.perf_counter() - started) * 1000, sql))

    with connection.execute_wrapper(timed):
        client.get(path)

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    profiler = Profiler(interval=0.0005)
    times, cpu = [], []
    backend_before = backend_cpu_seconds(backend)
    if not args.no_profile:
        profiler.start()
    for _ in range(args.requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, response.status_code
    if not args.no_profile:
        profiler.stop()
    backend_ms = (backend_cpu_seconds(backend) - backend_before) * 1000 / args.requests

    load = os.getloadavg()[0]
    print(
        f"{path}: {args.requests} requests, p50 {statistics.median(times):.1f} ms, "
        f"mean {statistics.fmean(times):.1f} ms, CPU a request: this process p50 {statistics.median(cpu):.1f} ms, "
        f"its PostgreSQL backend mean {backend_ms:.1f} ms, "
        f"{len(statements)} statements a request, load average {load:.1f}"
    )
    if args.list:
        for ms, sql in statements:
            print(f"    {ms:6.1f} ms  {sql[:150]}")
    if args.no_profile:
        return
    session = profiler.last_session
    total = session.duration or 1e-9
    for group, seconds in self_time_by_group(session).items():
        print(f"  {group:<50} {100 * seconds / total:5.1f}%")
    print(f"  SQL statements of one request: {sum(ms for ms, _ in statements):.1f} ms in all; the slowest:")
    for ms, sql in sorted(statements, reverse=True)[: args.slowest]:
        print(f"    {ms:6.1f} ms  {sql[:160]}")
    print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(_WORKDIR, ignore_errors=True)

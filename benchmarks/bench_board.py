"""Time the Safeguarding Adults Board's measures and pages against a database of generated cases.

Run from the project root, after ``manage.py generate_scale --people N --cases N``
has filled the database (see README.md):

    DJANGO_SETTINGS_MODULE=marm.config.settings.test \\
        .venv/bin/python benchmarks/bench_board.py --cases 100000 --runs 5 --requests 20

It measures three things, one after the other, and prints the load average
beside each figure (the machine may be shared, so read the figures against
the baseline timed in the same run):

1. Every measure in ``marm.assurance.registry.MEASURES``: ``compute(code,
   year=<the current financial year>)``, ``--runs`` times each after one
   untimed run, with its p50 and p95 and the number of queries it sends
   (the same on every run, and the same on a small database: it must not
   grow with the data).
2. Every board page, requested by a board officer with django.test.Client
   through the whole stack: the URLs of the ``board``, ``assurance``,
   ``sar`` and ``surveys`` namespaces that take no arguments,
   ``assurance:detail`` for every measure code, and the first object of
   every other page of those namespaces found by following the links on
   them. ``--requests`` timed requests each after one untimed one, with the
   query count of one request.
3. Baselines, timed before and after the board pages: the home page
   (``dashboards:home``) of the board officer, which goes through the same
   middleware, session and templates but lists no casework, and that of the
   first scale practitioner, which lists every case they lead (so it grows
   with the data). Each board page's p50 is also given as a multiple of the
   board officer's home page's.

It adds a board officer (``scale-board-officer@scale.example.org``, in an
agency of its own) if there is none, and with ``--board-records`` loads the
demo's business plan, review action plan and surveys as that officer, so the
board's own detail pages have something to show. Every page request writes
what the page writes (audit rows, the session).
"""

import argparse
import datetime
import logging
import os
import platform
import re
import statistics
import sys
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marm.config.settings.test")
# As in production: the running quarter's figures are read back for 10 minutes (the test settings
# count it on every request).
os.environ.setdefault("MARM_BOARD_RUNNING_QUARTER_MINUTES", "10")
# The benchmark asks for each download many times a minute, as no board officer would: the
# per-user limit on downloads (ADR 0025, 30 a minute) would answer 429 and stop the timing.
os.environ.setdefault("MARM_LIMIT_EXPORTS_PER_MINUTE", "1000")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, Resolver404, get_resolver, resolve, reverse  # noqa: E402
from django.urls.resolvers import URLResolver  # noqa: E402
from django.utils import timezone  # noqa: E402

from marm.assurance.models import QuarterFigure  # noqa: E402
from marm.assurance.registry import MEASURES, compute, financial_year_label, financial_year_of  # noqa: E402
from marm.assurance.store import sweep_quarter_figures  # noqa: E402
from marm.board.models import AnnualReportRendering  # noqa: E402
from marm.cases.models import Case  # noqa: E402
from marm.demo.management.commands.generate_scale import CASE_REFERENCE_PREFIX, USER_EMAIL  # noqa: E402
from marm.meetings.models import Invitation, Meeting  # noqa: E402
from marm.organisations.models import Agency, AgencyKind, Membership, Role, Team  # noqa: E402
from marm.people.models import Person  # noqa: E402
from marm.plans.models import Action  # noqa: E402
from tests.twofactor import force_sign_in  # noqa: E402

NAMESPACES = ("board", "assurance", "sar", "surveys")
BOARD_AGENCY = "Scale Safeguarding Adults Board"
BOARD_OFFICER_EMAIL = "scale-board-officer@scale.example.org"
# The targets: a year of a measure within a second, a page within half a second (p95).
MEASURE_TARGET_MS = 1000
PAGE_TARGET_MS = 500
# The pages that compute measures (through compute, which reads the stored figures).
MEASURE_PAGES = {
    "assurance:list",
    "assurance:detail",
    "assurance:csv",
    "assurance:publication",
    "assurance:publication-csv",
    "board:plan",
    "board:action",
    "board:annual-report",
    "board:annual-report-pdf",
}


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=0, help="Generated cases the database should hold at least.")
    parser.add_argument("--runs", type=int, default=5, help="Timed computations of each measure (default 5).")
    parser.add_argument("--requests", type=int, default=20, help="Timed requests of each page (default 20).")
    parser.add_argument("--year", type=int, default=None, help="Financial year to compute (default the current one).")
    parser.add_argument("--measures", nargs="*", default=None, help="Only these measure codes.")
    parser.add_argument("--skip-measures", action="store_true", help="Do not time compute() (pages only).")
    parser.add_argument("--skip-pages", action="store_true", help="Do not time the pages (measures only).")
    parser.add_argument(
        "--pages", nargs="*", default=None, help="Only the pages of these URL names (board:annual-report-pdf ...)."
    )
    parser.add_argument(
        "--board-records",
        action="store_true",
        help="Load the demo business plan, review action plan and surveys first, if the database has none.",
    )
    parser.add_argument("--show-queries", action="store_true", help="Print the SQL of each measure's computation.")
    parser.add_argument(
        "--fill-store",
        action="store_true",
        help=(
            "Stored figures (ADR 0020): time every measure and the pages that compute every measure with the "
            "store empty first (cold: every quarter counted, then stored), then run the assurance-figures "
            "sweep once, untimed for the figures, as the worker does each day, and time everything reading "
            "the store (warm)."
        ),
    )
    parser.add_argument(
        "--cold-requests", type=int, default=1, help="With --fill-store: timed cold requests of each page (default 1)."
    )
    return parser.parse_args(argv)


def load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def load_1() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def cuts(timings_ms: list[float]) -> tuple[float, float]:
    """p50 and p95 (inclusive method: with few samples p95 lies between the two slowest)."""
    if len(timings_ms) == 1:
        return timings_ms[0], timings_ms[0]
    quantiles = statistics.quantiles(timings_ms, n=100, method="inclusive")
    return quantiles[49], quantiles[94]


def database_description() -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    return connection.vendor


@transaction.atomic
def board_officer():
    """The scale board officer, in an agency of the board's own (created once)."""
    User = get_user_model()
    kind = getattr(AgencyKind, "SAFEGUARDING_ADULTS_BOARD", AgencyKind.OTHER)
    agency, _ = Agency.objects.get_or_create(name=BOARD_AGENCY, defaults={"kind": kind})
    team, _ = Team.objects.get_or_create(agency=agency, name="Board team")
    user = User.objects.filter(email=BOARD_OFFICER_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            BOARD_OFFICER_EMAIL, None, full_name="Scale Board Officer", agency=agency, job_title="Board officer"
        )
    Membership.objects.get_or_create(user=user, team=team, role=Role.BOARD_OFFICER)
    return user


def load_board_records(officer) -> list[str]:
    """The demo's business plan, review action plan and surveys, loaded as the scale board officer."""
    loaded = []
    for module, function, label in (
        ("marm.demo.board_seed", "seed_business_plan", "business plan"),
        ("marm.demo.sar_seed", "seed_review_plan", "review action plan"),
        ("marm.demo.survey_seed", "seed_surveys", "surveys"),
    ):
        try:
            seed = getattr(__import__(module, fromlist=[function]), function)
        except (ImportError, AttributeError):
            loaded.append(f"{label}: not available")
            continue
        try:
            with transaction.atomic():
                seed(officer)
        except Exception as error:  # the demo's loaders expect the demo's agencies; report and go on
            loaded.append(f"{label}: not loaded ({type(error).__name__}: {error})")
            continue
        loaded.append(label)
    try:
        loaded.append(scale_survey(officer))
    except Exception as error:  # the surveys app is optional here: report and go on
        loaded.append(f"scale survey: not made ({type(error).__name__}: {error})")
    return loaded


def scale_survey(officer) -> str:
    """A survey of the scale agencies' practitioners, opened, if the database holds no survey at all
    (the demo's loader needs the demo's agencies)."""
    from marm.surveys.models import Survey
    from marm.surveys.services import survey_create, survey_open

    if Survey.objects.exists():
        return "scale survey: not needed"
    today = timezone.localdate()
    with transaction.atomic():
        survey = survey_create(
            acting_user=officer,
            title="Scale practitioners' confidence",
            purpose="How confident practitioners of the scale agencies feel about safeguarding adults.",
            agencies=list(Agency.objects.filter(name__startswith="Scale agency")),
            opens_on=today,
            closes_on=today + datetime.timedelta(days=28),
        )
        survey_open(acting_user=officer, survey=survey)
    return "scale survey"


def page_patterns():
    """(namespace:name, route) for every URL pattern in the board's namespaces."""
    found = []

    def walk(patterns, namespace, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace, prefix + str(pattern.pattern))
            elif namespace in NAMESPACES and pattern.name:
                found.append((f"{namespace}:{pattern.name}", prefix + str(pattern.pattern)))

    walk(get_resolver().url_patterns, None, "")
    return found


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href and href.startswith("/"):
                self.hrefs.append(href.split("#")[0])


def links_on(content: bytes) -> list[str]:
    parser = Links()
    parser.feed(content.decode(errors="replace"))
    return parser.hrefs


def board_pages(client) -> tuple[list[tuple[str, str]], list[str]]:
    """The pages to time, as (label, path), and the patterns for which no page was found.

    Pages without arguments, assurance:detail for every measure, then the
    first link found to each other pattern of the namespaces, following the
    links of one page of each pattern, breadth first (links with a query
    string are variants of a page already found, so they are not followed).
    """
    patterns = page_patterns()
    pages, seen = [], set()
    for name, route in patterns:
        if "<" in route:
            continue
        try:
            pages.append((name, reverse(name)))
            seen.add(name)
        except NoReverseMatch:
            pass
    queue = [path for _label, path in pages]
    for number, code in enumerate(MEASURES):
        path = reverse("assurance:detail", kwargs={"code": code})
        pages.append((f"assurance:detail {code}", path))
        if number == 0:
            queue.append(path)
    seen.add("assurance:detail")
    wanted = {name for name, route in patterns if "<" in route} - seen
    while queue and wanted:
        response = client.get(queue.pop(0))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for href in links_on(response.content):
            if "?" in href:
                continue
            try:
                match = resolve(href)
            except Resolver404:
                continue
            name = f"{match.namespace}:{match.url_name}"
            if match.namespace not in NAMESPACES or name in seen:
                continue
            seen.add(name)
            queue.append(href)
            if name in wanted:
                wanted.discard(name)
                pages.append((f"{name} (first found)", href))
    return pages, sorted(wanted)


class QueryCounter:
    """Statements sent through a cursor while installed (CaptureQueriesContext cannot see across a
    request: the request_started signal empties the query log it reads)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def count_queries(function) -> int:
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        function()
    return counter.count


# The median CPU time of the process (the database included: SQLite runs inside it) for each path
# timed last: what the work costs whatever else the machine is doing.
TIMES_CPU: dict[str, float] = {}


def time_requests(client, path: str, requests: int):
    """Status, timings (ms) and the query count of one request, after one untimed request."""
    first = client.get(path)
    if first.status_code != 200:
        return first.status_code, [], None
    queries = count_queries(lambda: client.get(path))
    timings, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        if response.status_code != 200:
            return response.status_code, [], None
    TIMES_CPU[path] = statistics.median(cpu)
    return 200, timings, queries


def empty_store(code: str | None = None) -> None:
    """Remove the stored figures (of one measure), so that the next computation counts every quarter."""
    stored = QuarterFigure.objects.all()
    (stored.filter(code=code) if code else stored).delete()


def time_measures(codes, year: int, runs: int, show_queries: bool, cold: bool = False) -> list[tuple]:
    """``cold``: the store emptied (untimed) before each computation, as on a day nothing is stored."""
    rows = []
    for code in codes:
        compute(code, year=year)  # untimed: imports, first plans
        if cold:
            empty_store(code)
        with CaptureQueriesContext(connection) as captured:
            result = compute(code, year=year)
        timings, cpu = [], []
        for _ in range(runs):
            if cold:
                empty_store(code)
            started, started_cpu = time.perf_counter(), time.process_time()
            compute(code, year=year)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        p50, p95 = cuts(timings)
        # The year's figure: for a median measure the median itself (numerator), not Cell.value.
        figure = result.total.numerator if result.measure.is_median else result.total.value
        rows.append((code, p50, p95, max(timings), len(captured.captured_queries), figure, load_1()))
        print(
            f"{code:<10} {p50:>9.1f} {p95:>9.1f} {max(timings):>9.1f} {statistics.median(cpu):>9.1f} "
            f"{len(captured.captured_queries):>8} "
            f"{_value(figure):>12} {load_1():>6}{'  over 1 s' if p95 > MEASURE_TARGET_MS else ''}",
            flush=True,
        )
        if show_queries:
            for number, query in enumerate(captured.captured_queries, start=1):
                sql = re.sub(r"\s+", " ", query["sql"])
                print(f"    {number:>3}. {sql[:600]}")
    return rows


def fill_store() -> int:
    """Run the assurance-figures sweep once, as the worker does each day: not part of any figure timed."""
    empty_store()
    now = timezone.now()
    started, started_cpu = time.perf_counter(), time.process_time()
    stored = sweep_quarter_figures(now)
    print(
        f"\nThe assurance-figures sweep (untimed for the figures below): stored {stored} quarters' figures in "
        f"{time.perf_counter() - started:,.1f} s ({time.process_time() - started_cpu:,.1f} s CPU), load {load_1()}; "
        f"a second run the same day: {sweep_quarter_figures(now)} stored",
        flush=True,
    )
    return stored


def time_cold_pages(client, pages, requests: int) -> None:
    """Each page with the store emptied (untimed) before each request: what the first reader of a day
    without stored figures waits (every finished quarter counted, then stored)."""
    print()
    print(f"2a. Cold pages (the store emptied before each request): {requests} timed requests each; times in ms")
    print(f"{'page':<44} {'p50':>8} {'max':>8} {'queries':>8} {'load':>6}")
    for label, path in pages:
        timings, queries = [], None
        for number in range(requests):
            empty_store()
            if number == 0:
                queries = count_queries(lambda path=path: client.get(path))
                empty_store()
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                break
        print(
            f"{label:<44} {statistics.median(timings):>8.1f} {max(timings):>8.1f} {queries:>8} {load_1():>6}"
            f"{'  over 500 ms' if max(timings) > PAGE_TARGET_MS else ''}",
            flush=True,
        )


def time_pdf_laid_out(client, label: str, path: str, requests: int) -> None:
    """The annual report's PDF when its page has changed since the last layout and the sweep has not
    laid it out yet: the kept layouts removed (untimed) before each request, so WeasyPrint lays it out."""
    timings, cpu = [], []
    for _ in range(requests):
        AnnualReportRendering.objects.all().delete()
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        if response.status_code != 200:
            print(f"{label} laid out on request: HTTP {response.status_code}")
            return
    p50, p95 = cuts(timings)
    print(
        f"{label + ', laid out on request':<44} {p50:>8.1f} {p95:>8.1f} {statistics.median(cpu):>8.1f} "
        f"{'':>8} {'':>7} {load_1():>6}  (a change since the sweep's layout)",
        flush=True,
    )


def _value(value) -> str:
    if value is None:
        return "none"
    return f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.getLogger("axes").setLevel(logging.WARNING)
    # The PDF pages (WeasyPrint) log each step of every document.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    # Opening the scale survey notifies its invitees through the task backend, which logs each task.
    logging.getLogger("django_tasks").setLevel(logging.WARNING)
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    generated = Case.objects.filter(reference__startswith=CASE_REFERENCE_PREFIX).count()
    if generated < args.cases:
        print(
            f"The database holds {generated:,} generated cases, fewer than --cases {args.cases:,}. "
            "Run manage.py generate_scale --cases first.",
            file=sys.stderr,
        )
        return 2
    practitioner = get_user_model().objects.filter(email=USER_EMAIL.format(1)).first()
    if practitioner is None:
        print("No scale practitioner: run manage.py generate_scale first.", file=sys.stderr)
        return 2
    officer = board_officer()
    loaded = load_board_records(officer) if args.board_records else []

    year = args.year if args.year is not None else financial_year_of(timezone.localdate())
    print(
        f"marm board benchmark: {database_description()}, {Person.objects.count():,} people, "
        f"{Case.objects.count():,} cases ({generated:,} generated), {Meeting.objects.count():,} meetings, "
        f"{Invitation.objects.count():,} invitations, {Action.objects.count():,} actions"
    )
    print(
        f"Python {platform.python_version()}, Django {django.get_version()}, {os.cpu_count()} CPUs, "
        f"settings {os.environ['DJANGO_SETTINGS_MODULE']}, DEBUG={settings.DEBUG}"
    )
    print(f"Financial year {financial_year_label(year)}; load average at the start {load()}")
    if loaded:
        print("Board records loaded: " + ", ".join(loaded))

    measure_rows = []
    if not args.skip_measures:
        codes = args.measures or list(MEASURES)
        unknown = [code for code in codes if code not in MEASURES]
        if unknown:
            print(f"Not in MEASURES: {', '.join(unknown)}")
        codes = [code for code in codes if code in MEASURES]
        modes = [("cold: the store emptied before each run", True)] if args.fill_store else []
        modes.append(("warm: reading the figures the sweep stored" if args.fill_store else "", False))
        for label, cold in modes:
            if args.fill_store and not cold:
                fill_store()
            print()
            print(
                f"1. compute(code, year={year}){', ' + label if label else ''}: {args.runs} timed runs after "
                "one untimed; times in ms"
            )
            print(
                f"{'measure':<10} {'p50':>9} {'p95':>9} {'max':>9} {'cpu p50':>9} {'queries':>8} "
                f"{'year total':>12} {'load':>6}"
            )
            measure_rows = time_measures(codes, year, args.runs, args.show_queries, cold=cold)
            if measure_rows:
                print(
                    f"All {len(measure_rows)} measures: {sum(row[1] for row in measure_rows):,.0f} ms at p50 "
                    f"together; over {MEASURE_TARGET_MS} ms at p95: "
                    + (", ".join(row[0] for row in measure_rows if row[2] > MEASURE_TARGET_MS) or "none")
                )

    if args.skip_pages:
        return 0
    # Signed in with both factors (ADR 0022): the second factor's middleware serves nothing else.
    board_client = force_sign_in(Client(), officer)
    home_client = force_sign_in(Client(), practitioner)
    home = reverse("dashboards:home")

    print()
    print(
        f"2. Pages as the board officer: {args.requests} timed requests each after one untimed; times in ms; "
        "'x home' is the p50 as a multiple of the board officer's home page's"
    )
    baselines = [("board officer", officer, board_client), (practitioner.email, practitioner, home_client)]
    home_p50 = None
    for who, _user, client in baselines:
        status, timings, queries = time_requests(client, home, args.requests)
        if status != 200:
            print(f"The baseline {home} for {who} answered {status}: stopping.")
            return 1
        p50, p95 = cuts(timings)
        home_p50 = home_p50 or p50
        print(
            f"Baseline before: {home} (dashboards:home) for {who}: p50 {p50:.1f}, p95 {p95:.1f}, "
            f"cpu p50 {TIMES_CPU[home]:.1f}, {queries} queries, load {load_1()}",
            flush=True,
        )
    pages, missing = board_pages(board_client)
    if args.pages is not None:
        pages = [(label, path) for label, path in pages if label.split(" ")[0] in args.pages]
    if args.fill_store:
        # The pages that show every measure, for the last financial year: every quarter finished.
        for name in ("assurance:list", "assurance:publication"):
            pages.append((f"{name} {financial_year_label(year - 1)}", f"{reverse(name)}?year={year - 1}"))
        # The pages that read the measures: every measure's (list, publication, annual report), one
        # measure's (its page, the business plan's live figure).
        reading = [(label, path) for label, path in pages if label.split(" ")[0] in MEASURE_PAGES]
        time_cold_pages(board_client, reading, args.cold_requests)
        fill_store()
        print()
        print("2b. Warm: the figures for finished quarters stored by the sweep")
    print(f"{'page':<44} {'p50':>8} {'p95':>8} {'cpu p50':>8} {'queries':>8} {'x home':>7} {'load':>6}")
    refused = []
    over = []
    for label, path in pages:
        status, timings, queries = time_requests(board_client, path, args.requests)
        if status != 200:
            refused.append(f"{label} {path}: HTTP {status}")
            continue
        p50, p95 = cuts(timings)
        if p95 > PAGE_TARGET_MS:
            over.append(label)
        print(
            f"{label:<44} {p50:>8.1f} {p95:>8.1f} {TIMES_CPU[path]:>8.1f} {queries:>8} {p50 / home_p50:>7.1f} "
            f"{load_1():>6}"
            f"{'  over 500 ms' if p95 > PAGE_TARGET_MS else ''}",
            flush=True,
        )
    for label, path in pages:
        if label.split(" ")[0] == "board:annual-report-pdf":
            time_pdf_laid_out(board_client, label, path, args.requests)
    for who, user, client in baselines:
        # The practitioner's session has been idle through the pages: sign in again.
        force_sign_in(client, user)
        status, timings, _queries = time_requests(client, home, args.requests)
        if status != 200:
            print(f"Baseline after: {home} for {who} answered {status}")
            continue
        p50, p95 = cuts(timings)
        print(
            f"Baseline after: {home} for {who}: p50 {p50:.1f}, p95 {p95:.1f}, cpu p50 {TIMES_CPU[home]:.1f}, "
            f"load {load_1()}"
        )
    print(f"Pages over {PAGE_TARGET_MS} ms at p95: {', '.join(over) or 'none'}")
    if refused:
        print("Not timed (not 200 for the board officer): " + "; ".join(refused))
    if missing:
        print("No page found to time (no object, or no link to it): " + ", ".join(missing))
    names = Counter(label.split(" ")[0] for label, _path in pages)
    print(f"Timed {len(pages) - len(refused)} pages of {len(names)} URL names; load average at the end {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

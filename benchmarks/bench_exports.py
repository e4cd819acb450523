"""Time an export of 50,000 rows or more, and measure its peak memory and query count.

Run from the project root, against a database of generated cases in which one scale practitioner's
agency takes part in at least --rows cases (one scale agency holds them all):

    DJANGO_SETTINGS_MODULE=marm.config.settings.test .venv/bin/python manage.py migrate
    DJANGO_SETTINGS_MODULE=marm.config.settings.test .venv/bin/python manage.py \\
        generate_scale --agencies 1 --people 50000 --cases 50000
    DJANGO_SETTINGS_MODULE=marm.config.settings.test .venv/bin/python benchmarks/bench_exports.py

For each format it asks for the practitioner's case list (``export_request`` with the job held
back), then times the worker's job (``export_build``) as it runs on the worker: the rows read as
the practitioner through the cases selector, written to the file, the file stored. It prints the
rows, seconds, peak Python memory (tracemalloc), the SQL statements sent and the file's size.
Benchmarks never fail on a time.
"""

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marm.config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from marm.cases.selectors import cases_for_export  # noqa: E402
from marm.demo.management.commands.generate_scale import AGENCY_NAME, USER_EMAIL  # noqa: E402
from marm.exports.models import Export  # noqa: E402
from marm.exports.services import export_build, export_request  # noqa: E402

HELD_BACK = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=50_000, help="Rows the export must hold at least.")
    parser.add_argument("--formats", default="csv,ods", help="Comma-separated formats to time (csv, ods).")
    return parser.parse_args(argv)


def busiest_scale_practitioner():
    users = get_user_model().objects.filter(
        email__startswith=USER_EMAIL.split("{}")[0], agency__name__startswith=AGENCY_NAME[:-2]
    )
    counted = [(cases_for_export(user=user).count(), user) for user in users]
    return max(counted, key=lambda pair: pair[0], default=(0, None))


def run(user, export_format: str, *, trace: bool):
    with override_settings(TASKS=HELD_BACK):
        export = export_request(acting_user=user, kind="cases", format=export_format)
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        export_build(export_id=str(export.pk))
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    if trace:
        tracemalloc.stop()
    export = Export.objects.get(pk=export.pk)
    Export.objects.filter(pk=export.pk).update(content=None, status="expired")
    return export, seconds, len(queries), peak


def main(argv=None) -> int:
    args = parse_args(argv)
    rows, user = busiest_scale_practitioner()
    if user is None or rows < args.rows:
        print(
            f"No scale practitioner takes part in {args.rows:,} cases (the most: {rows:,}). Run first:\n"
            f"  manage.py generate_scale --agencies 1 --people {args.rows} --cases {args.rows}",
            file=sys.stderr,
        )
        return 1
    print(f"{connection.vendor}; {user.email} takes part in {rows:,} cases")
    for export_format in args.formats.split(","):
        # Timed without tracing (tracemalloc slows Python several times over), then traced for memory.
        export, seconds, queries, _ = run(user, export_format, trace=False)
        _, _, _, peak = run(user, export_format, trace=True)
        print(
            f"{export_format}: {export.status}, {export.row_count:,} rows in {seconds:.1f} s, "
            f"{queries} SQL statements, peak Python memory {peak / 2**20:.0f} MiB, "
            f"file {len(export.content or b'') / 2**20:.1f} MiB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

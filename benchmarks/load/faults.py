"""Faults under load: PostgreSQL restarted while marm is under load, and the worker killed mid-queue.

    .venv/bin/python benchmarks/load/faults.py --database marm_faults_demo --part worker --jobs 60
    .venv/bin/python benchmarks/load/faults.py --database marm_faults_demo --part restart --users 20 --duration 75

Needs what run.py needs (``make bench-setup``; a migrated PostgreSQL database of synthetic data only)
and reuses its steps: the production settings (benchmarks/load/settings.py), ``collectstatic`` and
``prepare.py``'s users, gunicorn, locust's users, the load sampler and ``audit_verify``.

``--part restart``: marm alone under ``--users`` users for ``--duration`` seconds; at a third of the
way PostgreSQL is restarted (``pg_ctlcluster --skip-systemctl-redirect <version> <cluster> restart``,
fast mode: every connection is cut and every open transaction rolled back). Nothing is done to
marm. Printed: requests and errors before, during and after the restart (during: from the restart
until the first request answered successfully after it), the time from the database being back to
that first success, errors after it, then the invariant on the chronology entries the users saved:
each one answered as saved (a redirect to the chronology) is in the database with its audit row;
one answered otherwise may be there or not, but never half (an entry without its audit row, or an
audit row without its entry). ``--no-restart`` runs the same without touching PostgreSQL (a dry
run); ``--cut-only`` ends every connection to marm's database (``pg_terminate_backend``) instead
of restarting the cluster: what a restart does to marm's connections, without the seconds the
database is down, and without touching the cluster's other databases; ``--health-checks false``
serves marm with DATABASE_CONN_HEALTH_CHECKS=false, as marm was before it checked kept
connections; ``--with-worker`` runs marm's ``db_worker`` beside it (idle, as the service runs it)
and says whether it outlived the fault. The restart is refused unless the
database is on 127.0.0.1, the local cluster serves its port, and no other database has a client
(``--disturb-others`` to allow): a restart cuts every database of the cluster.

``--part worker``: ``--jobs`` real exports (the cases and actions of the load practitioners, CSV)
asked for through ``export_request`` with the worker stopped, then ``manage.py db_worker`` (marm's)
started; once half the jobs have finished, in the middle of a job, it is killed with SIGKILL, and
started again under the same ``--worker-id``. Printed: what the kill left (jobs finished, RUNNING,
READY), and after ``--settle`` seconds (or once all are done): each job's end (successful, failed,
still running; claimed once or twice) and each export's (made, with the rows a fresh read gives,
or not). ``--library-worker`` runs django-tasks-db's own command instead of marm's, to show what it
leaves.

Both parts then run ``audit_verify``. The figures are printed, never enforced.
"""

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.load.run import (  # noqa: E402
    HOST,
    SAVE_ENTRY,
    SIGN_IN,
    LoadSampler,
    audit_verify,
    benchmark_env,
    keep_results,
    load_average,
    locust_command,
    log,
    prepare,
    remove_workdir,
    start_gunicorn,
    stop,
)

FAULTS = {
    "restart": "restarted",
    "cut": "left running, marm's connections cut (pg_terminate_backend)",
    "none": "left alone (dry run)",
}
MARKER = re.compile(r"\[load ([0-9a-f]{12})\]")
WORKER_ID = "faults-worker"


def setup_django(env: dict) -> None:
    """This process reads the database as the benchmark's marm does, to check it."""
    os.environ.update({key: env[key] for key in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY")})
    os.environ.update({key: env[key] for key in ("MARM_DATA_DIR", "STATIC_ROOT")})
    import django

    django.setup()


def close_connections() -> None:
    from django.db import connections

    connections.close_all()


# The restart -------------------------------------------------------------------------------------


def local_cluster(server: str) -> tuple[str, str]:
    """The local cluster (version, name) serving the database's port; exits unless it is on 127.0.0.1."""
    url = urlsplit(server)
    if url.hostname != HOST:
        sys.exit(f"The restart is only for a database on {HOST}, not {url.hostname!r}")
    port = url.port or 5432
    listing = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True, timeout=30)  # noqa: S607
    for line in listing.stdout.splitlines():
        version, name, cluster_port, status, *_ = line.split()
        if int(cluster_port) == port and status == "online":
            return version, name
    sys.exit(f"No local PostgreSQL cluster online on port {port} (pg_lsclusters): nothing to restart")


def other_clients() -> dict[str, int]:
    """Clients of the cluster's other databases, which a restart would cut too."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datname, count(*) FROM pg_stat_activity WHERE datname IS NOT NULL "
            "AND datname <> current_database() AND pid <> pg_backend_pid() GROUP BY datname ORDER BY datname"
        )
        return dict(cursor.fetchall())


def restart_postgresql(version: str, cluster: str) -> tuple[float, float]:
    """Restart the cluster; the times (epoch s) it began and returned (the cluster accepting again)."""
    close_connections()
    began = time.time()
    subprocess.run(  # noqa: S603
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "restart"],  # noqa: S607
        check=True,
        timeout=120,
    )
    return began, time.time()


def cut_connections() -> tuple[float, float]:
    """End every other connection to this database (marm's), as a restart does to its clients, without
    stopping the cluster: the other databases are untouched."""
    from django.db import connection

    began = time.time()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        cut = cursor.fetchone()[0]
    close_connections()
    log(f"{cut} connections to the database cut")
    return began, time.time()


def phases(records: list, *, began: float, back: float) -> dict:
    """Requests (sign-in left out) before the fault, during it (in flight at it, or started after it
    and before the first success started at or after it), and after; the time to that first success."""
    pages = [r for r in records if not r[0].startswith(SIGN_IN)]
    first = min(
        (r[1] + r[2] / 1000 for r in pages if r[1] >= began and not r[3]),
        default=None,
    )
    recovered = first if first is not None else float("inf")
    # During: in flight at the fault, or started after it and before the first success.
    after = [r for r in pages if r[1] >= recovered]
    during = [r for r in pages if r[1] < recovered and r[1] + r[2] / 1000 >= began]
    before = [r for r in pages if r[1] + r[2] / 1000 < began]
    errors_after = [r for r in after if r[3]]
    end = max((r[1] + r[2] / 1000 for r in pages), default=began)
    start = min((r[1] for r in pages), default=began)

    def rate(requests: list, seconds: float) -> float:
        return len(requests) / seconds if seconds > 0 else float("nan")

    return {
        "rps": {
            "before": rate(before, began - start),  # sign-in included in the seconds
            "during": rate(during, recovered - began) if first is not None else float("nan"),
            "after": rate(after, end - recovered) if first is not None else float("nan"),
        },
        "before": (len(before), sum(1 for r in before if r[3])),
        "during": (len(during), sum(1 for r in during if r[3])),
        "after": (len(after), len(errors_after)),
        "restart_s": back - began,
        "first_success_after_back_s": None if first is None else first - back,
        "first_success_after_began_s": None if first is None else first - began,
        "last_error_after_back_s": max((r[1] - back for r in pages if r[3]), default=None),
        "error_kinds": sorted({f"{r[0]}: {r[3]}" for r in pages if r[3] and r[1] >= began})[:8],
        "run_s": max((r[1] for r in records), default=began) - min((r[1] for r in records), default=began),
        "first_request_s": min((r[1] for r in records), default=began),
    }


def entries_invariant(attempts: list, *, since: float) -> dict:
    """Each attempt to save an entry against the database: the entry and its audit row, both or neither."""
    import datetime

    from marm.audit.models import AuditAction, AuditEvent
    from marm.chronology.models import ChronologyEntry

    after = datetime.datetime.fromtimestamp(since - 5, tz=datetime.UTC)
    entries: dict[str, list] = {}
    rows = ChronologyEntry.objects.filter(
        author__email__endswith="@load.example.org", recorded_at__gte=after, summary__contains="[load "
    ).values_list("pk", "summary")
    for pk, summary in rows:
        match = MARKER.search(summary)
        if match:
            entries.setdefault(match.group(1), []).append(str(pk))
    audited = set(
        AuditEvent.objects.filter(
            action=AuditAction.CREATE, object_type="chronology.chronologyentry", occurred_at__gte=after
        )
        .filter(actor_user__email__endswith="@load.example.org")
        .values_list("object_id", flat=True)
    )
    entry_ids = {pk for pks in entries.values() for pk in pks}
    saved = [a for a in attempts if a[2] == 302 and "/chronology/" in a[3]]
    unsaved = [a for a in attempts if not (a[2] == 302 and "/chronology/" in a[3])]
    attempted = {a[0] for a in attempts}

    def whole(marker: str) -> bool:
        return marker in entries and all(pk in audited for pk in entries[marker])

    return {
        "saved": len(saved),
        "saved_missing": sum(1 for a in saved if a[0] not in entries),
        "saved_without_audit": sum(1 for a in saved if a[0] in entries and not whole(a[0])),
        "unsaved": len(unsaved),
        "unsaved_statuses": dict(sorted(_count(str(a[2]) for a in unsaved).items())),
        "unsaved_present": sum(1 for a in unsaved if whole(a[0])),
        "unsaved_half": sum(1 for a in unsaved if a[0] in entries and not whole(a[0])),
        "twice": sum(1 for pks in entries.values() if len(pks) > 1),
        "unrecorded_in_database": sum(1 for marker in entries if marker not in attempted),
        "entries_without_audit": len(entry_ids - audited),
        "audit_without_entry": len({pk for pk in audited if pk not in entry_ids and _gone(pk)}),
    }


def _tail(path: Path, lines: int = 3) -> list[str]:
    return path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-lines:] if path.exists() else []


def _count(values) -> dict:
    counts: dict = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def _gone(pk: str) -> bool:
    from marm.chronology.models import ChronologyEntry

    return not ChronologyEntry.objects.filter(pk=pk).exists()


def fault_of(args) -> str:
    return "none" if args.no_restart else "cut" if args.cut_only else "restart"


def may_restart(args) -> tuple[str, str]:
    """The local cluster to restart; exits if it is not local or (without --disturb-others) in use."""
    version, cluster = local_cluster(args.server)
    if not args.no_restart and not args.cut_only:
        others = other_clients()
        if others and not args.disturb_others:
            listed = ", ".join(f"{name} ({count})" for name, count in others.items())
            sys.exit(f"Other databases of the cluster have clients, which a restart would cut: {listed}")
    close_connections()
    return version, cluster


def restart_part(args, env: dict, workdir: Path) -> dict:
    version, cluster = may_restart(args)
    marm_env = {**env, "DATABASE_CONN_HEALTH_CHECKS": args.health_checks}
    server = start_gunicorn(
        "marm", env=marm_env, workers=args.workers, port=args.port, log_path=workdir / "gunicorn.log"
    )
    record_file = workdir / "requests.json"
    entries_file = workdir / "entries.json"
    locust_env = {
        **marm_env,
        "MARM_LOAD_USERS": str(workdir / "users.json"),
        "MARM_LOAD_RECORD": str(record_file),
        "MARM_LOAD_ENTRIES": str(entries_file),
    }
    command = locust_command(
        "marm", users=args.users, spawn_rate=args.spawn_rate, run_time=args.duration, port=args.port
    )
    log(
        f"marm: {args.users} users for {args.duration} s on {HOST}:{args.port} ({args.workers} gunicorn workers, "
        f"health checks {args.health_checks}); PostgreSQL {version}/{cluster} "
        f"{FAULTS[fault_of(args)]} at {args.duration / 3:.0f} s"
    )
    worker = None
    if args.with_worker:
        worker_env = {**marm_env, "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
        worker = start_worker(worker_env, library=False, log_path=workdir / "worker.log", interval="1")
    sampler = LoadSampler()
    load_start = load_average()
    sampler.start()
    started = time.time()
    try:
        with (workdir / "locust.log").open("w") as locust_log:
            locust = subprocess.Popen(  # noqa: S603
                command, cwd=ROOT, env=locust_env, stdout=locust_log, stderr=subprocess.STDOUT
            )
            time.sleep(max(0.0, started + args.duration / 3 - time.time()))
            if args.no_restart:
                began = back = time.time()
            elif args.cut_only:
                began, back = cut_connections()
            else:
                began, back = restart_postgresql(version, cluster)
                log(f"PostgreSQL restarted in {back - began:.1f} s")
            locust.wait(timeout=args.duration + 120)
    finally:
        samples = sampler.stop()
        stop(server)
        worker_exit = None if worker is None else worker.poll()
        if worker is not None and worker_exit is None:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=60)
    if locust.returncode != 0 or not record_file.exists():
        sys.exit(f"locust failed ({locust.returncode}): see {workdir / 'locust.log'}")
    records = json.loads(record_file.read_text(encoding="utf-8"))
    attempts = json.loads(entries_file.read_text(encoding="utf-8")) if entries_file.exists() else []
    result = phases(records, began=began, back=back)
    result["restart_at_s"] = began - started
    result["worker"] = (
        None
        if worker is None
        else {"running_at_end": worker_exit is None, "exit": worker_exit, "log": _tail(workdir / "worker.log")}
    )
    result["entries"] = entries_invariant(attempts, since=started)
    result["entry_requests_failed"] = sum(1 for r in records if r[0] == SAVE_ENTRY and r[3])
    result["load"] = {
        "start": load_start,
        "mean": statistics.fmean(samples) if samples else load_start,
        "max": max(samples, default=load_start),
    }
    return result


def print_restart(result: dict, args) -> None:
    print()
    print(
        f"PostgreSQL restart under load: {args.users} users for {args.duration} s, gunicorn {args.workers} workers, "
        f"database {args.database}, health checks {args.health_checks}"
        f"; the fault: {FAULTS[fault_of(args)]}"
    )
    load = result["load"]
    print(f"  load average: start {load['start']:.1f}, mean {load['mean']:.1f}, max {load['max']:.1f}")
    print(f"  restart at {result['restart_at_s']:.1f} s into the run, took {result['restart_s']:.1f} s")
    print(f"  {'phase':<8} {'requests':>9} {'errors':>7} {'req/s':>7}")
    for phase in ("before", "during", "after"):
        requests, errors = result[phase]
        print(f"  {phase:<8} {requests:>9} {errors:>7} {result['rps'][phase]:>7.1f}")
    first = result["first_success_after_back_s"]
    print(
        "  first request answered after the restart: "
        + (
            "none"
            if first is None
            else f"{first:.2f} s after the database was back ({result['first_success_after_began_s']:.2f} s "
            f"after the restart began)"
        )
    )
    last = result["last_error_after_back_s"]
    print(f"  last failed request started {'-' if last is None else f'{last:.2f} s'} after the database was back")
    for kind in result["error_kinds"]:
        print(f"  error: {kind}")
    entries = result["entries"]
    print(
        f"  chronology entries answered as saved: {entries['saved']}; missing {entries['saved_missing']}, "
        f"without their audit row {entries['saved_without_audit']}"
    )
    print(
        f"  entries not answered as saved: {entries['unsaved']} (statuses {entries['unsaved_statuses']}); "
        f"in the database whole {entries['unsaved_present']}, half-written {entries['unsaved_half']}"
    )
    print(
        f"  in the database twice: {entries['twice']}; saved but the answer not recorded (locust stopped): "
        f"{entries['unrecorded_in_database']}; entries without an audit row: {entries['entries_without_audit']}; "
        f"audit rows without their entry: {entries['audit_without_entry']}"
    )
    broken = (
        entries["saved_missing"]
        + entries["saved_without_audit"]
        + entries["unsaved_half"]
        + entries["entries_without_audit"]
        + entries["audit_without_entry"]
    )
    print(f"  invariant (no saved entry lost, none half-written): {'held' if broken == 0 else f'BROKEN ({broken})'}")
    worker = result.get("worker")
    if worker is not None:
        state = "still running" if worker["running_at_end"] else f"exited ({worker['exit']})"
        print(f"  the worker (db_worker --interval 1, idle) at the end: {state}")
        for line in worker["log"]:
            print(f"    {line[:150]}")


# The worker --------------------------------------------------------------------------------------


def request_exports(count: int) -> list[str]:
    """``count`` exports of the load practitioners' cases and actions, through marm's service."""
    from django.contrib.auth import get_user_model

    from marm.exports.kinds import kinds_for
    from marm.exports.services import export_request

    users = list(
        get_user_model()
        .objects.filter(email__startswith="load-practitioner-", email__endswith="@load.example.org", is_active=True)
        .order_by("email")
    )
    choices = [(user, kind) for user in users for kind in ("cases", "actions") if kind in kinds_for(user)]
    if not choices:
        sys.exit("No load practitioner may export cases or actions")
    return [
        str(export_request(acting_user=user, kind=kind, format="csv").pk)
        for user, kind in (choices[n % len(choices)] for n in range(count))
    ]


def job_states(export_ids: list[str]) -> dict[str, tuple[str, int]]:
    """Each export's job: its status and how many times a worker claimed it."""
    from django_tasks_db.models import DBTaskResult

    jobs = DBTaskResult.objects.filter(task_path="marm.exports.tasks.export_build_task").values_list(
        "args_kwargs", "status", "worker_ids"
    )
    wanted = set(export_ids)
    states = {}
    for args_kwargs, status, worker_ids in jobs:
        export_id = (args_kwargs.get("args") or [None])[0]
        if export_id in wanted:
            states[export_id] = (status, len(worker_ids))
    return states


def expected_rows(export) -> int:
    """The rows a fresh read as the user gives (the data does not change during the run)."""
    from marm.core.row_security import acting_for
    from marm.exports.kinds import KINDS

    with acting_for(export.requested_by):
        return sum(1 for _ in KINDS[export.kind].rows(export.requested_by, export.parameters, set()))


def start_worker(env: dict, *, library: bool, log_path: Path, interval: str = "0.5") -> subprocess.Popen:
    options = ["--interval", interval, "--no-startup-delay", "--worker-id", WORKER_ID, "--verbosity", "1"]
    if library:
        # django-tasks-db's command as it is (marm's db_worker takes its name).
        code = (
            "import sys, django; django.setup(); from django.core.management import call_command; "
            "from django_tasks_db.management.commands.db_worker import Command; "
            "call_command(Command(), *sys.argv[1:])"
        )
        command = [sys.executable, "-c", code, *options]
    else:
        command = [sys.executable, str(ROOT / "manage.py"), "db_worker", *options]
    with log_path.open("a") as log_file:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)  # noqa: S603


def finished(states: dict) -> int:
    return sum(1 for status, _ in states.values() if status in ("SUCCESSFUL", "FAILED"))


def mid_job(states: dict, *, half: float) -> bool:
    return finished(states) >= half and any(status == "RUNNING" for status, _ in states.values())


def worker_part(args, env: dict, workdir: Path) -> dict:
    from django_tasks_db.models import DBTaskResult

    from marm.exports.models import Export

    worker_env = {**env, "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    others = DBTaskResult.objects.ready().exclude(task_path="marm.exports.tasks.export_build_task").count()
    left_running = DBTaskResult.objects.running().count()
    export_ids = request_exports(args.jobs)
    log(
        f"{len(export_ids)} exports asked for, their jobs queued ({others} other jobs ready in the queue, "
        f"{left_running} left running before)"
    )
    worker_log = workdir / "worker.log"
    load_start = load_average()
    started = time.time()
    worker = start_worker(worker_env, library=args.library_worker, log_path=worker_log)
    try:
        deadline = time.monotonic() + args.settle + 120
        # Half the jobs finished and the worker in the middle of one.
        while not mid_job(job_states(export_ids), half=len(export_ids) / 2):
            if worker.poll() is not None:
                sys.exit(f"the worker stopped by itself ({worker.returncode}): see {worker_log}")
            if time.monotonic() > deadline:
                sys.exit("half the jobs did not finish in time")
            time.sleep(0.02)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        killed_at = time.time()
    finally:
        if worker.poll() is None:
            worker.kill()
    at_kill = job_states(export_ids)
    running_at_kill = sorted(export_id for export_id, (status, _) in at_kill.items() if status == "RUNNING")
    exports_at_kill = dict(_count(Export.objects.filter(pk__in=running_at_kill).values_list("status", flat=True)))
    log(f"worker killed after {killed_at - started:.1f} s: {finished(at_kill)} finished, running {running_at_kill}")
    worker = start_worker(worker_env, library=args.library_worker, log_path=worker_log)
    try:
        deadline = time.monotonic() + args.settle
        while time.monotonic() < deadline and finished(job_states(export_ids)) < len(export_ids):
            time.sleep(0.2)
        all_done_after = time.time() - killed_at
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
    after = job_states(export_ids)
    made = Export.objects.filter(pk__in=export_ids).select_related("requested_by")
    exports = {str(export.pk): export for export in made}
    wrong_rows = []
    expected_by_key: dict = {}
    for export in exports.values():
        if export.status != "ready":
            continue
        key = (export.requested_by_id, export.kind)
        if key not in expected_by_key:
            expected_by_key[key] = expected_rows(export)
        if export.row_count != expected_by_key[key]:
            wrong_rows.append(str(export.pk))
    return {
        "jobs": len(export_ids),
        "others_ready": others,
        "left_running_before": left_running,
        "library_worker": args.library_worker,
        "killed_after_s": killed_at - started,
        "finished_at_kill": finished(at_kill),
        "statuses_at_kill": dict(sorted(_count(status for status, _ in at_kill.values()).items())),
        "running_at_kill": running_at_kill,
        "exports_running_at_kill": exports_at_kill,
        "statuses_after": dict(sorted(_count(status for status, _ in after.values()).items())),
        "claimed_twice": sum(1 for _, claims in after.values() if claims > 1),
        "killed_jobs_after": {export_id: after[export_id] for export_id in running_at_kill},
        "killed_exports_after": {export_id: exports[export_id].status for export_id in running_at_kill},
        "exports_after": dict(sorted(_count(export.status for export in exports.values()).items())),
        "rows_wrong": wrong_rows,
        "settled_s": all_done_after,
        "requeued_audit_rows": _requeue_audits(started),
        "load": {"start": load_start, "end": load_average()},
    }


def _requeue_audits(since: float) -> int:
    import datetime

    from marm.audit.models import AuditEvent

    after = datetime.datetime.fromtimestamp(since, tz=datetime.UTC)
    return AuditEvent.objects.filter(system_actor="job-recovery", occurred_at__gte=after).count()


def print_worker(result: dict, args) -> None:
    print()
    worker = "django-tasks-db's own db_worker" if result["library_worker"] else "marm's db_worker"
    print(
        f"Worker killed mid-queue: {result['jobs']} export jobs ({result['others_ready']} other jobs ready, "
        f"{result['left_running_before']} left running before), "
        f"{worker}, SIGKILL after {result['killed_after_s']:.1f} s, started again under the same id"
    )
    print(f"  load average: start {result['load']['start']:.1f}, end {result['load']['end']:.1f}")
    print(f"  at the kill: jobs {result['statuses_at_kill']} ({result['finished_at_kill']} finished)")
    print(f"  running when killed: {len(result['running_at_kill'])}, their exports {result['exports_running_at_kill']}")
    print(
        f"  after {result['settled_s']:.1f} s (limit {args.settle} s): jobs {result['statuses_after']}; "
        f"exports {result['exports_after']}"
    )
    for export_id, (status, claims) in result["killed_jobs_after"].items():
        print(
            f"  the job killed running ({export_id}): {status}, claimed {claims} times; "
            f"its export {result['killed_exports_after'][export_id]}"
        )
    print(f"  jobs claimed twice: {result['claimed_twice']}")
    print(f"  jobs put back in the queue (audit rows by job-recovery): {result['requeued_audit_rows']}")
    print(f"  exports made with the wrong number of rows: {len(result['rows_wrong'])}")
    lost = result["jobs"] - result["statuses_after"].get("SUCCESSFUL", 0)
    print(f"  jobs not finished successfully: {lost} (target 0) {'met' if lost == 0 else 'NOT MET'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--database", required=True, help="the PostgreSQL database, migrated, synthetic data only")
    parser.add_argument(
        "--server",
        default=f"postgres://postgres@{HOST}:5432/",
        help="PostgreSQL URL without the database name (default: %(default)s)",
    )
    parser.add_argument("--part", choices=["restart", "worker"], required=True)
    parser.add_argument("--users", type=int, default=20, help="locust users (restart)")
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", type=int, default=75, help="seconds of load (restart); the restart at a third")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (restart)")
    parser.add_argument("--port", type=int, default=8311)
    parser.add_argument("--no-restart", action="store_true", help="everything but the restart (a dry run)")
    parser.add_argument(
        "--cut-only",
        action="store_true",
        help="cut marm's connections to its database instead of restarting the cluster (the others untouched)",
    )
    parser.add_argument("--health-checks", choices=["true", "false"], default="true")
    parser.add_argument("--with-worker", action="store_true", help="run marm's db_worker beside it (restart)")
    parser.add_argument("--disturb-others", action="store_true", help="restart though other databases have clients")
    parser.add_argument("--jobs", type=int, default=60, help="export jobs queued (worker)")
    parser.add_argument("--settle", type=int, default=60, help="seconds the restarted worker is given (worker)")
    parser.add_argument("--library-worker", action="store_true", help="django-tasks-db's worker, not marm's")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, request records)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="marm-faults-"))
    env = benchmark_env(server=args.server, database=args.database, workdir=workdir)
    log(f"working folder {workdir}; load average {load_average():.1f}")
    setup_django(env)
    try:
        if args.part == "restart":
            may_restart(args)  # before anything is made
    except SystemExit:
        remove_workdir(workdir)
        raise
    prepare(env=env, workdir=workdir, users=args.users)
    if args.part == "restart":
        result = restart_part(args, env, workdir)
        close_connections()
        print_restart(result, args)
    else:
        result = worker_part(args, env, workdir)
        close_connections()
        print_worker(result, args)
    audit_text, audit_ok = audit_verify(env)
    print(f"  audit chain: {audit_text} {'(whole)' if audit_ok else '(NOT WHOLE)'}")
    keep_results(workdir, result, keep=args.keep)


if __name__ == "__main__":
    main()

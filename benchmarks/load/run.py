"""marm under many signed-in users, beside a bare Django app in the same run (locust, headless).

    .venv/bin/python benchmarks/load/run.py --database marm_load_demo --users 50 --duration 60

Needs the benchmark's tools (``make bench-setup``) and a migrated PostgreSQL database holding
synthetic data only (``seed_demo`` or ``generate_scale``): the run signs in as users it makes, adds
chronology entries and writes audit rows. Everything listens on 127.0.0.1 only, and every step is
bounded in time. In order:

1. ``collectstatic`` into a temporary folder, and ``prepare.py``: practitioners and duty officers
   with known passwords and authenticator keys in the agency that leads the most cases;
2. for each target, the bare app (benchmarks/load/bare/) first, then marm under production
   settings (benchmarks/load/settings.py): gunicorn with ``--workers`` sync workers on its own
   port, then locust with ``--users`` users on one connection each, no pause between requests, for
   ``--warmup`` + ``--duration`` seconds, then gunicorn stopped; ``--rounds N`` repeats the pair, so
   on a shared machine the ratio is taken N times, each time from two neighbouring runs;
3. the figures of each target over the last ``--duration`` seconds (sign-in left out): requests a
   second, p50/p95/p99, errors, the 1-minute load average at start, during (mean and highest) and
   at the end, marm's figures by page, the chronology entries answered as saved against the rows
   added (none may be missing), the ratio of marm's throughput to the bare app's, each beside its
   target;
4. ``manage.py audit_verify`` on the database, and its result.

The targets are printed, never enforced: the script fails only when something could not run.
"""

import argparse
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"
SIGN_IN = "sign-in"
SAVE_ENTRY = "add entry: save"

TARGET_RATIO = 0.25
TARGET_P95_MS = 250
TARGETS = {
    "bare": {
        "wsgi": "benchmarks.load.bare.wsgi:application",
        "settings": "benchmarks.load.bare.settings",
        "users": ["BareUser"],
    },
    "marm": {
        "wsgi": "marm.config.wsgi:application",
        "settings": "benchmarks.load.settings",
        "users": ["Practitioner", "DutyOfficer"],
    },
    # marm from another checkout (--baseline: an earlier commit), under the same load in the same run.
    "before": {
        "wsgi": "marm.config.wsgi:application",
        "settings": "benchmarks.load.settings",
        "users": ["Practitioner", "DutyOfficer"],
    },
}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def load_average() -> float:
    return os.getloadavg()[0]


class LoadSampler(threading.Thread):
    """The 1-minute load average every few seconds while a target is under load."""

    def __init__(self, every: float = 5.0):
        super().__init__(daemon=True)
        self.every = every
        self.samples: list[float] = []
        self._stop_event = threading.Event()

    def run(self):
        while not self._stop_event.is_set():
            self.samples.append(load_average())
            self._stop_event.wait(self.every)

    def stop(self) -> list[float]:
        self._stop_event.set()
        self.join()
        return self.samples


def run_checked(command: list[str], *, env: dict, timeout: int, what: str) -> str:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603
    if result.returncode != 0:
        sys.exit(f"{what} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result.stdout


def wait_until_up(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn on port {port} stopped at start (exit {process.returncode}): see its log")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/health/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit(f"gunicorn on port {port} did not answer within {timeout:.0f} s")


def stop(process: subprocess.Popen, timeout: float = 30) -> None:
    """Stop gunicorn (its master, which stops its workers) and wait for it."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def figures(records: list, *, warmup: float, duration: float) -> dict:
    """Throughput, percentiles and errors over ``duration`` seconds from the later of the end of the
    warm-up and the last sign-in, sign-in left out. Each record: name, start (s), time taken (ms), failed."""
    if not records:
        return {"requests": 0, "rps": 0.0, "errors": 0, "pages": {}, "window": 0.0}
    start = min(record[1] for record in records)
    signed_in = max((r[1] + r[2] / 1000 for r in records if r[0].startswith(SIGN_IN)), default=start)
    begin = max(start + warmup, signed_in)
    end = begin + duration
    kept = [r for r in records if begin <= r[1] < end and not r[0].startswith(SIGN_IN)]
    last = max((r[1] for r in kept), default=begin)
    window = max(1e-9, min(duration, last - begin))
    times = [r[2] for r in kept]
    pages = {}
    for name in sorted({r[0] for r in kept}):
        own = [r for r in kept if r[0] == name]
        pages[name] = {
            "requests": len(own),
            "p50": percentile([r[2] for r in own], 0.50),
            "p95": percentile([r[2] for r in own], 0.95),
            "errors": sum(1 for r in own if r[3]),
        }
    kinds = Counter(f"{r[0]}: {r[3]}" for r in records if r[3])
    sign_in = [r for r in records if r[0].startswith(SIGN_IN)]
    return {
        "requests": len(kept),
        "window": window,
        "begins_after": begin - start,
        "rps": len(kept) / window,
        "p50": percentile(times, 0.50),
        "p95": percentile(times, 0.95),
        "p99": percentile(times, 0.99),
        "mean": statistics.fmean(times) if times else float("nan"),
        "errors": sum(1 for r in kept if r[3]),
        "errors_whole_run": sum(1 for r in records if r[3]),
        "sign_in_requests": len(sign_in),
        "sign_in_errors": sum(1 for r in sign_in if r[3]),
        "pages": pages,
        "error_kinds": kinds.most_common(5),
    }


def start_gunicorn(
    name: str, *, env: dict, workers: int, port: int, log_path: Path, root: Path = ROOT
) -> subprocess.Popen:
    """gunicorn serving a target on 127.0.0.1, in its own process group (``stop`` ends it), once it
    answers /health/; from the checkout at ``root`` (another one for --baseline)."""
    with log_path.open("w") as log_file:
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                TARGETS[name]["wsgi"],
                "--workers",
                str(workers),
                "--bind",
                f"{HOST}:{port}",
                "--chdir",
                str(root),
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_up(port, server)
    except SystemExit:
        stop(server)
        raise
    return server


def locust_command(name: str, *, users: int, spawn_rate: float, run_time: int, port: int) -> list[str]:
    """Headless locust with the target's users for ``run_time`` seconds (the environment names the
    users' file and where the records go: MARM_LOAD_USERS, MARM_LOAD_RECORD)."""
    return [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(HERE / "locustfile.py"),
        *TARGETS[name]["users"],
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate),
        "--run-time",
        f"{run_time}s",
        "--host",
        f"http://{HOST}:{port}",
        "--only-summary",
        "--stop-timeout",
        "5",
        "--exit-code-on-error",
        "0",
        "--loglevel",
        "WARNING",
    ]


def load_target(name: str, *, args, env: dict, workdir: Path, port: int, number: int) -> dict:
    target = TARGETS[name]
    root = Path(args.baseline).resolve() if name == "before" else ROOT
    target_env = {**env, "DJANGO_SETTINGS_MODULE": target["settings"], "PYTHONPATH": str(root)}
    server_log = workdir / f"gunicorn-{name}-{number}.log"
    server = start_gunicorn(name, env=target_env, workers=args.workers, port=port, log_path=server_log, root=root)
    try:
        record_file = workdir / f"requests-{name}-{number}.json"
        locust_env = {
            **target_env,
            "MARM_LOAD_USERS": str(workdir / "users.json"),
            "MARM_LOAD_RECORD": str(record_file),
        }
        run_time = args.warmup + args.duration
        command = locust_command(name, users=args.users, spawn_rate=args.spawn_rate, run_time=run_time, port=port)
        log(f"{name}: {args.users} users for {run_time} s on {HOST}:{port} ({args.workers} gunicorn workers)")
        count_entries = [sys.executable, str(HERE / "prepare.py"), "--count-entries"]
        entries_before = int(run_checked(count_entries, env=env, timeout=300, what="counting entries"))
        sampler = LoadSampler()
        load_start = load_average()
        sampler.start()
        with (workdir / f"locust-{name}-{number}.log").open("w") as locust_log:
            result = subprocess.run(  # noqa: S603
                command,
                cwd=ROOT,
                env=locust_env,
                stdout=locust_log,
                stderr=subprocess.STDOUT,
                timeout=run_time + 120,
                check=False,
            )
        samples = sampler.stop()
        load_end = load_average()
        if result.returncode != 0 or not record_file.exists():
            sys.exit(f"locust failed on {name} ({result.returncode}): see {workdir / f'locust-{name}-{number}.log'}")
        records = json.loads(record_file.read_text(encoding="utf-8"))
    finally:
        stop(server)
    result = figures(records, warmup=args.warmup, duration=args.duration)
    # Every entry answered as saved must be in the database (one that timed out may be there too).
    result["entries_saved"] = sum(1 for r in records if r[0] == SAVE_ENTRY and not r[3])
    entries_after = int(run_checked(count_entries, env=env, timeout=300, what="counting entries"))
    result["entries_added"] = entries_after - entries_before
    result["load"] = {
        "start": load_start,
        "mean": statistics.fmean(samples) if samples else load_end,
        "max": max(samples, default=load_end),
        "end": load_end,
    }
    return result


def print_report(rounds: list[dict], *, args, audit: str, audit_ok: bool) -> None:
    print()
    print(
        f"Load benchmark: {args.users} users, {args.duration} s measured after {args.warmup} s warm-up, "
        f"gunicorn {args.workers} workers, database {args.database}, {len(rounds)} round(s)"
    )
    header = f"{'round':<5} {'target':<6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
    header += f" {'requests':>9}   load (start, mean, max, end)"
    print(header)
    for number, results in enumerate(rounds, start=1):
        for name, result in results.items():
            load = result["load"]
            print(
                f"{number:<5} {name:<6} {result['rps']:>8.1f} {result['p50']:>8.0f} {result['p95']:>8.0f} "
                f"{result['p99']:>8.0f} {result['errors']:>7} {result['requests']:>9}   "
                f"{load['start']:.1f}, {load['mean']:.1f}, {load['max']:.1f}, {load['end']:.1f}"
            )
    for number, results in enumerate(rounds, start=1):
        for name, result in results.items():
            print(
                f"round {number} {name}: measured {result['window']:.0f} s "
                f"from {result.get('begins_after', 0):.0f} s into its run"
            )
    marms = [results["marm"] for results in rounds if "marm" in results]
    befores = [results["before"] for results in rounds if "before" in results]
    for number, marm in enumerate(marms, start=1):
        print(
            f"\nmarm by page, round {number} (sign-in: {marm['sign_in_requests']} requests, "
            f"{marm['sign_in_errors']} errors; errors over the whole run, warm-up and sign-in included: "
            f"{marm['errors_whole_run']})"
        )
        print(f"  {'page':<20} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
        for page, row in marm["pages"].items():
            print(f"  {page:<20} {row['requests']:>9} {row['p50']:>8.0f} {row['p95']:>8.0f} {row['errors']:>7}")
        for kind, count in marm["error_kinds"]:
            print(f"  error x{count}: {kind}")
        lost = marm["entries_saved"] - marm["entries_added"]
        print(
            f"  chronology entries answered as saved: {marm['entries_saved']}, rows added: {marm['entries_added']}"
            f" ({'none lost' if lost <= 0 else f'{lost} LOST'})"
        )
    if not marms:
        return
    print("\nAgainst the targets (printed, not enforced; the median of the rounds):")
    ratios = [r["marm"]["rps"] / r["bare"]["rps"] for r in rounds if "marm" in r and r.get("bare", {}).get("rps")]
    if ratios:
        ratio = statistics.median(ratios)
        each = ", ".join(f"{value:.3f}" for value in ratios)
        print(
            f"  throughput ratio marm / bare: {ratio:.3f} (each round: {each}; target >= {TARGET_RATIO}) "
            f"{'met' if ratio >= TARGET_RATIO else 'NOT MET'}"
        )
    before_ratios = [r["before"]["rps"] / r["bare"]["rps"] for r in rounds if "before" in r and r.get("bare")]
    if befores:
        each = ", ".join(f"{value:.3f}" for value in before_ratios)
        ratio_text = (
            f"ratio to bare {statistics.median(before_ratios):.3f} (each round: {each}), " if before_ratios else ""
        )
        speedups = [r["marm"]["rps"] / r["before"]["rps"] for r in rounds if "before" in r and "marm" in r]
        print(
            f"  before (--baseline): {ratio_text}"
            f"p95 {statistics.median(r['p95'] for r in befores):.0f} ms, errors {sum(r['errors'] for r in befores)}; "
            f"marm's throughput / before's: {statistics.median(speedups):.2f}"
        )
    p95 = statistics.median(marm["p95"] for marm in marms)
    errors = sum(marm["errors"] for marm in marms)

    print(
        f"  marm p95: {p95:.0f} ms at {args.users} connections (target <= {TARGET_P95_MS} ms) "
        f"{'met' if p95 <= TARGET_P95_MS else 'NOT MET'}"
    )
    print(f"  marm errors: {errors} (target 0) {'met' if errors == 0 else 'NOT MET'}")
    lost = sum(max(0, marm["entries_saved"] - marm["entries_added"]) for marm in marms)
    print(f"  chronology entries answered as saved but missing: {lost} (target 0) {'met' if lost == 0 else 'NOT MET'}")
    print(f"  audit chain: {audit} {'met' if audit_ok else 'NOT MET'}")


def benchmark_env(*, server: str, database: str, workdir: Path) -> dict:
    """The environment of every step: the benchmark's production settings, the database, a fresh
    secret key, and the data and static folders in the working folder."""
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "benchmarks.load.settings",
        "DATABASE_URL": server.rstrip("/") + "/" + database,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "MARM_DATA_DIR": str(workdir / "data"),
        "STATIC_ROOT": str(workdir / "static"),
    }


def prepare(*, env: dict, workdir: Path, users: int) -> None:
    """``collectstatic``, then ``prepare.py``: ``users`` practitioners and a duty officer for every
    five, written to users.json in the working folder."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    run_checked([*manage, "collectstatic", "--noinput", "-v0"], env=env, timeout=300, what="collectstatic")
    duty = max(1, users // 5 + 1)
    log(
        run_checked(
            [
                sys.executable,
                str(HERE / "prepare.py"),
                "--practitioners",
                str(users),
                "--duty-officers",
                str(duty),
                "--out",
                str(workdir / "users.json"),
            ],
            env=env,
            timeout=600,
            what="prepare.py",
        ).strip()
    )


def audit_verify(env: dict) -> tuple[str, bool]:
    """``manage.py audit_verify`` on the database: its last line, and whether the chain is whole."""
    audit = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "audit_verify"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    lines = (audit.stdout + audit.stderr).strip().splitlines()
    return (lines[-1] if lines else f"audit_verify exited {audit.returncode}"), audit.returncode == 0


def keep_results(workdir: Path, results, *, keep: bool) -> None:
    """Write the run's figures to results.json, then keep the folder (--keep) or remove it."""
    (workdir / "results.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    if keep:
        log(f"logs and records kept in {workdir}")
    else:
        remove_workdir(workdir)


def remove_workdir(workdir: Path) -> None:
    for path in sorted(workdir.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    workdir.rmdir()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--database", required=True, help="the PostgreSQL database, migrated, synthetic data only")
    parser.add_argument(
        "--server",
        default=f"postgres://postgres@{HOST}:5432/",
        help="PostgreSQL URL without the database name (default: %(default)s)",
    )
    parser.add_argument("--users", type=int, default=50, help="locust users, one connection each")
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", type=int, default=60, help="seconds measured for each target")
    parser.add_argument(
        "--warmup", type=int, default=20, help="seconds of load before the measured ones (and after the last sign-in)"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers for each target")
    parser.add_argument("--port", type=int, default=8301, help="marm's port; the bare app's is the next")
    parser.add_argument(
        "--rounds", type=int, default=1, help="bare then marm, this many times (the ratio is taken in each round)"
    )
    parser.add_argument("--targets", nargs="+", choices=list(TARGETS), default=["bare", "marm"])
    parser.add_argument(
        "--baseline",
        help="another checkout of marm (an earlier commit, its migrations the same) served as the target 'before' "
        "in each round, beside this one: before and after measured in the same run",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, request records)")
    args = parser.parse_args()
    if args.baseline and "before" not in args.targets:
        args.targets.append("before")
    if "before" in args.targets and not args.baseline:
        parser.error("the target 'before' needs --baseline")

    workdir = Path(tempfile.mkdtemp(prefix="marm-load-"))
    env = benchmark_env(server=args.server, database=args.database, workdir=workdir)
    log(f"working folder {workdir}; load average {load_average():.1f}")
    prepare(env=env, workdir=workdir, users=args.users)

    rounds = []
    ports = {"marm": args.port, "bare": args.port + 1, "before": args.port + 2}
    for number in range(1, args.rounds + 1):
        results = {}
        for name in [target for target in ("bare", "before", "marm") if target in args.targets]:
            results[name] = load_target(name, args=args, env=env, workdir=workdir, port=ports[name], number=number)
            log(
                f"round {number} {name}: {results[name]['rps']:.1f} requests/s, p95 {results[name]['p95']:.0f} ms, "
                f"{results[name]['errors']} errors"
            )
        rounds.append(results)

    audit_text, audit_ok = audit_verify(env)
    print_report(rounds, args=args, audit=audit_text, audit_ok=audit_ok)
    keep_results(workdir, rounds, keep=args.keep)


if __name__ == "__main__":
    main()

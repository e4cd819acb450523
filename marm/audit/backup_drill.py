"""The backup and restore drill (ADR 0035): dump the database, restore the dump into a new database,
prove the copy's audit chain and decisions intact, time every step, and drop the copy.

A backup is only as good as the last restore that was tried from it. The drill answers, with numbers
from this database: how much would be lost (the recovery point: the dump's snapshot, and the audit rows
written since), and how long it takes to have a verified copy again (the recovery time).

The copy is checked by running ``audit_verify`` and ``decisions_verify`` in a child process whose
DATABASE_URL names the copy, so they read it exactly as marm would. ``audit_verify`` reads the
checkpoint file as it was when the dump started: a copy of an earlier moment cannot reach checkpoints
taken after it, and is not expected to.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings
from django.utils import timezone

from marm.audit.models import AuditChainHead

# OPTIONS that are Django's, not libpq's.
DJANGO_ONLY_OPTIONS = {"pool", "server_side_binding", "isolation_level", "assume_role", "cursor_factory", "context"}


class DrillFailed(Exception):
    """The drill could not run, or the copy did not verify; the message says which step."""


@dataclass
class Step:
    name: str
    seconds: float
    detail: str = ""


@dataclass
class DrillReport:
    database: str
    copy: str
    dump_started_at: datetime | None = None
    dump_bytes: int = 0
    copy_last_seq: int = 0
    copy_last_at: datetime | None = None
    live_last_seq: int = 0
    steps: list[Step] = field(default_factory=list)

    def seconds(self, *names: str) -> float:
        return sum(step.seconds for step in self.steps if step.name in names)

    @property
    def recovery_seconds(self) -> float:
        """From a dump at hand to a verified database: create, restore, verify."""
        return self.seconds("create the copy", "restore", "audit_verify", "decisions_verify")

    @property
    def rows_after_recovery_point(self) -> int:
        return max(0, self.live_last_seq - self.copy_last_seq)


def _libpq_env(settings_dict: dict) -> dict:
    """The password in libpq's variable, so it never shows in a process list."""
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return env


def _plain_options(settings_dict: dict) -> dict:
    """The connection's libpq options (sslmode, sslrootcert, ...), without Django's own."""
    return {
        key: value
        for key, value in (settings_dict.get("OPTIONS") or {}).items()
        if isinstance(value, str | int) and not isinstance(value, bool) and key not in DJANGO_ONLY_OPTIONS
    }


def _conninfo(settings_dict: dict, database: str) -> str:
    """A libpq connection string for pg_dump, pg_restore and psycopg, without the password."""
    from psycopg.conninfo import make_conninfo

    parts = {"host": settings_dict.get("HOST"), "port": settings_dict.get("PORT"), "user": settings_dict.get("USER")}
    return make_conninfo(
        dbname=database, **{key: value for key, value in parts.items() if value}, **_plain_options(settings_dict)
    )


def _database_url(settings_dict: dict, database: str) -> str:
    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or ""
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    options = _plain_options(settings_dict)
    query = f"?{urlencode(options)}" if options else ""
    return f"postgres://{credentials}{host}{port}/{quote(database, safe='')}{query}"


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise DrillFailed(f"{name} is not installed (Debian: postgresql-client, the server's major version).")
    return found


def _run(command: list[str], *, env: dict, what: str, timeout: int) -> str:
    try:
        # pg_dump, pg_restore and marm's own commands, with arguments built here.
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)  # noqa: S603
    except subprocess.TimeoutExpired:
        raise DrillFailed(f"{what} took longer than {timeout} s") from None
    if result.returncode != 0:
        raise DrillFailed(f"{what} failed:\n{(result.stdout + result.stderr).strip()}")
    return result.stdout.strip()


def backup_drill(
    *,
    connection,
    keep_dump: Path | None = None,
    no_owner: bool = False,
    timeout: int = 3600,
    say=lambda line: None,
) -> DrillReport:
    """Dump, restore into a new database, verify, time; always drop the copy. Raises DrillFailed."""
    if connection.vendor != "postgresql":
        raise DrillFailed(
            f"backup_drill works on PostgreSQL only; this database is {connection.vendor}. "
            "On SQLite, copy the file with sqlite3's .backup and run audit_verify on the copy."
        )
    settings_dict = connection.settings_dict
    database = settings_dict["NAME"]
    copy = f"{database[:40]}_drill_{timezone.now():%Y%m%d%H%M%S}"
    report = DrillReport(database=database, copy=copy)
    pg_dump, pg_restore = _program("pg_dump"), _program("pg_restore")
    folder = Path(tempfile.mkdtemp(prefix="marm-backup-drill-"))
    dump = keep_dump or folder / "marm.dump"
    created = False

    def timed(name, action):
        began = time.monotonic()
        detail = action() or ""
        report.steps.append(Step(name, time.monotonic() - began, detail))
        say(f"{name}: {report.steps[-1].seconds:.1f}s{f' ({detail})' if detail else ''}")

    try:
        # The checkpoints as they stood when the dump began: every one of them names a row the dump holds.
        checkpoints = folder / "checkpoints.jsonl"
        source = Path(settings.AUDIT_CHECKPOINT_FILE)
        if source.exists():
            shutil.copyfile(source, checkpoints)
        else:
            checkpoints.touch()
        report.dump_started_at = timezone.now()

        def dump_database():
            _run(
                [pg_dump, "--format=custom", "--file", str(dump), "--dbname", _conninfo(settings_dict, database)],
                env=_libpq_env(settings_dict),
                what="pg_dump",
                timeout=timeout,
            )
            report.dump_bytes = dump.stat().st_size
            return f"{report.dump_bytes / 1_048_576:.1f} MB"

        timed("dump", dump_database)

        def create_copy():
            nonlocal created
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(copy)}")
            created = True
            return copy

        timed("create the copy", create_copy)
        restore = [pg_restore, "--exit-on-error", "--dbname", _conninfo(settings_dict, copy), str(dump)]
        if no_owner:
            restore[1:1] = ["--no-owner", "--no-acl"]
        timed("restore", lambda: _run(restore, env=_libpq_env(settings_dict), what="pg_restore", timeout=timeout))
        child = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE") or settings.SETTINGS_MODULE,
            "DATABASE_URL": _database_url(settings_dict, copy),
            "AUDIT_CHECKPOINT_FILE": str(checkpoints),
        }
        for command in ("audit_verify", "decisions_verify"):
            timed(
                command,
                lambda command=command: _run(
                    [sys.executable, "-m", "django", command, "--no-color"],
                    env={**child, "PYTHONPATH": str(settings.BASE_DIR)},
                    what=f"{command} on the restored copy",
                    timeout=timeout,
                ),
            )
        report.copy_last_seq, report.copy_last_at = _copy_last_row(settings_dict, copy)
        head = AuditChainHead.objects.using(connection.alias).filter(pk=1).first()
        report.live_last_seq = head.last_seq if head else 0
    finally:
        if created:
            began = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(copy)} WITH (FORCE)")
            report.steps.append(Step("drop the copy", time.monotonic() - began))
        shutil.rmtree(folder, ignore_errors=True)
    return report


def _copy_last_row(settings_dict: dict, copy: str) -> tuple[int, datetime | None]:
    import psycopg

    password = {"password": settings_dict["PASSWORD"]} if settings_dict.get("PASSWORD") else {}
    with psycopg.connect(_conninfo(settings_dict, copy), **password) as conn:
        row = conn.execute("SELECT seq, occurred_at FROM audit_auditevent ORDER BY seq DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else (0, None)

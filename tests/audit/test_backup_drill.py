"""The backup and restore drill (ADR 0035): a dump restored into a new database, verified, timed, dropped."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from marm.audit.checkpoint import audit_checkpoint, sign
from marm.audit.models import AuditAction
from marm.audit.services import SystemActor, audit_record

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore")


def _write_rows(count: int):
    for index in range(count):
        audit_record(actor=SystemActor("test-job"), action=AuditAction.VIEW, object_type="x", object_id=str(index))


def _drill_copies() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            [f"{connection.settings_dict['NAME'][:40]}_drill_%"],
        )
        return [name for (name,) in cursor.fetchall()]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_drill_restores_a_copy_that_verifies_and_says_what_would_be_lost(capsys):
    _write_rows(3)
    audit_checkpoint()
    _write_rows(1)  # after the checkpoint: still in the dump

    call_command("backup_drill")

    out = capsys.readouterr().out
    for step in ("dump:", "create the copy:", "restore:", "audit_verify:", "decisions_verify:"):
        assert step in out
    assert "Recovery point: the dump's snapshot at" in out
    assert "the copy's audit trail ends at row 4 of" in out
    assert "0 audit rows have been written since" in out
    assert "Recovery time:" in out
    assert _drill_copies() == []


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_copy_whose_audit_does_not_verify_fails_the_drill_and_is_still_dropped(settings):
    _write_rows(2)
    # A signed checkpoint the chain cannot reach: as if rows had been lost before the dump.
    at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC).isoformat()
    line = {"seq": 9, "row_hash": "0" * 64, "at": at, "signature": sign(9, "0" * 64, at)}
    settings.AUDIT_CHECKPOINT_FILE.parent.mkdir(parents=True, exist_ok=True)
    settings.AUDIT_CHECKPOINT_FILE.write_text(json.dumps(line) + "\n")

    with pytest.raises(CommandError, match="audit_verify on the restored copy failed"):
        call_command("backup_drill")

    assert _drill_copies() == []


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is for SQLite")
@pytest.mark.django_db
def test_the_drill_refuses_sqlite_and_says_what_to_do_instead():
    with pytest.raises(CommandError, match="PostgreSQL only.*sqlite3's .backup"):
        call_command("backup_drill")

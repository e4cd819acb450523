"""L4: an audit store the application cannot erase (ADR 0024).

Checkpoints of the chain head are kept outside the database, so erasing rows
together with the head is found; on PostgreSQL the application's role cannot
erase them in the first place.
"""

import datetime
import hashlib
import hmac
import json
import logging
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from marm.audit.checkpoint import audit_checkpoint, read_checkpoints
from marm.audit.models import AuditAction, AuditChainHead, AuditEvent
from marm.audit.services import SystemActor, audit_record
from marm.audit.verify import verify_chain
from marm.notifications.sweeps import registered_sweeps, run_sweeps

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database roles and triggers exist on PostgreSQL only"
)


def _write_rows(count: int):
    for index in range(count):
        audit_record(actor=SystemActor("test-job"), action=AuditAction.VIEW, object_type="x", object_id=str(index))


def _erase_the_audit():
    """What the finding describes: every row and the head gone, as the tables' owner can."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Row triggers do not fire for TRUNCATE: only privileges stop it. (Deferred foreign
            # key checks are run first: TRUNCATE refuses a table with checks still pending.)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE audit_auditevent, audit_auditchainhead")
        else:
            cursor.execute("DELETE FROM audit_auditevent")
            cursor.execute("DELETE FROM audit_auditchainhead")


def _lines(settings) -> list[str]:
    return settings.AUDIT_CHECKPOINT_FILE.read_text().splitlines()


def test_L4_a_checkpoint_records_the_chain_head_outside_the_database(settings):
    _write_rows(3)
    checkpoint = audit_checkpoint()
    last = AuditEvent.objects.order_by("-seq").first()
    assert (checkpoint.seq, checkpoint.row_hash) == (3, last.row_hash)
    line = json.loads(_lines(settings)[0])
    assert set(line) == {"seq", "row_hash", "at", "signature"}
    assert line["seq"] == 3
    assert line["row_hash"] == last.row_hash


def test_L4_a_checkpoint_when_nothing_changed_appends_nothing(settings):
    assert audit_checkpoint() is None  # an empty chain has nothing to record
    assert not settings.AUDIT_CHECKPOINT_FILE.exists()
    _write_rows(2)
    assert audit_checkpoint() is not None
    assert audit_checkpoint() is None
    assert len(_lines(settings)) == 1
    _write_rows(1)
    assert audit_checkpoint().seq == 3
    assert len(_lines(settings)) == 2


def test_L4_the_checkpoint_runs_as_a_sweep_every_minute(settings):
    assert "audit-checkpoint" in registered_sweeps()
    _write_rows(2)
    assert run_sweeps(names=["audit-checkpoint"]) == {"audit-checkpoint": 1}
    assert run_sweeps(names=["audit-checkpoint"]) == {"audit-checkpoint": 0}
    assert len(_lines(settings)) == 1


def test_L4_the_checkpoint_command_says_what_it_did(settings, capsys):
    _write_rows(1)
    call_command("audit_checkpoint")
    assert "Checkpoint of row 1 written" in capsys.readouterr().out
    call_command("audit_checkpoint")
    assert "No checkpoint written" in capsys.readouterr().out


def test_L4_a_checkpoint_can_be_checked_with_its_key_alone(settings):
    settings.AUDIT_CHECKPOINT_KEY = "a key kept apart from the database"
    _write_rows(1)
    audit_checkpoint()
    line = json.loads(_lines(settings)[0])
    signed = json.dumps(
        {"at": line["at"], "row_hash": line["row_hash"], "seq": line["seq"]}, sort_keys=True, separators=(",", ":")
    )
    expected = hmac.new(b"a key kept apart from the database", signed.encode(), hashlib.sha256).hexdigest()
    assert line["signature"] == expected


def test_L4_truncation_by_the_owner_is_detected(settings):
    _write_rows(3)
    audit_checkpoint(now=datetime.datetime(2026, 12, 7, 9, 12, tzinfo=datetime.UTC))
    _erase_the_audit()
    result = verify_chain()
    assert not result.ok
    assert result.reason.startswith("the chain ends at row 0 but row 3 was checkpointed on 7 December 2026 at 09:12")
    with pytest.raises(CommandError, match="the chain ends at row 0 but row 3 was checkpointed"):
        call_command("audit_verify")


def test_L4_removing_the_last_rows_with_the_head_is_detected(settings):
    _write_rows(4)
    audit_checkpoint()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # superuser: skip the triggers
        cursor.execute("DELETE FROM audit_auditevent WHERE seq > 2")
        cursor.execute(
            "UPDATE audit_auditchainhead SET last_seq = 2, "
            "last_hash = (SELECT row_hash FROM audit_auditevent WHERE seq = 2)"
        )
    result = verify_chain()
    assert not result.ok
    assert result.broken_seq == 3
    assert "the chain ends at row 2 but row 4 was checkpointed" in result.reason


def test_L4_a_chain_rebuilt_after_a_checkpoint_is_detected(settings):
    _write_rows(3)
    audit_checkpoint()
    _erase_the_audit()
    _write_rows(5)  # a fresh chain, whole in itself, longer than the checkpoint
    result = verify_chain()
    assert not result.ok
    assert result.broken_seq == 3
    assert "does not match the checkpoint" in result.reason


def test_L4_a_tampered_checkpoint_line_is_reported(settings):
    _write_rows(2)
    audit_checkpoint()
    _write_rows(1)
    audit_checkpoint()
    lines = _lines(settings)
    forged = json.loads(lines[1])
    forged["seq"] = 2  # claim the chain was shorter than it was
    settings.AUDIT_CHECKPOINT_FILE.write_text(lines[0] + "\n" + json.dumps(forged) + "\n")
    result = verify_chain()
    assert not result.ok
    assert result.broken_seq is None
    assert "line 2 of the checkpoint file" in result.reason
    assert "signature does not match" in result.reason
    with pytest.raises(CommandError, match="checkpoints cannot be trusted"):
        call_command("audit_verify")


def test_L4_a_checkpoint_signed_with_another_key_is_reported(settings):
    _write_rows(1)
    audit_checkpoint()
    settings.AUDIT_CHECKPOINT_KEY = "another key"
    result = verify_chain()
    assert not result.ok
    assert "signature does not match" in result.reason


def test_L4_without_a_checkpoint_file_verify_behaves_as_before(settings, capsys):
    _write_rows(3)
    assert not settings.AUDIT_CHECKPOINT_FILE.exists()
    result = verify_chain()
    assert result.ok
    assert (result.checked, result.checkpoints) == (3, 0)
    call_command("audit_verify")
    assert "Audit trail intact: 3 rows checked." in capsys.readouterr().out


def test_L4_an_intact_chain_passes_against_its_checkpoints(settings, capsys):
    for _ in range(3):
        _write_rows(2)
        audit_checkpoint()
    result = verify_chain()
    assert result.ok
    assert (result.checked, result.checkpoints) == (6, 3)
    call_command("audit_verify")
    assert "6 rows checked, against 3 checkpoints" in capsys.readouterr().out


def test_L4_no_checkpoint_is_written_over_an_erased_chain(settings, caplog):
    _write_rows(3)
    audit_checkpoint()
    _erase_the_audit()
    _write_rows(1)
    with caplog.at_level(logging.ERROR, logger="marm.audit.checkpoint"):
        assert audit_checkpoint() is None
    assert "no longer reaches the checkpoint of row 3" in caplog.text
    assert len(_lines(settings)) == 1
    assert read_checkpoints().last.seq == 3


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal on SQLite")
def test_L4_db_roles_refuses_clearly_on_sqlite():
    with pytest.raises(CommandError, match="PostgreSQL only"):
        call_command("db_roles")


# PostgreSQL: the application's role cannot erase the audit.


@pytest.fixture
def roles():
    """Role names unique to the test (roles belong to the whole cluster); dropped afterwards."""
    suffix = uuid.uuid4().hex[:10]
    owner, app = f"marm_test_owner_{suffix}", f"marm_test_app_{suffix}"
    yield owner, app
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
            for role in (app, owner):
                cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
                if cursor.fetchone():
                    cursor.execute(f'REASSIGN OWNED BY "{role}" TO CURRENT_USER')
                    cursor.execute(f'DROP OWNED BY "{role}"')
                    cursor.execute(f'DROP ROLE "{role}"')
    except DatabaseError:
        pass  # the test's transaction is rolled back anyway, and the roles with it


@pytest.fixture
def app_role(roles):
    owner, app = roles
    call_command("db_roles", owner=owner, app_role=app, reassign=True, verbosity=0)
    return app


class _ActingAs:
    def __init__(self, role):
        self.role = role

    def __enter__(self):
        with connection.cursor() as cursor:
            cursor.execute(f'SET ROLE "{self.role}"')

    def __exit__(self, *exc):
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def _refused(sql: str):
    refusal = "permission denied|must be owner"
    with pytest.raises(DatabaseError, match=refusal), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


@postgresql_only
def test_L4_app_role_cannot_truncate_the_audit(app_role):
    _write_rows(2)
    with _ActingAs(app_role):
        _refused("TRUNCATE audit_auditevent CASCADE")
        _refused("TRUNCATE audit_auditchainhead")
    assert AuditEvent.objects.count() == 2


@postgresql_only
def test_L4_app_role_cannot_delete_or_change_audit_rows(app_role):
    _write_rows(2)
    with _ActingAs(app_role):
        _refused("DELETE FROM audit_auditevent")
        _refused("UPDATE audit_auditevent SET purpose = 'changed'")
        _refused("DELETE FROM audit_auditchainhead")
        _refused("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
    assert AuditEvent.objects.count() == 2
    assert verify_chain().ok


@postgresql_only
def test_L4_app_role_still_writes_the_audit_through_the_auditor(app_role):
    _write_rows(1)
    with _ActingAs(app_role):
        event = audit_record(actor=SystemActor("test-job"), action=AuditAction.VIEW, object_type="x")
        assert event.seq == 2
        assert verify_chain().ok


@postgresql_only
def test_L4_app_role_owns_nothing_and_new_tables_get_its_grants(roles, app_role):
    owner, app = roles
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND pg_get_userbyid(c.relowner) <> %s",
            [owner],
        )
        assert cursor.fetchone()[0] == 0
        # A table a later migration makes, as the owner, is granted by default privileges.
        cursor.execute(f'SET ROLE "{owner}"')
        cursor.execute("CREATE TABLE later_table (id integer)")
        cursor.execute("RESET ROLE")
        cursor.execute("SELECT has_table_privilege(%s, 'later_table', 'INSERT')", [app])
        assert cursor.fetchone()[0] is True
        cursor.execute("SELECT has_table_privilege(%s, 'later_table', 'TRUNCATE')", [app])
        assert cursor.fetchone()[0] is False
        cursor.execute("SELECT has_table_privilege(%s, 'decisions_decision', 'UPDATE')", [app])
        assert cursor.fetchone()[0] is False


@postgresql_only
def test_L4_truncation_by_the_owner_role_is_detected(settings, roles, app_role):
    owner, _app = roles
    _write_rows(3)
    audit_checkpoint()
    with _ActingAs(owner), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE audit_auditevent, audit_auditchainhead")
    result = verify_chain()
    assert not result.ok
    assert "the chain ends at row 0 but row 3 was checkpointed" in result.reason


@postgresql_only
def test_L4_the_chain_head_only_moves_forward(settings):
    _write_rows(3)
    with pytest.raises(DatabaseError, match="only moves forward"), transaction.atomic():
        AuditChainHead.objects.filter(pk=1).update(last_seq=1)
    with pytest.raises(DatabaseError, match="cannot be deleted"), transaction.atomic():
        AuditChainHead.objects.filter(pk=1).delete()
    assert AuditChainHead.objects.get(pk=1).last_seq == 3


@postgresql_only
def test_L4_db_roles_can_run_again_and_says_what_it_did(roles, capsys):
    owner, app = roles
    call_command("db_roles", owner=owner, app_role=app, reassign=True)
    first = capsys.readouterr().out
    assert f"Created role {app}" in first
    assert "audit_auditevent" in first
    call_command("db_roles", owner=owner, app_role=app)
    second = capsys.readouterr().out
    assert f"Role {app} exists" in second
    assert f"Everything in schema public is owned by {owner}" in second


@postgresql_only
def test_L4_db_roles_refuses_an_app_role_that_could_act_as_the_owner(roles):
    owner, app = roles
    call_command("db_roles", owner=owner, app_role=app, reassign=True, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(f'GRANT "{owner}" TO "{app}"')
    with pytest.raises(CommandError, match="member of the owner role"):
        call_command("db_roles", owner=owner, app_role=app, verbosity=0)

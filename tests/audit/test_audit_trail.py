import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from marm.audit.models import AuditAction, AuditEvent
from marm.audit.services import AuditActorMissing, SystemActor, audit_record
from marm.audit.verify import verify_chain
from marm.people.models import Address, Person
from marm.people.services import person_create

pytestmark = pytest.mark.django_db


def _create_person(user, **overrides):
    values = {"given_name": "Edna", "family_name": "Marsh"}
    values.update(overrides)
    return person_create(acting_user=user, **values)


def test_L3_a_write_and_its_audit_row_commit_together(practitioner_a):
    person = _create_person(practitioner_a)
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="people.person")
    assert event.object_id == str(person.pk)
    assert event.actor_user == practitioner_a
    assert event.actor_agency == practitioner_a.agency


def test_C2_a_failed_write_leaves_neither_rows_nor_audit(practitioner_a):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        # The address fails validation after the person row was written: all of it goes.
        _create_person(practitioner_a, address={"line_1": "1 High Street", "town": "x" * 500})
    assert Person.objects.count() == 0
    assert Address.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_the_auditor_refuses_to_write_without_an_actor():
    with pytest.raises(AuditActorMissing):
        audit_record(actor=None, action=AuditAction.VIEW, object_type="people.person", object_id="x")
    with pytest.raises(AuditActorMissing):
        audit_record(actor=SystemActor(""), action=AuditAction.VIEW)
    assert AuditEvent.objects.count() == 0


def test_a_named_job_can_be_the_actor():
    event = audit_record(actor=SystemActor("nightly-reminders"), action=AuditAction.VIEW, object_type="x")
    assert event.system_actor == "nightly-reminders"
    assert event.actor_user is None


def test_rows_form_an_intact_chain(practitioner_a):
    for index in range(5):
        _create_person(practitioner_a, given_name=f"Person{index}")
    result = verify_chain()
    assert result.ok
    assert result.checked == AuditEvent.objects.count() == 5
    call_command("audit_verify")


def _tamper(sql: str, params: list):
    """Change audit rows behind the application's back, as a person with database access might."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Superuser only: skip the append-only trigger to simulate tampering.
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


def test_audit_verify_reports_the_first_edited_row(practitioner_a):
    for index in range(4):
        _create_person(practitioner_a, given_name=f"Person{index}")
    _tamper("UPDATE audit_auditevent SET purpose = %s WHERE seq = %s", ["looked for no reason", 2])
    result = verify_chain()
    assert not result.ok
    assert result.broken_seq == 2
    with pytest.raises(CommandError, match="broken at row 2"):
        call_command("audit_verify")


def test_audit_verify_reports_a_deleted_row(practitioner_a):
    for index in range(4):
        _create_person(practitioner_a, given_name=f"Person{index}")
    _tamper("DELETE FROM audit_auditevent WHERE seq = %s", [3])
    result = verify_chain()
    assert result.broken_seq == 3
    assert "missing" in result.reason


def test_audit_verify_reports_a_removed_last_row(practitioner_a):
    for index in range(3):
        _create_person(practitioner_a, given_name=f"Person{index}")
    _tamper("DELETE FROM audit_auditevent WHERE seq = %s", [3])
    assert not verify_chain().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only")
def test_postgresql_refuses_to_change_or_delete_audit_rows(practitioner_a):
    _create_person(practitioner_a)
    event = AuditEvent.objects.get()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(purpose="changed")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get().purpose == ""

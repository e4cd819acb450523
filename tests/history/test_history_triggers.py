"""Every change to a tracked record leaves a history row with its old and new values (ADR 0032)."""

import pytest
from django.db import connection, transaction

from marm.audit.models import AuditEvent
from marm.history.models import ChangeOperation, HistoryChange
from marm.people.models import Person, PersonAlias
from marm.people.services import alias_add, person_update

pytestmark = pytest.mark.django_db


def _history(obj):
    return HistoryChange.objects.filter(
        table_name=obj._meta.db_table, row_id__in=[str(obj.pk), obj.pk.hex if hasattr(obj.pk, "hex") else str(obj.pk)]
    ).order_by("pk")


def test_an_edit_through_the_service_keeps_old_and_new_values_and_who(practitioner_a, person_a):
    person_update(
        acting_user=practitioner_a, person=person_a, expected_version=person_a.version, family_name="Thornbery"
    )
    change = _history(person_a).filter(operation=ChangeOperation.UPDATE).get()
    assert change.old["family_name"] == "Thornbury"
    assert change.new["family_name"] == "Thornbery"
    assert change.person_id == person_a.pk
    assert change.audit_event.actor_user == practitioner_a
    assert change.audit_event.actor_agency == practitioner_a.agency
    assert change.changed_at is not None


def test_creating_and_deleting_a_record_under_the_person_are_recorded_with_the_actor(practitioner_a, person_a):
    alias = alias_add(
        acting_user=practitioner_a, person=person_a, given_name="Meg", family_name="Thorn", kind="known_as"
    )
    created = _history(alias).get()
    assert created.operation == ChangeOperation.INSERT
    assert created.old is None and created.new["given_name"] == "Meg"
    assert created.person_id == person_a.pk
    assert created.audit_event.actor_user == practitioner_a
    PersonAlias.objects.filter(pk=alias.pk).delete()
    deleted = _history(alias).get(operation=ChangeOperation.DELETE)
    assert deleted.old["given_name"] == "Meg" and deleted.new is None


def test_L3_a_bulk_update_that_skips_the_orm_save_is_recorded(person_a):
    Person.objects.filter(pk=person_a.pk).update(preferred_name="Peggy")
    change = _history(person_a).get(operation=ChangeOperation.UPDATE)
    assert change.new["preferred_name"] == "Peggy"


def test_a_case_and_its_chronology_are_recorded_under_the_case_and_the_person(accepted_case, chronology_entry_a):
    assert HistoryChange.objects.filter(case_id=accepted_case.pk, table_name="cases_case").exists()
    assert HistoryChange.objects.filter(person_id=accepted_case.person_id, table_name="cases_case").exists()
    assert HistoryChange.objects.filter(
        table_name="chronology_chronologyentry", person_id=chronology_entry_a.person_id
    ).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="raw SQL history is proved on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_L3_on_postgresql_a_raw_sql_update_is_caught_and_marked_outside_marm(practitioner_a):
    from tests.factories import PersonFactory

    person = PersonFactory(created_by=practitioner_a, family_name="Okafor")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE people_person SET family_name = 'Okafur' WHERE id = %s", [person.pk])
    change = HistoryChange.objects.get(table_name="people_person", row_id=str(person.pk), operation="update")
    assert change.old["family_name"] == "Okafor"
    assert change.new["family_name"] == "Okafur"
    assert change.audit_event is None
    assert change.database_user
    assert change.transaction_id
    assert not AuditEvent.objects.filter(object_id=str(person.pk), action="update").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the guard on history rows is PostgreSQL's")
def test_on_postgresql_a_history_row_cannot_be_rewritten_or_deleted(practitioner_a, person_a):
    from django.db import DatabaseError

    person_update(acting_user=practitioner_a, person=person_a, expected_version=person_a.version, family_name="Thorn")
    change = HistoryChange.objects.filter(table_name="people_person", operation="update").latest("pk")
    for statement in (
        "UPDATE history_historychange SET new = '{}'::jsonb WHERE id = %s",
        "UPDATE history_historychange SET audit_event_id = NULL WHERE id = %s",
        "DELETE FROM history_historychange WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [change.pk])
    change.refresh_from_db()
    assert change.new["family_name"] == "Thorn"

# ruff: noqa: S608 -- the SQL is built only from the app's own model metadata (table and column names), never from input.
"""Database triggers that write the history of every change (ADR 0032).

Each tracked table has triggers after INSERT, UPDATE and DELETE that write one
``history_historychange`` row with the row's values before and after: on PostgreSQL with
``to_jsonb(OLD/NEW)``, on SQLite with ``json_object()`` over the table's columns. A write
that bypasses the ORM (a raw ``UPDATE``, a bulk ``update()``) is recorded as any other.

Who acted comes from the app: ``stamp_changes`` runs after each audit row of a change and
names it on the history rows its transaction wrote (on PostgreSQL, matched by
``txid_current()``; rows written later in the same transaction take it from the setting
``marm.history_audit_event``). A history row with no audit row was written outside marm.
SQLite serialises writers, so there every unstamped row belongs to the writing transaction.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import connections

from marm.history.models import HistoryChange


@dataclass(frozen=True)
class Tracked:
    label: str
    # How a row reaches its person and its case: a lookup path ("self" for the row itself, "" for none).
    person: str
    case: str = ""


TRACKED = (
    Tracked("people.Person", person="self"),
    Tracked("people.PersonAlias", person="person"),
    Tracked("people.Address", person="person"),
    Tracked("people.PersonIdentifier", person="person"),
    Tracked("cases.Case", person="person", case="self"),
    Tracked("chronology.ChronologyEntry", person="person", case="case"),
    Tracked("risk.RiskAssessment", person="case__person", case="case"),
    Tracked("risk.RiskAssessmentVersion", person="assessment__case__person", case="assessment__case"),
    Tracked(
        "risk.AspectAssessment",
        person="assessment_version__assessment__case__person",
        case="assessment_version__assessment__case",
    ),
    Tracked("plans.Action", person="case__person", case="case"),
    Tracked("plans.ContingencyPlan", person="case__person", case="case"),
    Tracked("register.RegisterEntry", person="person", case="case"),
)

HISTORY_TABLE = HistoryChange._meta.db_table
HISTORY_COLUMNS = (
    "table_name, row_id, operation, old, new, person_id, case_id, changed_at, transaction_id, database_user,"
    " audit_event_id"
)
AUDIT_SETTING = "marm.history_audit_event"


def tracked_models():
    return [(apps.get_model(spec.label), spec) for spec in TRACKED]


def model_for_table(table: str):
    for model, _spec in tracked_models():
        if model._meta.db_table == table:
            return model
    return None


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _path_sql(model, path: str, row: str, cast) -> str:
    """SQL for the key at the end of ``path``, read from the trigger's ``row`` (NEW or OLD)."""
    if path == "":
        return "NULL"
    if path == "self":
        return cast(f"{row}.{_q(model._meta.pk.column)}", model._meta.pk)
    first, *rest = path.split("__")
    field = model._meta.get_field(first)
    sql = cast(f"{row}.{_q(field.column)}", field.target_field)
    current = field.related_model
    for step in rest:
        field = current._meta.get_field(step)
        table, pk = current._meta.db_table, current._meta.pk.column
        sql = f"(SELECT {_q(field.column)} FROM {_q(table)} WHERE {_q(pk)} = {sql})"
        current = field.related_model
    return sql


def _no_cast(sql, _field):
    return sql


# --- SQLite ---------------------------------------------------------------------------------


def _sqlite_statements(model, spec) -> list[str]:
    table = model._meta.db_table
    columns = [field.column for field in model._meta.concrete_fields]

    def as_json(row):
        return "json_object(" + ", ".join(f"'{column}', {row}.{_q(column)}" for column in columns) + ")"

    statements = []
    for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        name = f"marm_history_{table}_{event.lower()}"
        old = "NULL" if event == "INSERT" else as_json("OLD")
        new = "NULL" if event == "DELETE" else as_json("NEW")
        when = ""
        if event == "UPDATE":
            when = " WHEN " + " OR ".join(f"OLD.{_q(c)} IS NOT NEW.{_q(c)}" for c in columns)
        statements += [
            f"DROP TRIGGER IF EXISTS {_q(name)}",
            f"CREATE TRIGGER {_q(name)} AFTER {event} ON {_q(table)} FOR EACH ROW{when} BEGIN "
            f"INSERT INTO {_q(HISTORY_TABLE)} ({HISTORY_COLUMNS}) VALUES ("
            f"'{table}', {row}.{_q(model._meta.pk.column)}, '{event.lower()}', {old}, {new}, "
            f"{_path_sql(model, spec.person, row, _no_cast)}, {_path_sql(model, spec.case, row, _no_cast)}, "
            f"strftime('%Y-%m-%d %H:%M:%f', 'now'), NULL, '', NULL); END",
        ]
    return statements


# --- PostgreSQL -----------------------------------------------------------------------------


def _pg_cast(sql, field):
    # A key read from the row record needs no cast: the record keeps each column's type.
    return sql


def _postgresql_statements(model, spec) -> list[str]:
    table = model._meta.db_table
    function = f"marm_history_{table}"
    trigger = f"marm_history_{table}"
    person = _path_sql(model, spec.person, "r", _pg_cast)
    case = _path_sql(model, spec.case, "r", _pg_cast)
    pk = _q(model._meta.pk.column)
    return [
        f"""
CREATE OR REPLACE FUNCTION {_q(function)}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    r {_q(table)}%ROWTYPE;
    old_values jsonb;
    new_values jsonb;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    IF TG_OP <> 'INSERT' THEN old_values := to_jsonb(OLD); END IF;
    IF TG_OP <> 'DELETE' THEN new_values := to_jsonb(NEW); END IF;
    IF TG_OP = 'UPDATE' AND old_values = new_values THEN RETURN NULL; END IF;
    INSERT INTO {_q(HISTORY_TABLE)} ({HISTORY_COLUMNS}) VALUES (
        TG_TABLE_NAME, r.{pk}::text, lower(TG_OP), old_values, new_values, {person}, {case},
        now(), txid_current(), session_user,
        nullif(current_setting('{AUDIT_SETTING}', true), '')::bigint
    );
    RETURN NULL;
END
$$""",
        f"DROP TRIGGER IF EXISTS {_q(trigger)} ON {_q(table)}",
        f"CREATE TRIGGER {_q(trigger)} AFTER INSERT OR UPDATE OR DELETE ON {_q(table)} "
        f"FOR EACH ROW EXECUTE FUNCTION {_q(function)}()",
    ]


GUARD = "marm_history_guard"
# Set for one transaction (SET LOCAL) by ``history_erase`` only: the guard then lets history rows go.
ERASURE_SETTING = "marm.history_erasure"


def _postgresql_guard() -> list[str]:
    """History rows are never changed or deleted by a row-level write: the one change allowed is
    naming the audit row of a change on a row that has none (TRUNCATE, the owner's, is not a row write).
    The retention job deletes the history of what it removes, in its own transaction (``history_erase``)."""
    return [
        f"""
CREATE OR REPLACE FUNCTION {_q(GUARD)}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        -- Only the retention job removes history, with the records it describes.
        IF current_setting('{ERASURE_SETTING}', true) = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'The history of changes is never deleted';
    END IF;
    IF OLD.audit_event_id IS NOT NULL
       OR (to_jsonb(NEW) - 'audit_event_id') IS DISTINCT FROM (to_jsonb(OLD) - 'audit_event_id') THEN
        RAISE EXCEPTION 'The history of changes is never changed';
    END IF;
    RETURN NEW;
END
$$""",
        f"DROP TRIGGER IF EXISTS {_q(GUARD)} ON {_q(HISTORY_TABLE)}",
        f"CREATE TRIGGER {_q(GUARD)} BEFORE UPDATE OR DELETE ON {_q(HISTORY_TABLE)} "
        f"FOR EACH ROW EXECUTE FUNCTION {_q(GUARD)}()",
    ]


def install(using: str = "default") -> None:
    """Create (or re-create) the triggers of every tracked table on one database."""
    connection = connections[using]
    build = _postgresql_statements if connection.vendor == "postgresql" else _sqlite_statements
    if connection.vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"No history triggers for {connection.vendor}")
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and HISTORY_TABLE in existing:
            for statement in _postgresql_guard():
                cursor.execute(statement)
        for model, spec in tracked_models():
            if model._meta.db_table in existing and HISTORY_TABLE in existing:
                for statement in build(model, spec):
                    cursor.execute(statement)


def install_after_migrate(sender, using="default", plan=None, **kwargs) -> None:
    install(using)


def stamp_changes(event) -> None:
    """Name ``event`` (an audit row of a change) on the history rows its transaction wrote."""
    connection = connections["default"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT set_config('{AUDIT_SETTING}', %s, true)",
                [str(event.pk)],
            )
            cursor.execute(
                f"UPDATE {_q(HISTORY_TABLE)} SET audit_event_id = %s "
                "WHERE audit_event_id IS NULL AND transaction_id = txid_current()",
                [event.pk],
            )
        else:
            cursor.execute(
                f"UPDATE {_q(HISTORY_TABLE)} SET audit_event_id = %s WHERE audit_event_id IS NULL",
                [event.pk],
            )

# ruff: noqa: S608 -- the SQL is built only from the app's own model metadata (table and column names), never from input.
"""The statements that append a row to the audit trail, made once per process.

Every page writes an audit row, and the ORM would build the same SQL again for each one: the chain
head locked, then the row added and the head moved on to it (one statement on PostgreSQL). The
values still go through each field's own conversion for the database, as a save does
(marm/audit/services.py).
"""

from marm.audit.models import AuditChainHead, AuditEvent

EVENT_FIELDS = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]


_made: dict[str, dict[str, str]] = {}


def append_statements(connection) -> dict[str, str]:
    """The statements for the connection's kind of database, made on first use."""
    statements = _made.get(connection.vendor)
    if statements is None:
        statements = _made[connection.vendor] = _statements(connection)
    return statements


def _statements(connection) -> dict[str, str]:
    quote, for_update = connection.ops.quote_name, connection.features.has_select_for_update
    event_table, head_table = quote(AuditEvent._meta.db_table), quote(AuditChainHead._meta.db_table)
    pk, last_seq, last_hash = quote("id"), quote("last_seq"), quote("last_hash")
    columns = ", ".join(quote(field.column) for field in EVENT_FIELDS)
    placeholders = ", ".join(["%s"] * len(EVENT_FIELDS))
    insert = f"INSERT INTO {event_table} ({columns}) VALUES ({placeholders})"
    move_head = f"UPDATE {head_table} SET {last_seq} = %s, {last_hash} = %s WHERE {pk} = 1"
    lock = f"SELECT {last_seq}, {last_hash} FROM {head_table} WHERE {pk} = 1" + (" FOR UPDATE" if for_update else "")
    statements = {"lock": lock, "insert": insert, "move_head": move_head}
    if connection.vendor == "postgresql":
        # The row's id comes back from the insert, through the head's update, in one round trip.
        statements["append"] = (
            f"WITH appended AS ({insert} RETURNING {pk}) {move_head} RETURNING (SELECT {pk} FROM appended)"
        )
    return statements

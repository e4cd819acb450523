"""Removing the history of records the retention job removes (ADR 0033).

The history keeps every old value, so a case's records deleted, or a person anonymised, would
still be readable in it. The retention job calls ``history_erase`` in the transaction that
removes the records, after removing them (their deletion writes history too). On PostgreSQL the
guard trigger lets history rows go only while ``marm.history_erasure`` is set for the
transaction; nothing else sets it.
"""

from django.db import connection

from marm.history.models import HistoryChange
from marm.history.triggers import ERASURE_SETTING


def history_erase(*, case_id=None, person_id=None) -> int:
    """Delete the history of one case (every record under it) or of one person (all of it).
    Returns the rows deleted. Must run inside the caller's transaction."""
    if (case_id is None) == (person_id is None):
        raise ValueError("Give a case or a person")
    rows = (
        HistoryChange.objects.filter(case_id=case_id)
        if case_id is not None
        else HistoryChange.objects.filter(person_id=person_id)
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [ERASURE_SETTING])
    try:
        deleted, _ = rows.delete()
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'off', true)", [ERASURE_SETTING])
    return deleted

"""A covering index on the date of birth for tolerant person search (ADR 0013).

PostgreSQL: the date of birth with its precision, carrying both names and the
id, so the search's date of birth blocks (everyone born on the day typed, and
everyone recorded with only that year) are read from the index alone, not
from a thousand scattered rows of the table. Built concurrently, so a live
register keeps taking writes while it is made. SQLite: nothing (its search
reads the date of birth through ``person_dob_idx``).
"""

from django.db import migrations

from marm.core.migration_operations import sql_per_vendor

POSTGRESQL = [
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS person_search_birth ON people_person "
    "(date_of_birth, date_of_birth_precision) INCLUDE (given_name, family_name, id)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX CONCURRENTLY IF EXISTS person_search_birth",
]


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("people", "0005_person_row_level_security")]

    operations = [
        sql_per_vendor({"postgresql": POSTGRESQL}, {"postgresql": POSTGRESQL_REVERSE}),
    ]

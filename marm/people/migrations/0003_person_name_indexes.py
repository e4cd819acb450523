"""Indexes on first and last name as typed, for the search's "one name
right, the other a letter or two out" candidates (ADR 0013).

PostgreSQL: each index carries both names and the id, so the search reads
the index alone; built concurrently, so a live register keeps taking writes
while it is made. SQLite: plain expression indexes, the other name tested
with a function marm registers on each connection.
"""

from django.db import migrations

from marm.core.migration_operations import sql_per_vendor

POSTGRESQL = [
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS person_search_given_name ON people_person "
    "((lower(given_name))) INCLUDE (given_name, family_name, id)",
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS person_search_family_name ON people_person "
    "((lower(family_name))) INCLUDE (family_name, given_name, id)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX CONCURRENTLY IF EXISTS person_search_family_name",
    "DROP INDEX CONCURRENTLY IF EXISTS person_search_given_name",
]
SQLITE = [
    "CREATE INDEX IF NOT EXISTS person_search_given_name ON people_person (lower(given_name))",
    "CREATE INDEX IF NOT EXISTS person_search_family_name ON people_person (lower(family_name))",
]
SQLITE_REVERSE = [
    "DROP INDEX IF EXISTS person_search_family_name",
    "DROP INDEX IF EXISTS person_search_given_name",
]


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("people", "0002_person_search")]

    operations = [
        sql_per_vendor(
            {"postgresql": POSTGRESQL, "sqlite": SQLITE},
            {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE},
        ),
    ]

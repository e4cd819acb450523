"""Indexes for tolerant person search (ADR 0013).

PostgreSQL: pg_trgm trigram indexes on the name as it is searched, and
fuzzystrmatch Double Metaphone keys of first and last names. SQLite: FTS5
tables with the trigram tokenizer over people and their other names, kept in
step by triggers. Each part runs only on its own database, so the migration
works on both; the search engines in marm/people/search/ use the same
expressions these indexes are built on.
"""

from django.contrib.postgres.operations import CreateExtension, TrigramExtension
from django.db import migrations

from marm.core.migration_operations import sql_per_vendor

POSTGRESQL = [
    # The searched name is first and last name only: a middle name the caller
    # did not give must not lower the similarity (000: "missing middle names").
    "CREATE INDEX person_search_name_trgm ON people_person USING gin ((given_name || ' ' || family_name) gin_trgm_ops)",
    "CREATE INDEX person_search_preferred_trgm ON people_person USING gin "
    "((preferred_name || ' ' || family_name) gin_trgm_ops) WHERE preferred_name <> ''",
    "CREATE INDEX alias_search_name_trgm ON people_personalias USING gin "
    "((given_name || ' ' || family_name) gin_trgm_ops)",
    "CREATE INDEX person_search_sounds_like ON people_person (dmetaphone(family_name), dmetaphone(given_name))",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS person_search_sounds_like",
    "DROP INDEX IF EXISTS alias_search_name_trgm",
    "DROP INDEX IF EXISTS person_search_preferred_trgm",
    "DROP INDEX IF EXISTS person_search_name_trgm",
]

# External-content FTS5 tables: the text stays in people_person and
# people_personalias; the triggers keep the trigram index in step with every
# write, whichever code makes it (services, bulk loads, test factories).
SQLITE = [
    "CREATE VIRTUAL TABLE person_search_fts USING fts5("
    "given_name, family_name, preferred_name, content='people_person', content_rowid='rowid', tokenize='trigram')",
    "CREATE TRIGGER person_search_fts_insert AFTER INSERT ON people_person BEGIN "
    "INSERT INTO person_search_fts(rowid, given_name, family_name, preferred_name) "
    "VALUES (new.rowid, new.given_name, new.family_name, new.preferred_name); END",
    "CREATE TRIGGER person_search_fts_delete AFTER DELETE ON people_person BEGIN "
    "INSERT INTO person_search_fts(person_search_fts, rowid, given_name, family_name, preferred_name) "
    "VALUES ('delete', old.rowid, old.given_name, old.family_name, old.preferred_name); END",
    "CREATE TRIGGER person_search_fts_update AFTER UPDATE OF given_name, family_name, preferred_name "
    "ON people_person BEGIN "
    "INSERT INTO person_search_fts(person_search_fts, rowid, given_name, family_name, preferred_name) "
    "VALUES ('delete', old.rowid, old.given_name, old.family_name, old.preferred_name); "
    "INSERT INTO person_search_fts(rowid, given_name, family_name, preferred_name) "
    "VALUES (new.rowid, new.given_name, new.family_name, new.preferred_name); END",
    "CREATE VIRTUAL TABLE alias_search_fts USING fts5("
    "given_name, family_name, content='people_personalias', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER alias_search_fts_insert AFTER INSERT ON people_personalias BEGIN "
    "INSERT INTO alias_search_fts(rowid, given_name, family_name) "
    "VALUES (new.id, new.given_name, new.family_name); END",
    "CREATE TRIGGER alias_search_fts_delete AFTER DELETE ON people_personalias BEGIN "
    "INSERT INTO alias_search_fts(alias_search_fts, rowid, given_name, family_name) "
    "VALUES ('delete', old.id, old.given_name, old.family_name); END",
    "CREATE TRIGGER alias_search_fts_update AFTER UPDATE OF given_name, family_name ON people_personalias BEGIN "
    "INSERT INTO alias_search_fts(alias_search_fts, rowid, given_name, family_name) "
    "VALUES ('delete', old.id, old.given_name, old.family_name); "
    "INSERT INTO alias_search_fts(rowid, given_name, family_name) VALUES (new.id, new.given_name, new.family_name); END",
    # Phonetic keys of first and last names (a function registered on every
    # connection, see marm.people.search.engines.sqlite), so "Jon Smyth"
    # finds John Smith though they share no trigram.
    "CREATE TABLE person_search_sounds (person_rowid INTEGER PRIMARY KEY, family_key TEXT NOT NULL, "
    "given_key TEXT NOT NULL)",
    "CREATE INDEX person_search_sounds_keys ON person_search_sounds (family_key, given_key)",
    "CREATE TRIGGER person_search_sounds_insert AFTER INSERT ON people_person BEGIN "
    "INSERT INTO person_search_sounds VALUES "
    "(new.rowid, marm_sounds_like(new.family_name), marm_sounds_like(new.given_name)); END",
    "CREATE TRIGGER person_search_sounds_update AFTER UPDATE OF given_name, family_name ON people_person BEGIN "
    "INSERT OR REPLACE INTO person_search_sounds VALUES "
    "(new.rowid, marm_sounds_like(new.family_name), marm_sounds_like(new.given_name)); END",
    "CREATE TRIGGER person_search_sounds_delete AFTER DELETE ON people_person BEGIN "
    "DELETE FROM person_search_sounds WHERE person_rowid = old.rowid; END",
    # People recorded before this migration.
    "INSERT INTO person_search_sounds SELECT rowid, marm_sounds_like(family_name), marm_sounds_like(given_name) "
    "FROM people_person",
    "INSERT INTO person_search_fts(person_search_fts) VALUES ('rebuild')",
    "INSERT INTO alias_search_fts(alias_search_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS person_search_sounds_delete",
    "DROP TRIGGER IF EXISTS person_search_sounds_update",
    "DROP TRIGGER IF EXISTS person_search_sounds_insert",
    "DROP TABLE IF EXISTS person_search_sounds",
    "DROP TRIGGER IF EXISTS alias_search_fts_update",
    "DROP TRIGGER IF EXISTS alias_search_fts_delete",
    "DROP TRIGGER IF EXISTS alias_search_fts_insert",
    "DROP TABLE IF EXISTS alias_search_fts",
    "DROP TRIGGER IF EXISTS person_search_fts_update",
    "DROP TRIGGER IF EXISTS person_search_fts_delete",
    "DROP TRIGGER IF EXISTS person_search_fts_insert",
    "DROP TABLE IF EXISTS person_search_fts",
]


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [
        # Both extensions ship with PostgreSQL's contrib; on other databases these do nothing.
        TrigramExtension(),
        CreateExtension("fuzzystrmatch"),
        sql_per_vendor(
            {"postgresql": POSTGRESQL, "sqlite": SQLITE},
            {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE},
        ),
    ]

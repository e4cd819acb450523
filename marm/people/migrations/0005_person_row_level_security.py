"""Row-level security on people_person (PostgreSQL only; ADR 0028).

A second wall behind ``Person.objects.visible_to(user)``: a role that is not the
table's owner sees a person only while an agency in ``marm.agency_ids`` (a
comma-separated list set by marm.core.row_security) has an active involvement
with them, or when ``marm.scope`` is ``all`` (named system jobs and commands).
The owner and superusers bypass it (no FORCE), so migrations and today's tests
are unaffected. SQLite has no row-level security: nothing runs there.
"""

from django.db import migrations

from marm.core.migration_operations import sql_per_vendor

VISIBLE = """
current_setting('marm.scope', true) = 'all'
OR EXISTS (
    SELECT 1 FROM people_agencyinvolvement involvement
    WHERE involvement.person_id = people_person.id
      AND involvement.ended_at IS NULL
      AND involvement.agency_id = ANY (string_to_array(current_setting('marm.agency_ids', true), ',')::bigint[])
)
"""

# A new person has no involvement until the row after it is written: any user with an
# agency may insert one; which users may is the service's rule (person_create).
MAY_WRITE = """
current_setting('marm.scope', true) = 'all'
OR coalesce(current_setting('marm.agency_ids', true), '') <> ''
"""


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_emergency_access"),
    ]

    operations = [
        sql_per_vendor(
            forward={
                "postgresql": [
                    "ALTER TABLE people_person ENABLE ROW LEVEL SECURITY",
                    f"CREATE POLICY marm_agency_scope ON people_person USING ({VISIBLE}) WITH CHECK ({MAY_WRITE})",
                ]
            },
            reverse={
                "postgresql": [
                    "DROP POLICY IF EXISTS marm_agency_scope ON people_person",
                    "ALTER TABLE people_person DISABLE ROW LEVEL SECURITY",
                ]
            },
        ),
    ]

"""Row-level security on cases_case (PostgreSQL only; ADR 0028).

A second wall behind ``Case.objects.visible_to(user)``: a role that is not the
table's owner sees a case only while an agency in ``marm.agency_ids`` has an
active part in it (a ``CaseAgency`` without an end, full or limited access), or
when ``marm.scope`` is ``all``. The owner and superusers bypass it (no FORCE).
SQLite has no row-level security: nothing runs there.
"""

from django.db import migrations

from marm.core.migration_operations import sql_per_vendor

VISIBLE = """
current_setting('marm.scope', true) = 'all'
OR EXISTS (
    SELECT 1 FROM cases_caseagency part
    WHERE part.case_id = cases_case.id
      AND part.ended_at IS NULL
      AND part.agency_id = ANY (string_to_array(current_setting('marm.agency_ids', true), ',')::bigint[])
)
"""

# A new case has no agency part until the row after it is written (case_raise).
MAY_WRITE = """
current_setting('marm.scope', true) = 'all'
OR coalesce(current_setting('marm.agency_ids', true), '') <> ''
"""


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_screening_dash_reason_routedprocess"),
    ]

    operations = [
        sql_per_vendor(
            forward={
                "postgresql": [
                    "ALTER TABLE cases_case ENABLE ROW LEVEL SECURITY",
                    f"CREATE POLICY marm_agency_scope ON cases_case USING ({VISIBLE}) WITH CHECK ({MAY_WRITE})",
                ]
            },
            reverse={
                "postgresql": [
                    "DROP POLICY IF EXISTS marm_agency_scope ON cases_case",
                    "ALTER TABLE cases_case DISABLE ROW LEVEL SECURITY",
                ]
            },
        ),
    ]

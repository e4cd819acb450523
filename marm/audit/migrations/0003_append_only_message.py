"""Name the table in the append-only refusal, now that decisions use the same trigger function."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION marm_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'rows of % are append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]

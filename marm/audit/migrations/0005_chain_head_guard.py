"""On PostgreSQL the chain head only moves forward.

Without this, someone who can delete the last audit rows could rewind the
head to match, and the chain would look whole. The trigger refuses an UPDATE
that lowers ``last_seq`` and any DELETE. TRUNCATE is left to privileges: the
application's role has none (``manage.py db_roles``), and the checkpoints
outside the database catch an owner who does it (ADR 0024).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION marm_audit_head_forward_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'the audit chain head cannot be deleted'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.last_seq < OLD.last_seq THEN
        RAISE EXCEPTION 'the audit chain head only moves forward: % refused after %', NEW.last_seq, OLD.last_seq
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_auditchainhead_forward_only
    BEFORE UPDATE OR DELETE ON audit_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION marm_audit_head_forward_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_auditchainhead_forward_only ON audit_auditchainhead;
DROP FUNCTION IF EXISTS marm_audit_head_forward_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_more_actions")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

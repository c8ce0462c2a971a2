"""The chain head only moves forward, and no audit table can be emptied by TRUNCATE (issue 10.3).

PostgreSQL only (SQLite has no roles; whoever can write the file can do anything):

- ``audit_auditrecord`` and ``audit_auditchainhead`` refuse TRUNCATE. Row triggers (0002)
  do not fire on TRUNCATE, so without this a role holding the TRUNCATE grant could empty
  the trail. Superusers pass: they can switch any trigger off anyway, and the test
  runner (a superuser) empties tables between tests with TRUNCATE. The application role
  must therefore be neither a superuser nor the tables' owner (README, "Production").
- the head row is never deleted, is only ever row 1, and its ``seq`` never goes back
  (nor its mac change at the same seq): cutting records off the end and rewinding the
  head to match is refused, whoever sends the SQL, unless triggers are switched off,
  which only the owner or a superuser can do and which ``check --deploy`` reports.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION icdc_audit_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '% is append-only: TRUNCATE refused', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_auditrecord_no_truncate
    BEFORE TRUNCATE ON audit_auditrecord
    FOR EACH STATEMENT EXECUTE FUNCTION icdc_audit_no_truncate();
CREATE TRIGGER audit_auditchainhead_no_truncate
    BEFORE TRUNCATE ON audit_auditchainhead
    FOR EACH STATEMENT EXECUTE FUNCTION icdc_audit_no_truncate();

CREATE OR REPLACE FUNCTION icdc_audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit_auditchainhead: the chain head cannot be deleted'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.id <> 1 THEN
        RAISE EXCEPTION 'audit_auditchainhead: only row 1 exists' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'UPDATE' AND (NEW.seq < OLD.seq OR (NEW.seq = OLD.seq AND NEW.mac <> OLD.mac)) THEN
        RAISE EXCEPTION 'audit_auditchainhead: the chain head only moves forward (% -> % refused)', OLD.seq, NEW.seq
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER audit_auditchainhead_forward_only
    BEFORE INSERT OR UPDATE OR DELETE ON audit_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION icdc_audit_head_forward_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_auditchainhead_forward_only ON audit_auditchainhead;
DROP TRIGGER IF EXISTS audit_auditchainhead_no_truncate ON audit_auditchainhead;
DROP TRIGGER IF EXISTS audit_auditrecord_no_truncate ON audit_auditrecord;
DROP FUNCTION IF EXISTS icdc_audit_head_forward_only();
DROP FUNCTION IF EXISTS icdc_audit_no_truncate();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_append_only"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
    ]

"""Append-only in the database itself.

- ``prev_mac`` unique: two records can never attach to the same predecessor (no fork).
- PostgreSQL only: a trigger refuses every UPDATE of an audit row, and every DELETE of a
  row younger than 180 days (《网络安全法》第二十一条), whoever the SQL comes from — a bug,
  an injected query, a careless console session. ``prune_audit`` deletes only older rows,
  so it passes. Superusers and the table owner can still bypass it (``ALTER TABLE ...
  DISABLE TRIGGER`` or ``session_replication_role = replica``); that case is what the
  HMAC chain detects. Run the application with a database role that does not own the
  table (see README, "Production"). TRUNCATE is not covered: the test runner needs it,
  and ``verify_audit`` reports an emptied table against the chain head.
"""

from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION icdc_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.occurred_at < now() - interval '180 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_auditrecord is append-only: % of record % refused', TG_OP, OLD.seq
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_auditrecord_append_only
    BEFORE UPDATE OR DELETE ON audit_auditrecord
    FOR EACH ROW EXECUTE FUNCTION icdc_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_auditrecord_append_only ON audit_auditrecord;
DROP FUNCTION IF EXISTS icdc_audit_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditrecord",
            name="prev_mac",
            field=models.CharField(max_length=64, unique=True, verbose_name="上一条校验值"),
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]

"""System checks for the audit trail's configuration (run by ``manage.py check`` and at start-up)."""

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.core.exceptions import ImproperlyConfigured

#: 《网络安全法》第二十一条: network logs kept no less than six months.
MINIMUM_RETENTION_DAYS = 180
MINIMUM_KEY_BYTES = 16


@register("security")
def check_audit_key(app_configs=None, **kwargs):
    from . import keys

    try:
        ring = keys.keyring(create=False)  # a check never creates a key (missing files: icdc.keyring)
    except (ImproperlyConfigured, OSError) as exc:
        return [Error(f"The audit HMAC key cannot be loaded: {exc}", id="audit.E001")]
    short = sorted(kid for kid, key in ring.items() if len(key) < MINIMUM_KEY_BYTES)
    if short:
        return [Error(f"Audit HMAC keys shorter than {MINIMUM_KEY_BYTES} bytes: {', '.join(short)}",
                      hint="Use 32 random bytes in hex (ICDC_AUDIT_KEY).", id="audit.E001")]
    return []


@register("security")
def check_retention(app_configs=None, **kwargs):
    days = settings.ICDC_AUDIT_RETENTION_DAYS
    if days < MINIMUM_RETENTION_DAYS:
        return [Error(f"ICDC_AUDIT_RETENTION_DAYS is {days}; the Cybersecurity Law (art. 21) requires "
                      f"at least {MINIMUM_RETENTION_DAYS}.", id="audit.E002")]
    return []


#: The PostgreSQL triggers that keep the trail append-only (migrations 0002, 0003): table → triggers.
GUARD_TRIGGERS = {
    "audit_auditrecord": ("audit_auditrecord_append_only", "audit_auditrecord_no_truncate"),
    "audit_auditchainhead": ("audit_auditchainhead_no_truncate", "audit_auditchainhead_forward_only"),
}
#: Table privileges the application role must not hold on the audit tables (README, "Production").
FORBIDDEN_PRIVILEGES = ("TRUNCATE", "TRIGGER")


def _postgresql():
    from django.db import connection

    return connection if connection.vendor == "postgresql" else None


@register("security", deploy=True)
def check_audit_triggers(app_configs=None, **kwargs):
    """Deploy check: every guard trigger exists and fires (a disabled trigger is missing).

    Someone who dropped or disabled one (owner or superuser) could then rewrite the trail
    quietly; the chain would still show it, but only after the fact.
    """
    from django.db import DatabaseError

    connection = _postgresql()
    if connection is None:
        return []
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE c.oid IN (to_regclass('audit_auditrecord'), to_regclass('audit_auditchainhead')) "
                "AND NOT t.tgisinternal AND t.tgenabled IN ('O', 'A')")
            present = set(cursor.fetchall())
    except DatabaseError as exc:
        return [Warning(f"The audit trail's database triggers could not be checked: {exc}", id="audit.W003")]
    missing = [f"{table}.{name}" for table, names in GUARD_TRIGGERS.items() for name in names
               if (table, name) not in present]
    if missing:
        return [Error(f"Audit trail guard triggers missing or disabled: {', '.join(missing)}",
                      hint="Run `manage.py migrate audit` as the tables' owner; re-enable disabled triggers "
                           "(ALTER TABLE ... ENABLE TRIGGER ...), then run verify_audit.", id="audit.E003")]
    return []


@register("security", deploy=True)
def check_audit_role(app_configs=None, **kwargs):
    """Deploy check: the role the application connects as cannot bypass the guard triggers
    (superuser, owner of the audit tables) nor empty or re-trigger them (TRUNCATE, TRIGGER)."""
    from django.db import DatabaseError

    connection = _postgresql()
    if connection is None:
        return []
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                problems.append("is a superuser")
            for table in GUARD_TRIGGERS:
                cursor.execute("SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class "
                               "WHERE oid = to_regclass(%s)", [table])
                row = cursor.fetchone()
                if row and row[0]:
                    problems.append(f"owns {table}")
                    continue
                for privilege in FORBIDDEN_PRIVILEGES:
                    cursor.execute("SELECT to_regclass(%s) IS NOT NULL AND has_table_privilege(%s, %s)",
                                   [table, table, privilege])
                    if cursor.fetchone()[0]:
                        problems.append(f"holds {privilege} on {table}")
    except DatabaseError as exc:
        return [Warning(f"The database role's rights on the audit tables could not be checked: {exc}",
                        id="audit.W003")]
    if problems:
        return [Warning(f"The application's database role {'; '.join(problems)}: it could empty or rewrite "
                        "the audit trail without the triggers stopping it.",
                        hint="Connect as a role that does not own the tables and holds only SELECT, INSERT "
                             "(and DELETE for prune_audit) on audit_auditrecord and SELECT, INSERT, UPDATE on "
                             "audit_auditchainhead; run migrations as the owner.", id="audit.W004")]
    return []

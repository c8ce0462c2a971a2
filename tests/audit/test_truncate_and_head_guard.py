"""TRUNCATE is refused on the audit tables and the chain head only moves forward (issue 10.3).

A role holding TRUNCATE could empty the trail, and anyone able to write the head row could
cut records off the end and rewind the head so that verify_audit passed.
"""

import pytest
from django.db import DatabaseError, connection, transaction

from icdc.audit.checks import check_audit_role, check_audit_triggers
from icdc.audit.models import AuditChainHead, AuditRecord

from .conftest import postgres_only, write_events

pytestmark = [pytest.mark.postgres, postgres_only, pytest.mark.django_db]

APP_ROLE = "icdc_audit_guard_test_app"  # rolled back with the test's transaction


@pytest.fixture
def as_app_role_with_every_grant():
    """Play the application role that was (wrongly) granted everything on the audit tables,
    TRUNCATE included, but is neither superuser nor owner."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {APP_ROLE} NOLOGIN")
        cursor.execute(f"GRANT ALL ON audit_auditrecord, audit_auditchainhead TO {APP_ROLE}")
        cursor.execute(f"SET LOCAL ROLE {APP_ROLE}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def _refused(sql, params=()):
    with pytest.raises(DatabaseError) as refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return str(refused.value)


def _state():
    return (list(AuditRecord.objects.order_by("seq").values_list("seq", flat=True)),
            AuditChainHead.objects.values_list("seq", flat=True).get())


@pytest.mark.parametrize("table", ["audit_auditrecord", "audit_auditchainhead"])
def test_truncate_of_an_audit_table_is_refused_even_with_the_grant(table, as_app_role_with_every_grant):
    write_events(3)
    assert "TRUNCATE refused" in _refused(f"TRUNCATE {table}")
    assert _state() == ([1, 2, 3], 3)


def test_the_head_cannot_be_rewound(as_app_role_with_every_grant):
    records = write_events(5)
    assert "only moves forward" in _refused("UPDATE audit_auditchainhead SET seq = 3, mac = %s", [records[2].mac])
    assert "only moves forward" in _refused("UPDATE audit_auditchainhead SET mac = %s", ["0" * 64])
    assert _state() == ([1, 2, 3, 4, 5], 5)


def test_the_head_cannot_be_deleted_nor_doubled(as_app_role_with_every_grant):
    write_events(2)
    assert "cannot be deleted" in _refused("DELETE FROM audit_auditchainhead")
    assert "only row 1" in _refused("INSERT INTO audit_auditchainhead (id, seq, mac) VALUES (2, 0, %s)", ["0" * 64])
    assert _state() == ([1, 2], 2)


def test_the_head_moves_forward_as_records_are_written():
    write_events(2)
    write_events(1)
    assert _state() == ([1, 2, 3], 3)


def test_the_deploy_check_passes_with_the_triggers_and_names_a_missing_one():
    assert check_audit_triggers() == []
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditrecord DISABLE TRIGGER audit_auditrecord_no_truncate")
            cursor.execute("DROP TRIGGER audit_auditchainhead_forward_only ON audit_auditchainhead")
        errors = check_audit_triggers()
        transaction.set_rollback(True)
    assert [e.id for e in errors] == ["audit.E003"]
    assert "audit_auditrecord.audit_auditrecord_no_truncate" in errors[0].msg
    assert "audit_auditchainhead.audit_auditchainhead_forward_only" in errors[0].msg
    assert check_audit_triggers() == []


def test_the_deploy_check_warns_about_a_role_that_could_bypass_the_triggers():
    # The test runner connects as a superuser: exactly what production must not do.
    warnings = check_audit_role()
    assert [w.id for w in warnings] == ["audit.W004"] and "superuser" in warnings[0].msg


def test_the_deploy_check_names_a_truncate_grant(as_app_role_with_every_grant):
    warnings = check_audit_role()
    assert [w.id for w in warnings] == ["audit.W004"]
    assert "holds TRUNCATE on audit_auditrecord" in warnings[0].msg and "superuser" not in warnings[0].msg

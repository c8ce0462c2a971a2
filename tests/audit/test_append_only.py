"""Nobody changes or removes an audit record through the application (append-only)."""

import pytest
from django.contrib import admin
from django.db import DatabaseError, connection, transaction

from icdc.audit.models import AuditRecord, AuditTrailIsAppendOnly

from .conftest import postgres_only, write_events

pytestmark = pytest.mark.django_db


def test_saving_a_stored_record_again_is_refused():
    record = write_events(1)[0]
    record.detail = "改过"
    with pytest.raises(AuditTrailIsAppendOnly):
        record.save()
    fresh = AuditRecord.objects.get(pk=record.pk)
    with pytest.raises(AuditTrailIsAppendOnly):
        fresh.save(update_fields=["detail"])
    assert AuditRecord.objects.get(pk=record.pk).detail == "事件 0"


def test_deleting_a_record_is_refused():
    record = write_events(1)[0]
    with pytest.raises(AuditTrailIsAppendOnly):
        record.delete()
    assert AuditRecord.objects.filter(pk=record.pk).exists()


def test_bulk_update_and_delete_are_refused():
    records = write_events(2)
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditRecord.objects.filter(seq=1).update(detail="x")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditRecord.objects.update(detail="x")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditRecord.objects.all().delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditRecord.objects.bulk_update(records, ["detail"])
    assert AuditRecord.objects.count() == 2


def test_the_audit_trail_is_not_in_the_django_admin():
    # /admin/ belongs to the system administrator; 三权分立 keeps audit records out of it.
    assert AuditRecord not in admin.site._registry


def test_two_records_cannot_claim_the_same_predecessor():
    first = write_events(1)[0]
    fork = AuditRecord(seq=99, occurred_at=first.occurred_at, action="fork", key_id="test",
                       prev_mac=first.prev_mac, mac="f" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        fork.save()


@pytest.mark.postgres
@postgres_only
@pytest.mark.parametrize("sql", [
    "UPDATE audit_auditrecord SET detail = 'x' WHERE seq = 1",
    "DELETE FROM audit_auditrecord WHERE seq = 1",
])
def test_postgresql_refuses_update_and_delete_of_recent_rows_even_by_sql(sql):
    write_events(2)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditRecord.objects.filter(seq=1, detail="事件 0").exists()

"""Two reloads at once: the row lock makes the second see the first's result (PostgreSQL).

Without ``select_for_update`` both transactions read the same stale rows, both rewrite them
and both audit records claim the same changes, so the trail says the data changed twice.
The first load is held after its read until the second is either waiting for the lock (the
lock works) or has read the stale rows itself (it does not): no sleeps decide the outcome.
"""

import threading
import time

import pytest
from django.db import connection, connections

from icdc.audit.models import AuditRecord
from icdc.divisions import services
from icdc.divisions.models import Division

from ..audit.conftest import postgres_only

STALE = {"370200": "青岛（旧名）", "110000": "北京（旧名）", "650000": "新疆（旧名）"}
WAIT = 20  # seconds: only reached if something hangs


def _second_is_waiting_for_a_lock():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0] > 0


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_reloads_at_once_change_and_audit_each_row_once(monkeypatch):
    services.load_divisions()
    for code, name in STALE.items():
        Division.objects.filter(code=code).update(name=name)

    first_read, release, second_read = threading.Event(), threading.Event(), threading.Event()
    real_create_missing = services._create_missing
    callers = []

    def create_missing(rows, existing):
        # Runs right after the locked read; the first caller pauses here with its rows read.
        callers.append(threading.current_thread().name)
        if len(callers) == 1:
            first_read.set()
            release.wait(WAIT)
        else:
            second_read.set()
        return real_create_missing(rows, existing)

    monkeypatch.setattr(services, "_create_missing", create_missing)
    results, errors = {}, []

    def load(name):
        try:
            results[name] = services.load_divisions()
        except Exception as exc:  # reported below; a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    first = threading.Thread(target=load, args=("first",), name="first")
    second = threading.Thread(target=load, args=("second",), name="second")
    first.start()
    assert first_read.wait(WAIT)
    second.start()
    deadline = time.monotonic() + WAIT
    while not second_read.is_set() and not _second_is_waiting_for_a_lock() and time.monotonic() < deadline:
        time.sleep(0.02)
    release.set()
    first.join(WAIT)
    second.join(WAIT)

    assert errors == []
    assert results["first"].updated == len(STALE)
    assert results["second"].updated == 0  # it read the rows the first load had committed
    assert dict(Division.objects.filter(code__in=STALE).values_list("code", "name")) == {
        "370200": "青岛市", "110000": "北京市", "650000": "新疆维吾尔自治区"}
    loads = AuditRecord.objects.filter(action="divisions.division.load").order_by("seq")
    claimed = [code for record in loads for code in record.after["updated"]]
    assert sorted(claimed) == sorted(STALE)  # each change audited exactly once

"""The chain-head lock (``select_for_update`` in ``audit/services._lock_head``) makes a second
writer wait for the first to commit, then attach after it (issue 13).

Deterministic: writer A appends inside an open transaction and holds it; writer B starts
meanwhile. With the lock, B waits on the head row, then reads A's committed head and
writes seq 2. Without it, B reads the old head (seq 0), tries to write seq 1 too, and fails
on the unique ``seq``/``prev_mac`` constraints once A commits: the test fails.
"""

import threading

import pytest
from django.db import connection, transaction

from icdc.audit.models import AuditRecord
from icdc.audit.services import record_event
from icdc.audit.verification import verify_chain

from .conftest import postgres_only


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_second_writer_waits_for_the_first_and_attaches_after_it():
    record_event(action="test.first")  # the head row exists: the race is on locking it, not creating it
    a_wrote, a_may_commit = threading.Event(), threading.Event()
    b_done, errors = threading.Event(), []

    def writer_a():
        try:
            with transaction.atomic():
                record_event(action="test.a")
                a_wrote.set()
                a_may_commit.wait(10)
        except Exception as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    def writer_b():
        try:
            a_wrote.wait(10)
            record_event(action="test.b")
        except Exception as exc:
            errors.append(exc)
        finally:
            b_done.set()
            connection.close()

    threads = [threading.Thread(target=writer_a), threading.Thread(target=writer_b)]
    for thread in threads:
        thread.start()
    assert a_wrote.wait(10)
    waited = not b_done.wait(1.0)  # B must still be waiting while A holds the head
    a_may_commit.set()
    for thread in threads:
        thread.join(20)

    assert errors == []
    assert waited
    assert list(AuditRecord.objects.order_by("seq").values_list("seq", "action")) == [
        (1, "test.first"), (2, "test.a"), (3, "test.b")]
    assert verify_chain().ok

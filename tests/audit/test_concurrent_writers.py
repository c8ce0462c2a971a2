"""Writers in several threads at once, each with its own PostgreSQL connection: one chain."""

import os
import threading
import time

import pytest
from django.db import connection

from icdc.audit.models import AuditRecord
from icdc.audit.services import record_event
from icdc.audit.verification import verify_chain

from .conftest import postgres_only

# ICDC_AUDIT_CONCURRENCY="16x100" runs a bigger trial.
THREADS, PER_THREAD = (int(n) for n in os.environ.get("ICDC_AUDIT_CONCURRENCY", "8x25").split("x"))


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_form_one_valid_chain():
    start, errors = threading.Barrier(THREADS), []

    def writer(n):
        try:
            start.wait()
            for i in range(PER_THREAD):
                record_event(action="test.concurrent", detail=f"{n}-{i}")
        except Exception as exc:  # reported below; a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began

    assert errors == []
    total = THREADS * PER_THREAD
    seqs = list(AuditRecord.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, total + 1))  # contiguous, no duplicates, no gaps
    details = set(AuditRecord.objects.values_list("detail", flat=True))
    assert details == {f"{n}-{i}" for n in range(THREADS) for i in range(PER_THREAD)}
    assert AuditRecord.objects.values("prev_mac").distinct().count() == total  # no fork
    result = verify_chain()
    assert result.ok, result.summary
    assert result.count == total
    print(f"{total} records from {THREADS} threads in {elapsed:.2f} s")

"""The PostgreSQL reader builds each record's canonical bytes in SQL (issue 12: verification
near the speed of a bare HMAC loop). It must give exactly Python's bytes for any text."""

import pytest
from django.db import connection

from icdc.audit import chain, verification
from icdc.audit.services import record_event, signed_fields_of

from .conftest import postgres_only

AWKWARD_TEXT = "".join(chr(c) for c in range(1, 32)) + "\x7f\"\\/ 中文 😀 \u2028\u2029 é" + "'%s %(x)s"


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db
def test_sql_built_bytes_equal_python_canonical_bytes():
    records = [
        record_event(action="test.awkward", object_repr=AWKWARD_TEXT, detail=AWKWARD_TEXT, object_id=AWKWARD_TEXT[:60],
                     before={AWKWARD_TEXT: [AWKWARD_TEXT, 0.1, 2**70, None, True]}, after={"b": 1, "a": {"z": 1, "y": 2}}),
        record_event(action="test.plain"),
        record_event(action="test.after_only", after=[1, "二"], result="denied"),
    ]
    with connection.cursor() as cursor:
        cursor.execute(verification._PG_SQL, [0, 10])
        rows = [verification._pg_row(values) for values in cursor.fetchall()]
    for record, row in zip(records, rows, strict=True):
        record.refresh_from_db()
        assert row[chain.SIGNED_BYTES] == chain.canonical(signed_fields_of(record))
    assert verification.verify_chain().ok


@pytest.mark.django_db
def test_progress_is_reported_batch_by_batch():
    for i in range(7):
        record_event(action="test.progress", detail=str(i))
    seen = []
    result = verification.verify_chain(batch=3, progress=seen.append)
    assert result.ok and result.count == 7
    assert seen == [3, 6, 7]

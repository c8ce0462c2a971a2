"""Each record keeps ``before``/``after`` also as the canonical JSON text its MAC covers
(``before_text``/``after_text``, issue 12: verification without re-encoding JSON). The copy is
only trusted because the MAC covers it; the JSON columns the pages show must still be checked
against it. Editing either side, or both, must fail verification and name the record."""

import pytest

from icdc.audit import chain
from icdc.audit.models import AuditRecord
from icdc.audit.services import record_event, signed_fields_of
from icdc.audit.verification import verify_chain

from .conftest import tamper

pytestmark = pytest.mark.django_db

BEFORE = {"status": "draft", "score": 1, "items": [{"code": "Q01", "value": 0.1}], "名称": "青岛市"}
AFTER = {"status": "submitted", "score": 87.25, "big": 2**70, "flag": True}


def _three():
    record_event(action="test.one")
    middle = record_event(action="test.two", before=BEFORE, after=AFTER, detail="中间")
    record_event(action="test.three")
    middle.refresh_from_db()
    return middle


def _edited_at(seq):
    result = verify_chain()
    assert not result.ok
    assert result.failure.seq == seq and result.failure.reason == chain.EDITED
    assert "记录被修改" in result.failure.message
    return result


def test_the_stored_texts_are_the_signed_parts():
    record = _three()
    assert record.before_text == chain.canonical_json_text(record.before)
    assert record.after_text == chain.canonical_json_text(record.after)
    signed = chain.canonical(signed_fields_of(record)).decode()
    assert f'"before":{record.before_text},' in signed and f'"after":{record.after_text},' in signed
    assert AuditRecord.objects.get(action="test.one").before_text is None
    assert verify_chain().ok


@pytest.mark.parametrize(("column", "value"), [
    ("after", '{"status": "approved", "score": 87.25, "big": "1180591620717411303424", "flag": true}'),
    ("before", '{"status": "draft", "score": 1.0, "items": [{"code": "Q01", "value": 0.1}], "名称": "青岛市"}'),
    ("before", '{"status": "draft", "score": true, "items": [{"code": "Q01", "value": 0.1}], "名称": "青岛市"}'),
    ("before", None),
])
def test_a_json_column_edited_behind_its_signed_text_fails(column, value):
    record = _three()
    tamper(f"UPDATE audit_auditrecord SET {column} = %s WHERE seq = %s", [value, record.seq])
    _edited_at(record.seq)


def test_a_signed_text_edited_alone_fails():
    record = _three()
    tamper("UPDATE audit_auditrecord SET after_text = %s WHERE seq = %s", ['{"status":"approved"}', record.seq])
    _edited_at(record.seq)


def test_a_signed_text_put_on_a_record_without_values_fails():
    record_event(action="test.one")
    record = record_event(action="test.two")
    tamper("UPDATE audit_auditrecord SET before_text = 'null' WHERE seq = %s", [record.seq])
    _edited_at(record.seq)


def test_both_edited_to_agree_still_fail_the_mac():
    record = _three()
    tamper("UPDATE audit_auditrecord SET after = %s, after_text = %s WHERE seq = %s",
           ['{"status": "approved"}', '{"status":"approved"}', record.seq])
    _edited_at(record.seq)


def test_records_without_signed_texts_verify_from_their_json_columns():
    """Records written before the texts existed: the JSON columns are re-encoded, as they always were."""
    record = _three()
    tamper("UPDATE audit_auditrecord SET before_text = NULL, after_text = NULL")
    assert verify_chain().ok
    tamper("UPDATE audit_auditrecord SET after = %s WHERE seq = %s", ['{"status": "approved"}', record.seq])
    _edited_at(record.seq)

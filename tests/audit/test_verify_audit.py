"""`manage.py verify_audit`: an edited or deleted row makes it fail and name the record."""

import pytest
from django.core.management import CommandError, call_command

from icdc.audit.models import AuditRecord
from icdc.audit.verification import verify_chain

from .conftest import tamper, write_events

pytestmark = pytest.mark.django_db


def _verify(*args):
    call_command("verify_audit", *args)


def test_an_intact_chain_passes_and_prints_the_head(capsys):
    records = write_events(5)
    _verify()
    out = capsys.readouterr().out
    assert "共校验 5 条记录" in out and "审计日志完整性校验通过" in out
    assert f"5:{records[-1].mac}" in out


def test_an_empty_trail_passes(capsys):
    _verify()
    assert "共校验 0 条记录" in capsys.readouterr().out


@pytest.mark.parametrize("column, value", [
    ("detail", "改过的说明"),
    ("actor_username", "someone_else"),
    ("result", "ok"),
    ("occurred_at", "2020-01-01 00:00:00"),
    ("after", '{"status": "approved"}'),
])
def test_a_row_edited_by_sql_fails_and_is_named(column, value):
    records = write_events(5, result="denied")
    tamper(f"UPDATE audit_auditrecord SET {column} = %s WHERE seq = 3", [value])
    with pytest.raises(CommandError) as failure:
        _verify()
    message = str(failure.value)
    assert "第 3 号记录" in message and f"ID {records[2].pk}" in message and "test.event" in message
    assert "记录被修改" in message
    assert verify_chain().failure.seq == 3


def test_a_row_whose_mac_is_recomputed_without_the_key_still_fails():
    write_events(3)
    # Someone who can write the database but has no key: a plain SM3 over the row is not the HMAC.
    tamper("UPDATE audit_auditrecord SET detail = 'x', mac = %s WHERE seq = 2", ["ab" * 32])
    with pytest.raises(CommandError, match="第 2 号记录"):
        _verify()


def test_a_row_deleted_by_sql_is_detected_and_named():
    records = write_events(5)
    tamper("DELETE FROM audit_auditrecord WHERE seq = 3")
    with pytest.raises(CommandError) as failure:
        _verify()
    message = str(failure.value)
    assert "第 4 号记录" in message and f"ID {records[3].pk}" in message
    assert "序号 3 起的记录被删除" in message


def test_deleting_the_first_row_is_detected():
    write_events(3)
    tamper("DELETE FROM audit_auditrecord WHERE seq = 1")
    with pytest.raises(CommandError, match="第 2 号记录.*序号 1–1 不存在"):
        _verify()


def test_deleting_the_last_rows_is_detected_against_the_chain_head():
    write_events(5)
    tamper("DELETE FROM audit_auditrecord WHERE seq >= 4")
    with pytest.raises(CommandError, match="第 4 号记录.*链尾记录缺失"):
        _verify()


def test_deleting_every_row_is_detected():
    write_events(3)
    tamper("DELETE FROM audit_auditrecord")
    with pytest.raises(CommandError, match="全部审计记录缺失"):
        _verify()


def test_cutting_the_tail_and_rewinding_the_head_is_caught_by_an_external_anchor():
    records = write_events(5)
    anchor = f"5:{records[-1].mac}"
    tamper("DELETE FROM audit_auditrecord WHERE seq >= 4")
    tamper("UPDATE audit_auditchainhead SET seq = 3, mac = %s", [records[2].mac])
    _verify()  # without the anchor this is indistinguishable from a shorter trail
    with pytest.raises(CommandError, match="第 5 号记录.*外部锚点"):
        _verify("--anchor", anchor)


def test_a_forged_anchor_does_not_pass():
    write_events(2)
    with pytest.raises(CommandError, match="外部锚点"):
        _verify("--anchor", "2:" + "0" * 64)
    with pytest.raises(CommandError, match="锚点格式"):
        _verify("--anchor", "nonsense")


def test_a_record_under_a_key_id_we_do_not_hold_is_named(settings):
    write_events(2)
    settings.ICDC_AUDIT_KEY_ID = "k-new"
    settings.ICDC_AUDIT_KEY = "33" * 32
    write_events(1)
    with pytest.raises(CommandError, match="第 1 号记录.*未知的密钥标识“test”"):
        _verify()


def test_old_keys_stay_verifiable_after_rotation(settings):
    write_events(2)
    settings.ICDC_AUDIT_OLD_KEYS = {"test": settings.ICDC_AUDIT_KEY}
    settings.ICDC_AUDIT_KEY_ID, settings.ICDC_AUDIT_KEY = "k-new", "33" * 32
    write_events(2)
    assert list(AuditRecord.objects.order_by("seq").values_list("key_id", flat=True)) == ["test", "test", "k-new", "k-new"]
    _verify()


def test_rows_added_beyond_the_chain_head_are_detected():
    write_events(2)
    tamper("UPDATE audit_auditchainhead SET seq = 1")
    with pytest.raises(CommandError, match="链"):
        _verify()

"""Retention: nothing younger than the retention period (≥ 180 days) leaves the database, and
what leaves is archived with a signed checkpoint, so the chain still verifies."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from icdc.audit import retention
from icdc.audit.models import AuditRecord
from icdc.audit.verification import verify_archive, verify_chain

from .conftest import clock_at, days_ago, tamper, write_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_and_new():
    with clock_at(days_ago(400)):
        write_events(3, action="test.old")
    with clock_at(days_ago(200)):
        write_events(2, action="test.older_than_180")
    write_events(2, action="test.new")


def test_a_period_shorter_than_the_retention_setting_is_refused(old_and_new, settings, tmp_path):
    settings.ICDC_AUDIT_RETENTION_DAYS = 365
    with pytest.raises(CommandError, match="至少保存 365 天"):
        call_command("prune_audit", "--older-than-days", "200", "--archive-dir", str(tmp_path))
    assert AuditRecord.objects.count() == 7


def test_a_retention_setting_below_the_legal_minimum_is_refused(settings):
    settings.ICDC_AUDIT_RETENTION_DAYS = 90
    with pytest.raises(ImproperlyConfigured):
        retention.prune()
    from icdc.audit.checks import check_retention

    assert [e.id for e in check_retention()] == ["audit.E002"]


def test_prune_archives_the_old_prefix_and_the_chain_still_verifies(old_and_new, tmp_path, capsys):
    call_command("prune_audit", "--archive-dir", str(tmp_path))
    assert "已归档并删除 5 条审计记录（至第 5 号）" in capsys.readouterr().out
    remaining = list(AuditRecord.objects.order_by("seq").values_list("seq", "action"))
    assert remaining == [(6, "test.new"), (7, "test.new"), (8, "audit.record.prune")]
    checkpoint = AuditRecord.objects.get(action="audit.record.prune")
    assert checkpoint.after["pruned_through_seq"] == 5 and checkpoint.after["pruned_count"] == 5
    result = verify_chain()
    assert result.ok, result.summary
    assert (result.first_seq, result.count) == (6, 3)

    archive = tmp_path / checkpoint.after["archive"]
    lines = [json.loads(line) for line in archive.read_text(encoding="utf-8").splitlines()]
    assert [row["seq"] for row in lines] == [1, 2, 3, 4, 5]
    assert lines[-1]["mac"] == checkpoint.after["last_pruned_mac"]
    from icdc.audit.chain import sm3_hexdigest

    assert sm3_hexdigest(archive.read_bytes()) == checkpoint.after["archive_sm3"]
    assert verify_archive(archive).ok
    call_command("verify_audit", "--archive", str(archive))


def test_an_edited_archive_fails_verification(old_and_new, tmp_path):
    result = retention.prune(directory=tmp_path)
    text = result.archive.read_text(encoding="utf-8").replace("事件 1", "事件 X")
    result.archive.chmod(0o600)
    result.archive.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="第 2 号记录.*记录被修改"):
        call_command("verify_audit", "--archive", str(result.archive))


def test_deleting_past_the_checkpoint_is_still_detected(old_and_new, tmp_path):
    retention.prune(directory=tmp_path)
    tamper("DELETE FROM audit_auditrecord WHERE seq = 6")
    with pytest.raises(CommandError, match="第 7 号记录.*不存在，且没有归档检查点"):
        call_command("verify_audit")


def test_nothing_is_pruned_from_a_broken_chain(old_and_new, tmp_path):
    tamper("UPDATE audit_auditrecord SET detail = 'x' WHERE seq = 2")
    with pytest.raises(retention.PruneRefused, match="第 2 号记录"):
        retention.prune(directory=tmp_path)
    assert AuditRecord.objects.count() == 7


def test_a_young_record_stops_the_prefix(tmp_path):
    with clock_at(days_ago(300)):
        write_events(1, action="test.old")
    write_events(1, action="test.new")
    with clock_at(days_ago(300)):  # a clock step backwards: younger seq, older time
        write_events(1, action="test.clock_stepped")
    result = retention.prune(directory=tmp_path)
    assert result.through_seq == 1
    assert verify_chain().ok


def test_prune_twice_keeps_one_valid_chain(tmp_path):
    with clock_at(days_ago(500)):
        write_events(2)
    with clock_at(days_ago(300)):
        assert retention.prune(directory=tmp_path).through_seq == 2  # checkpoint: seq 3
    with clock_at(days_ago(250)):
        write_events(2)
    write_events(1)
    second = retention.prune(directory=tmp_path)
    assert second.through_seq == 5  # includes the first checkpoint
    assert verify_chain().ok
    assert len(list(tmp_path.glob("*.jsonl"))) == 2


def test_nothing_old_means_nothing_done(tmp_path, capsys):
    write_events(2)
    call_command("prune_audit", "--archive-dir", str(tmp_path))
    assert "没有超过保存期限的审计记录" in capsys.readouterr().out
    assert AuditRecord.objects.count() == 2

"""`manage.py restore`: into an empty database it gives identical data; otherwise it refuses."""

import hashlib
import json

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.utils import timezone

from icdc.accounts.models import Role
from icdc.audit.models import AuditChainHead, AuditRecord
from icdc.audit.verification import verify_chain
from icdc.backups import dataset
from tests.factories import make_user

from .conftest import MEDIA_FILES, manifest_of, read_members, resign, rewrite, snapshot


def _backup(tmp_path):
    out = tmp_path / "out"
    call_command("backup", "--output", str(out))
    (path,) = out.iterdir()
    return path


def _wipe(media_root):
    """An empty, migrated database and an empty media directory: a new installation.

    ``flush`` empties tables with TRUNCATE on PostgreSQL (the audit trigger guards rows,
    not truncation) and recreates content types and permissions, as ``migrate`` would.
    """
    call_command("flush", interactive=False)
    for path in sorted(media_root.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()


def _row_counts():
    return {m._meta.label_lower: m._base_manager.count() for m in dataset.backed_up_models()}


@pytest.mark.django_db(transaction=True)
def test_restore_into_an_empty_database_gives_identical_data(programme_data, media_root, tmp_path, capsys):
    before = snapshot()
    head = AuditChainHead.objects.values("seq", "mac").get()
    path = _backup(tmp_path)
    _wipe(media_root)
    assert not any(_row_counts().values()) and not any(media_root.iterdir())
    # sessions are not programme data: one left in the new installation does not block a restore
    Session.objects.create(session_key="k" * 32, session_data="", expire_date=timezone.now())

    call_command("restore", str(path))

    out = capsys.readouterr().out
    assert "恢复完成" in out and "审计日志完整性校验通过" in out
    after = snapshot()
    restored = [r for r in after.pop("audit.auditrecord") if r["fields"]["seq"] <= head["seq"]]
    assert restored == before.pop("audit.auditrecord")
    after.pop("audit.auditchainhead"), before.pop("audit.auditchainhead")
    # the first backup records its signing key's fingerprint; the others come back as they were
    fingerprints = after.pop("keyring.keyfingerprint")
    assert [f for f in fingerprints if f["fields"]["purpose"] != "backup"] == before.pop("keyring.keyfingerprint")
    assert [f["fields"]["key_id"] for f in fingerprints if f["fields"]["purpose"] == "backup"] == ["test"]
    assert after == before
    for name, data in MEDIA_FILES.items():
        assert (media_root / name).read_bytes() == data
    # the chain verifies, and the restore is appended to it as the next record
    result = verify_chain()
    assert result.ok and result.count == head["seq"] + 1
    last = AuditRecord.objects.get(seq=head["seq"] + 1)
    assert last.action == "backups.archive.restore" and last.prev_mac == head["mac"] and path.name in last.detail
    assert not AuditRecord.objects.filter(action="audit.row.create", seq__gt=head["seq"]).exists()
    # ids continue after the restored ones (sequences were reset): new rows can be written
    newcomer = make_user(Role.EXPERT)
    assert newcomer.pk > max(u["pk"] for u in before["accounts.user"])
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_an_empty_database_restores(media_root, tmp_path):
    _wipe(media_root)
    path = _backup(tmp_path)
    _wipe(media_root)
    call_command("restore", str(path))
    assert list(AuditRecord.objects.values_list("action", flat=True)) == ["backups.archive.restore"]
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_a_corrupted_archive_is_refused_and_nothing_is_restored(programme_data, media_root, tmp_path):
    path = _backup(tmp_path)
    members = read_members(path)
    members = [(n, d.replace("事件 3".encode(), "事件 9".encode()) if n == "database/audit.auditrecord.jsonl" else d)
               for n, d in members]
    rewrite(path, members)
    _wipe(media_root)
    with pytest.raises(CommandError) as failure:
        call_command("restore", str(path))
    assert "备份校验失败，未做任何恢复" in str(failure.value) and "database/audit.auditrecord.jsonl" in str(failure.value)
    assert not any(_row_counts().values()) and not any(media_root.iterdir())


@pytest.mark.django_db
def test_restore_into_a_database_with_data_is_refused_and_changes_nothing(programme_data, media_root, tmp_path):
    path = _backup(tmp_path)
    counts, records = _row_counts(), AuditRecord.objects.count()
    (media_root / "a.txt").write_bytes(b"changed since the backup")
    with pytest.raises(CommandError) as failure:
        call_command("restore", str(path))
    assert "拒绝恢复，数据库未改动" in str(failure.value) and "目标数据库不是空库" in str(failure.value)
    assert _row_counts() == counts and AuditRecord.objects.count() == records
    assert (media_root / "a.txt").read_bytes() == b"changed since the backup"


@pytest.mark.django_db(transaction=True)
def test_a_different_audit_key_is_refused_before_anything_is_written(programme_data, media_root, tmp_path, settings):
    path = _backup(tmp_path)
    _wipe(media_root)
    settings.ICDC_AUDIT_KEY = "22" * 32
    with pytest.raises(CommandError, match="审计密钥“test”缺失或与备份时不同"):
        call_command("restore", str(path))
    assert not any(_row_counts().values())


@pytest.mark.django_db(transaction=True)
def test_a_different_migration_state_is_refused(programme_data, media_root, tmp_path):
    path = _backup(tmp_path)
    members = read_members(path)
    manifest = json.loads(members[0][1])
    manifest["migrations"]["indicators"] = "9999_from_the_future"
    rewrite(path, [("MANIFEST.json", resign(manifest)), *members[1:]])
    _wipe(media_root)
    with pytest.raises(CommandError, match="迁移状态与备份不一致.*indicators: 9999_from_the_future"):
        call_command("restore", str(path))
    assert not any(_row_counts().values())


@pytest.mark.django_db(transaction=True)
def test_a_different_media_file_in_the_way_is_refused(programme_data, media_root, tmp_path):
    path = _backup(tmp_path)
    _wipe(media_root)
    (media_root / "a.txt").write_bytes(b"someone else's file")
    with pytest.raises(CommandError, match="媒体文件已存在且内容不同"):
        call_command("restore", str(path))
    assert not any(_row_counts().values())
    assert (media_root / "a.txt").read_bytes() == b"someone else's file"


@pytest.mark.django_db(transaction=True)
def test_a_failure_during_the_load_rolls_everything_back(programme_data, media_root, tmp_path):
    path = _backup(tmp_path)
    members = read_members(path)
    manifest = json.loads(members[0][1])
    next(m for m in manifest["database"]["models"] if m["label"] == "accounts.user")["rows"] += 1
    rewrite(path, [("MANIFEST.json", resign(manifest)), *members[1:]])
    _wipe(media_root)
    with pytest.raises(CommandError, match="accounts.user.jsonl 的行数与清单不符"):
        call_command("restore", str(path))
    assert not any(_row_counts().values()) and not any(media_root.rglob("*.*"))


@pytest.mark.django_db(transaction=True)
def test_a_member_escaping_media_root_is_refused(programme_data, media_root, tmp_path):
    path = _backup(tmp_path)
    members = read_members(path)
    manifest = json.loads(members[0][1])
    evil = {"name": "media/../../evil.txt", "size": 4, "sha256": hashlib.sha256(b"evil").hexdigest(),
            "sm3": hashlib.new("sm3", b"evil").hexdigest()}
    manifest["members"].append(evil)
    rewrite(path, [("MANIFEST.json", resign(manifest)), *members[1:], (evil["name"], b"evil")])
    _wipe(media_root)
    call_command("verify_backup", str(path))  # the digests match: only the path is wrong
    with pytest.raises(CommandError, match="成员路径不安全"):
        call_command("restore", str(path))
    assert not (tmp_path / "evil.txt").exists() and not any(_row_counts().values())
    assert manifest_of(path)["members"][-1]["name"] == evil["name"]

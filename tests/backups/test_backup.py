"""`manage.py backup`: one archive, every member listed with size, SHA-256 and SM3, audited."""

import hashlib
import json
import os
import stat

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from icdc.audit.models import AuditChainHead, AuditRecord
from icdc.backups import archive, dataset

from .conftest import MEDIA_FILES, manifest_of, read_members

pytestmark = pytest.mark.django_db


def _backup(tmp_path):
    out = tmp_path / "out"
    call_command("backup", "--output", str(out))
    (path,) = out.iterdir()
    return path


def test_the_archive_lists_every_member_with_both_digests(programme_data, tmp_path, capsys):
    path = _backup(tmp_path)
    assert path.name.startswith("icdc-backup-") and path.name.endswith(".tar.gz")
    assert len(path.name) == len("icdc-backup-20260101-120000.tar.gz")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    members = read_members(path)
    assert members[0][0] == "MANIFEST.json"
    manifest = json.loads(members[0][1])
    listed = {entry["name"]: entry for entry in manifest["members"]}
    assert set(listed) == {name for name, _data in members[1:]}
    for name, data in members[1:]:
        assert listed[name]["size"] == len(data)
        assert listed[name]["sha256"] == hashlib.sha256(data).hexdigest()
        assert listed[name]["sm3"] == hashlib.new("sm3", data).hexdigest()
    assert {f"media/{name}" for name in MEDIA_FILES} <= set(listed)
    assert dict(members)["media/a.txt"] == MEDIA_FILES["a.txt"]


def test_the_manifest_records_schema_version_time_and_chain_head(programme_data, tmp_path):
    head = AuditChainHead.objects.get()
    manifest = manifest_of(_backup(tmp_path))
    assert manifest["format"] == archive.FORMAT
    assert manifest["platform"]["version"] == dataset.platform_version() != "unknown"
    assert manifest["created_at"]
    applied = MigrationRecorder(connection).applied_migrations()
    assert manifest["migrations"]["audit"] == max(name for app, name in applied if app == "audit")
    assert {"accounts", "indicators", "auth", "contenttypes"} <= set(manifest["migrations"])
    assert manifest["audit"]["head_seq"] == head.seq and manifest["audit"]["head_mac"] == head.mac
    assert manifest["audit"]["verified"] is True
    assert set(manifest["audit"]["key_check"]) == {"test"}
    labels = [m["label"] for m in manifest["database"]["models"]]
    assert {"audit.auditrecord", "audit.auditchainhead", "accounts.user", "indicators.indicator"} <= set(labels)
    assert not {"contenttypes.contenttype", "auth.permission", "sessions.session", "axes.accessattempt"} & set(labels)
    assert labels.index("divisions.division") < labels.index("accounts.user")
    rows = {m["label"]: m["rows"] for m in manifest["database"]["models"]}
    assert rows["audit.auditrecord"] == head.seq


def test_audit_times_keep_their_microseconds(programme_data, tmp_path):
    # Django's own JSON encoder would cut them to milliseconds and break every HMAC.
    members = dict(read_members(_backup(tmp_path)))
    lines = members["database/audit.auditrecord.jsonl"].decode().splitlines()
    stored = {r.pk: r.occurred_at for r in AuditRecord.objects.all()}
    for line in lines:
        row = json.loads(line)
        assert row["fields"]["occurred_at"] == stored[row["pk"]].isoformat()
    assert any(stored[pk].microsecond % 1000 for pk in stored)


def test_permissions_are_written_by_natural_key_and_users_by_pk(programme_data, tmp_path):
    members = dict(read_members(_backup(tmp_path)))
    officer = next(json.loads(line) for line in members["database/accounts.user.jsonl"].decode().splitlines()
                   if json.loads(line)["fields"]["groups"])
    assert officer["pk"] and officer["fields"]["user_permissions"] == [["view_audit_trail", "audit", "auditrecord"]]
    log = json.loads(members["database/admin.logentry.jsonl"].decode().splitlines()[0])
    assert log["fields"]["content_type"] == ["auth", "group"]
    assert isinstance(log["fields"]["user"], int)


def test_one_audit_record_names_the_archive_and_its_sm3(programme_data, tmp_path, capsys):
    before = AuditRecord.objects.count()
    path = _backup(tmp_path)
    out = capsys.readouterr().out
    record = AuditRecord.objects.get(action="backups.archive.create")
    assert AuditRecord.objects.count() == before + 1
    sm3 = hashlib.new("sm3", path.read_bytes()).hexdigest()
    assert record.after["sm3"] == sm3 and record.after["file"] == path.name
    assert path.name in record.detail and sm3 in record.detail
    assert "备份完成" in out and sm3 in out
    # the archive is a snapshot from before its own record
    assert manifest_of(path)["audit"]["head_seq"] == record.seq - 1


def test_the_default_directory_is_var_backups(programme_data, settings):
    call_command("backup")
    (path,) = (settings.VAR_DIR / "backups").iterdir()
    assert path.name.startswith("icdc-backup-")


def test_a_failed_backup_leaves_no_file_and_no_record(programme_data, tmp_path, monkeypatch):
    def disk_full(self, name, path, size, mtime=0):
        if name.startswith("media/"):
            raise OSError(28, "No space left on device")
        return real(self, name, path, size, mtime)

    real = archive.ArchiveWriter.add_file
    monkeypatch.setattr(archive.ArchiveWriter, "add_file", disk_full)
    out = tmp_path / "out"
    with pytest.raises(CommandError, match="备份失败"):
        call_command("backup", "--output", str(out))
    assert os.listdir(out) == []
    assert not AuditRecord.objects.filter(action="backups.archive.create").exists()


def test_an_existing_backup_is_never_overwritten(programme_data, tmp_path, monkeypatch):
    out = tmp_path / "out"
    call_command("backup", "--output", str(out))
    (first,) = out.iterdir()
    original = first.read_bytes()
    monkeypatch.setattr("icdc.backups.create.archive_name", lambda created: first.name)  # same second
    with pytest.raises(CommandError, match="备份文件已存在"):
        call_command("backup", "--output", str(out))
    assert [p.name for p in out.iterdir()] == [first.name] and first.read_bytes() == original
    assert AuditRecord.objects.filter(action="backups.archive.create").count() == 1


def test_without_hard_links_the_archive_is_still_published(programme_data, tmp_path, monkeypatch):
    # some network shares refuse link(); the backup falls back to a checked rename
    def no_links(src, dst):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr("icdc.backups.create.os.link", no_links)
    path = _backup(tmp_path)
    call_command("verify_backup", str(path))
    assert [p.name for p in path.parent.iterdir()] == [path.name]

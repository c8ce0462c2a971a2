"""`manage.py verify_backup`: any edited, missing or extra member fails and is named."""

import hashlib
import json

import pytest
from django.core.management import CommandError, call_command

from .conftest import read_members, rewrite

pytestmark = pytest.mark.django_db


@pytest.fixture
def backup(programme_data, tmp_path):
    out = tmp_path / "out"
    call_command("backup", "--output", str(out))
    (path,) = out.iterdir()
    return path


def test_an_intact_backup_passes(backup, capsys):
    call_command("verify_backup", str(backup))
    out = capsys.readouterr().out
    assert "备份校验通过" in out and hashlib.new("sm3", backup.read_bytes()).hexdigest() in out


def _flip_byte(members, name, offset=10):
    out = []
    for member, data in members:
        if member == name:
            data = bytearray(data)
            data[min(offset, len(data) - 1)] ^= 0x01
            data = bytes(data)
        out.append((member, data))
    return out


@pytest.mark.parametrize("name", ["database/audit.auditrecord.jsonl", "database/accounts.user.jsonl", "media/a.txt"])
def test_a_flipped_byte_in_a_member_fails_and_names_it(backup, name):
    rewrite(backup, _flip_byte(read_members(backup), name))
    with pytest.raises(CommandError) as failure:
        call_command("verify_backup", str(backup))
    assert failure.value.returncode == 1
    assert name in str(failure.value) and "校验值不符" in str(failure.value)


def test_the_first_bad_member_is_the_one_named(backup):
    members = read_members(backup)
    damaged = [name for name, data in members[1:] if data][2:4]  # an empty member has no byte to flip
    for name in damaged:
        members = _flip_byte(members, name)
    rewrite(backup, members)
    with pytest.raises(CommandError, match=damaged[0].replace(".", r"\.")):
        call_command("verify_backup", str(backup))


def test_a_flipped_byte_in_the_compressed_file_fails(backup):
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0xFF
    backup.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="备份校验失败"):
        call_command("verify_backup", str(backup))


def test_a_truncated_file_fails(backup):
    backup.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    with pytest.raises(CommandError, match="备份文件已损坏"):
        call_command("verify_backup", str(backup))


def test_a_missing_member_fails_and_is_named(backup):
    members = [(n, d) for n, d in read_members(backup) if n != "media/a.txt"]
    rewrite(backup, members)
    with pytest.raises(CommandError, match="清单中的成员缺失：media/a.txt"):
        call_command("verify_backup", str(backup))


def test_an_extra_member_fails_and_is_named(backup):
    rewrite(backup, [*read_members(backup), ("media/evil.sh", b"#!/bin/sh\n")])
    with pytest.raises(CommandError, match="成员不在清单中：media/evil.sh"):
        call_command("verify_backup", str(backup))


def test_a_file_that_is_not_a_backup_fails(tmp_path):
    other = tmp_path / "not-a-backup.tar.gz"
    other.write_bytes(b"hello")
    with pytest.raises(CommandError, match="备份文件已损坏"):
        call_command("verify_backup", str(other))


def test_the_whole_file_sm3_from_the_audit_trail_can_be_checked(backup):
    sm3 = hashlib.new("sm3", backup.read_bytes()).hexdigest()
    call_command("verify_backup", str(backup), "--sm3", sm3.upper())
    with pytest.raises(CommandError, match="SM3"):
        call_command("verify_backup", str(backup), "--sm3", "0" * 64)


@pytest.mark.parametrize("edit", [
    lambda m: m.pop("members"),
    lambda m: m["members"].append(dict(m["members"][0])),
    lambda m: m["members"][0].update(size="12"),
    lambda m: m.update(format="other/9"),
])
def test_a_malformed_manifest_fails_cleanly(backup, edit):
    members = read_members(backup)
    manifest = json.loads(members[0][1])
    edit(manifest)
    rewrite(backup, [("MANIFEST.json", json.dumps(manifest).encode()), *members[1:]])
    with pytest.raises(CommandError, match="备份校验失败：.*(MANIFEST|格式)"):
        call_command("verify_backup", str(backup))

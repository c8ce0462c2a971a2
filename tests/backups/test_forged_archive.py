"""A forged archive is refused: digests can be recomputed by whoever writes the backup store,
the HMAC-SM3 signature under the backup key (kept outside the database and the archive) cannot."""

import hashlib
import json

import pytest
from django.core.management import CommandError, call_command

from icdc.accounts.models import User
from icdc.audit.models import AuditRecord
from icdc.backups import archive

from .conftest import read_members, rewrite
from .test_restore import _backup, _row_counts, _wipe


def _forge(path, *, sign=None):
    """Change a user's name in the dump and recompute the manifest's digests, as a forger with
    write access to the backup store would; ``sign`` decides what becomes of the signature."""
    members = read_members(path)
    manifest = json.loads(members[0][1])
    forged = []
    for name, data in members[1:]:
        if name == "database/accounts.user.jsonl":
            rows = [json.loads(line) for line in data.decode().splitlines()]
            rows[0]["fields"]["display_name"] = "伪造的姓名"
            data = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode()
            entry = next(m for m in manifest["members"] if m["name"] == name)
            entry.update(size=len(data), sha256=hashlib.sha256(data).hexdigest(), sm3=hashlib.new("sm3", data).hexdigest())
        forged.append((name, data))
    if sign is not None:
        sign(manifest)
    rewrite(path, [("MANIFEST.json", json.dumps(manifest, ensure_ascii=False).encode()), *forged])


def _unsigned(manifest):
    manifest.pop(archive.SIGNATURE)


def _under_another_key(manifest):
    archive.sign_manifest(manifest, "test", b"\x99" * 32)


def _claiming_an_unknown_key(manifest):
    archive.sign_manifest(manifest, "k-elsewhere", b"\x99" * 32)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("sign", "why"), [
    (None, "签名（HMAC-SM3）不符"),  # old signature kept: the digests it covers changed
    (_unsigned, "没有签名"),
    (_under_another_key, "签名（HMAC-SM3）不符"),
    (_claiming_an_unknown_key, "没有备份签名密钥“k-elsewhere”"),
])
def test_a_forged_archive_with_recomputed_digests_is_refused(programme_data, media_root, tmp_path, sign, why):
    path = _backup(tmp_path)
    _forge(path, sign=sign)
    with pytest.raises(CommandError, match=f"备份校验失败：.*{why}"):
        call_command("verify_backup", str(path))
    _wipe(media_root)
    with pytest.raises(CommandError, match=f"备份校验失败，未做任何恢复：.*{why}"):
        call_command("restore", str(path))
    assert not any(_row_counts().values()) and not any(media_root.rglob("*.*"))


@pytest.mark.django_db(transaction=True)
def test_the_signature_names_its_key_and_restores_with_it(programme_data, media_root, tmp_path, settings, capsys):
    path = _backup(tmp_path)
    signature = json.loads(read_members(path)[0][1])["signature"]
    assert signature["algorithm"] == "HMAC-SM3" and signature["key_id"] == "test" and len(signature["mac"]) == 64
    assert settings.ICDC_BACKUP_KEY not in path.read_bytes().hex()  # the key is not in the archive
    record = AuditRecord.objects.get(action="backups.archive.create")
    assert record.after["backup_key_id"] == "test"

    # rotated: a new key signs new archives, the old id stays to verify the old ones
    settings.ICDC_BACKUP_OLD_KEYS = {"test": settings.ICDC_BACKUP_KEY}
    settings.ICDC_BACKUP_KEY_ID, settings.ICDC_BACKUP_KEY = "k2", "66" * 32
    call_command("verify_backup", str(path))
    _wipe(media_root)
    call_command("restore", str(path))
    assert "恢复完成" in capsys.readouterr().out
    assert User.objects.count() == len(programme_data["users"])


@pytest.mark.django_db
def test_without_the_key_that_signed_it_verify_refuses_and_invents_none(programme_data, tmp_path, settings):
    path = _backup(tmp_path)
    settings.ICDC_BACKUP_KEY, settings.ICDC_BACKUP_KEY_FILE = "", tmp_path / "var" / "backup-hmac.key"
    with pytest.raises(CommandError, match="没有备份签名密钥“test”"):
        call_command("verify_backup", str(path))
    assert not settings.ICDC_BACKUP_KEY_FILE.exists()


@pytest.mark.django_db
def test_a_backup_without_any_backup_key_is_refused(programme_data, tmp_path, settings):
    settings.ICDC_BACKUP_KEY, settings.ICDC_BACKUP_KEY_FILE = "", None  # the production profile, unset
    with pytest.raises(CommandError, match="备份未进行：未配置备份签名密钥.*ICDC_BACKUP_KEY"):
        call_command("backup", "--output", str(tmp_path / "out"))
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())

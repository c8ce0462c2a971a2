"""A restore needs the keys of the data it restores, and never invents one."""

import pytest
from django.core.management import CommandError, call_command

from icdc.accounts.models import Role, User

from .conftest import manifest_of
from .test_restore import _backup, _row_counts, _wipe


@pytest.fixture
def with_mobile(programme_data):
    officer = programme_data["users"][Role.MINISTRY_OFFICER]
    officer.mobile = "13812345678"
    officer.save()
    return officer


@pytest.mark.django_db(transaction=True)
def test_a_different_data_key_is_refused_before_anything_is_written(with_mobile, media_root, tmp_path, settings):
    path = _backup(tmp_path)
    assert list(manifest_of(path)["data_key_check"]) == ["test"]
    _wipe(media_root)
    settings.ICDC_DATA_KEYS = {"test": "44" * 16}
    with pytest.raises(CommandError, match="SM4 数据密钥“test”缺失或与备份时不同"):
        call_command("restore", str(path))
    assert not any(_row_counts().values())


@pytest.mark.django_db(transaction=True)
def test_a_new_installation_without_the_key_files_is_refused_and_gets_no_new_keys(
        with_mobile, media_root, tmp_path, settings):
    path = _backup(tmp_path)
    _wipe(media_root)
    settings.ICDC_AUDIT_KEY, settings.ICDC_AUDIT_KEY_FILE = "", tmp_path / "new" / "audit-hmac.key"
    settings.ICDC_DATA_KEYS, settings.ICDC_DATA_KEY_FILE = {}, tmp_path / "new" / "data-sm4.keys"
    with pytest.raises(CommandError, match="审计密钥“test”缺失或与备份时不同"):
        call_command("restore", str(path))
    assert not (tmp_path / "new").exists() and not any(_row_counts().values())


@pytest.mark.django_db(transaction=True)
def test_with_the_same_keys_encrypted_data_comes_back(with_mobile, media_root, tmp_path):
    path = _backup(tmp_path)
    _wipe(media_root)
    call_command("restore", str(path))
    assert User.objects.get(pk=with_mobile.pk).mobile == "13812345678"


def test_key_fingerprints_are_restored_before_any_encrypted_row():
    from icdc.backups import dataset

    labels = [m._meta.label_lower for m in dataset.backed_up_models()]
    assert labels[0] == "keyring.keyfingerprint" and "accounts.user" in labels

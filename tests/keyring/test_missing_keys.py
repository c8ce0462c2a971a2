"""A missing key file never silently becomes a new key; a different key under the same id is refused.

The embedded profile creates its key files at first set-up. Once the database holds data
sealed with a key (audit records, SM4 tokens) or that key's fingerprint, a missing file —
deleted, or ``ICDC_VAR_DIR`` mistyped — is named in Chinese and English, at start-up, by
``check --database`` and at first use, and nothing is written.
"""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import transaction

from icdc.accounts.models import Role, User
from icdc.audit.models import AuditRecord
from icdc.audit.services import record_event
from icdc.keyring.checks import refuse_to_start_with_bad_keys
from icdc.keyring.models import KeyFingerprint
from icdc.keyring.services import KeyUnavailable, fingerprint_of, forget_confirmed
from icdc.lib import sm4
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_files(settings, tmp_path):
    """The embedded profile: audit and SM4 keys in files under a VAR_DIR, as `make run` leaves them."""
    settings.ICDC_AUDIT_KEY, settings.ICDC_AUDIT_KEY_ID = "", "k1"
    settings.ICDC_AUDIT_KEY_FILE = tmp_path / "var" / "audit-hmac.key"
    settings.ICDC_DATA_KEYS, settings.ICDC_DATA_KEY_ID = {}, "k1"
    settings.ICDC_DATA_KEY_FILE = tmp_path / "var" / "data-sm4.keys"
    sm4._ring.cache_clear()
    forget_confirmed()
    yield settings
    sm4._ring.cache_clear()
    forget_confirmed()


def _restart():
    """What a new server process starts with: no key cached in memory."""
    sm4._ring.cache_clear()
    forget_confirmed()


def test_first_set_up_creates_the_keys_and_records_their_fingerprints(key_files):
    assert not key_files.ICDC_AUDIT_KEY_FILE.exists()
    record_event(action="test.first", detail="第一条")
    make_user(Role.MINISTRY_OFFICER, mobile="13812345678")

    audit_key = bytes.fromhex(key_files.ICDC_AUDIT_KEY_FILE.read_text().strip())
    data_key = sm4.keyring()["k1"]
    assert dict(KeyFingerprint.objects.values_list("purpose", "fingerprint")) == {
        "audit": fingerprint_of(purpose="audit", key_id="k1", key=audit_key),
        "data": fingerprint_of(purpose="data", key_id="k1", key=data_key),
    }
    assert audit_key.hex() not in str(list(KeyFingerprint.objects.values()))  # the fingerprint, never the key
    refuse_to_start_with_bad_keys()  # all well: no exception
    call_command("check", "--database", "default")


def test_a_missing_audit_key_file_is_refused_and_not_recreated(key_files, tmp_path):
    record_event(action="test.first", detail="第一条")
    key_files.ICDC_AUDIT_KEY_FILE.unlink()
    _restart()

    with pytest.raises(KeyUnavailable) as refused:
        record_event(action="test.second", detail="第二条")
    message = str(refused.value)
    assert "缺少审计 HMAC 密钥“k1”" in message and "Missing audit HMAC key \"k1\"" in message
    assert str(key_files.ICDC_AUDIT_KEY_FILE) in message
    assert not key_files.ICDC_AUDIT_KEY_FILE.exists()  # no new key under the old id
    assert list(AuditRecord.objects.values_list("action", flat=True)) == ["test.first"]

    with pytest.raises(KeyUnavailable, match="缺少审计 HMAC 密钥"):
        refuse_to_start_with_bad_keys()
    with pytest.raises(SystemCheckError, match=r"keys\.E001.*缺少审计 HMAC 密钥"):
        call_command("check", "--database", "default")
    with pytest.raises(SystemCheckError, match=r"keys\.E001.*缺少审计 HMAC 密钥"):
        call_command("check")  # a missing file is worth asking the database even without --database


def test_a_mistyped_var_dir_is_a_missing_key_not_a_new_one(key_files, tmp_path):
    record_event(action="test.first", detail="第一条")
    key_files.ICDC_AUDIT_KEY_FILE = tmp_path / "vra" / "audit-hmac.key"  # ICDC_VAR_DIR=.../vra
    key_files.ICDC_DATA_KEY_FILE = tmp_path / "vra" / "data-sm4.keys"
    _restart()
    with pytest.raises(KeyUnavailable, match="vra/audit-hmac.key"):
        record_event(action="test.second", detail="第二条")
    assert not (tmp_path / "vra").exists()


def test_another_audit_key_under_the_same_id_is_refused_at_first_use_and_start_up(key_files):
    record_event(action="test.first", detail="第一条")
    key_files.ICDC_AUDIT_KEY_FILE.write_text("ab" * 32)  # a key from another installation
    _restart()

    with pytest.raises(KeyUnavailable, match="审计 HMAC 密钥“k1”.*与数据库中记录的密钥指纹不符.*not the key that was used"):
        record_event(action="test.second", detail="第二条")
    assert AuditRecord.objects.count() == 1
    with pytest.raises(KeyUnavailable, match="指纹不符"):
        refuse_to_start_with_bad_keys()


def test_a_missing_data_key_file_is_named_instead_of_garbling_personal_data(key_files):
    officer = make_user(Role.MINISTRY_OFFICER, mobile="13812345678")
    key_files.ICDC_DATA_KEY_FILE.unlink()
    _restart()

    with pytest.raises(KeyUnavailable, match="缺少SM4 数据密钥“k1”.*Missing SM4 data key"):
        User.objects.get(pk=officer.pk)  # before: a new key, then "SM4 加密数据完整性校验失败" (500)
    assert not key_files.ICDC_DATA_KEY_FILE.exists()
    with pytest.raises(SystemCheckError, match="缺少SM4 数据密钥"):
        call_command("check", "--database", "default")


def test_another_data_key_under_the_same_id_cannot_seal_new_data(key_files):
    make_user(Role.MINISTRY_OFFICER, mobile="13812345678")
    key_files.ICDC_DATA_KEY_FILE.write_text("k1=" + "cd" * 16 + "\n")
    _restart()
    with pytest.raises(KeyUnavailable, match="SM4 数据密钥“k1”.*指纹不符"), transaction.atomic():
        make_user(Role.MINISTRY_OFFICER, mobile="13900000000")
    assert User.objects.count() == 1


def test_a_check_never_creates_a_key(key_files):
    call_command("check")
    call_command("check", "--database", "default")
    assert not key_files.ICDC_AUDIT_KEY_FILE.exists() and not key_files.ICDC_DATA_KEY_FILE.exists()

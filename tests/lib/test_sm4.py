"""SM4-GCM at rest (密评 GB/T 39786): the algorithm is the standard's, tokens round-trip,
name their key, refuse tampering and survive key rotation."""

import base64
import os
import stat
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.exceptions import ImproperlyConfigured

from icdc.lib import sm4
from tests.deployment.test_production_profile import ROOT, production_env
from tests.lib.conftest import OLD_KEY


def test_sm4_matches_the_gbt_32907_test_vector():
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    assert (encryptor.update(key) + encryptor.finalize()).hex() == "681edf34d206965e86b3e94f536e4246"
    assert sm4.self_test()


def test_the_startup_check_passes_and_names_a_missing_key(settings):
    assert sm4.check_data_keys() == []
    settings.ICDC_DATA_KEY_ID = "nope"
    errors = sm4.check_data_keys()
    assert [e.id for e in errors] == ["crypto.E002"] and "nope" in errors[0].msg


def test_round_trip_and_token_format():
    token = sm4.encrypt("13812345678 张三", context="accounts.user.mobile")
    prefix, kid, body = token.split(":")
    assert (prefix, kid) == ("sm4gcm", "t1")
    assert len(base64.b64decode(body)) == 12 + len("13812345678 张三".encode()) + 16
    assert "13812345678" not in token
    assert sm4.decrypt(token, context="accounts.user.mobile") == "13812345678 张三"


def test_equal_values_give_different_tokens():
    assert sm4.encrypt("13812345678") != sm4.encrypt("13812345678")


def test_unknown_key_id_is_a_clear_error():
    token = sm4.encrypt("13812345678").replace("sm4gcm:t1:", "sm4gcm:gone:")
    with pytest.raises(sm4.UnknownKeyId, match="gone"):
        sm4.decrypt(token)


def _flip(token, position):
    prefix, kid, body = token.split(":")
    raw = bytearray(base64.b64decode(body))
    raw[position] ^= 1
    return f"{prefix}:{kid}:{base64.b64encode(bytes(raw)).decode()}"


@pytest.mark.parametrize("position", [0, 12, -1])  # nonce, ciphertext, tag
def test_tampered_token_is_refused(position):
    with pytest.raises(sm4.TamperedToken):
        sm4.decrypt(_flip(sm4.encrypt("13812345678"), position))


def test_token_moved_to_another_column_is_refused():
    token = sm4.encrypt("13812345678", context="accounts.user.mobile")
    with pytest.raises(sm4.TamperedToken):
        sm4.decrypt(token, context="experts.expert.id_number")


@pytest.mark.parametrize("bad", ["13812345678", "sm4gcm:t1:!!!", "sm4gcm:t1:" + base64.b64encode(b"short").decode()])
def test_malformed_tokens_are_refused(bad):
    with pytest.raises(sm4.DecryptionError):
        sm4.decrypt(bad)


def test_rotation_keeps_old_tokens_readable_and_rewrites_them(settings):
    settings.ICDC_DATA_KEYS = {"t0": OLD_KEY}
    settings.ICDC_DATA_KEY_ID = "t0"
    old = sm4.encrypt("13812345678")
    settings.ICDC_DATA_KEYS = {"t0": OLD_KEY, "t1": "22" * 16}
    settings.ICDC_DATA_KEY_ID = "t1"
    assert sm4.decrypt(old) == "13812345678"
    new = sm4.rotate(old)
    assert sm4.key_id_of(new) == "t1" and sm4.decrypt(new) == "13812345678"
    assert sm4.rotate(new) == new
    settings.ICDC_DATA_KEYS = {"t1": "22" * 16}  # the old key retired too early
    with pytest.raises(sm4.UnknownKeyId):
        sm4.decrypt(old)


@pytest.mark.parametrize("keys", [{"t1": "22" * 8}, {"t1": "zz" * 16}, {"t:1": "22" * 16}])
def test_bad_keys_are_refused(settings, keys):
    settings.ICDC_DATA_KEYS = keys
    settings.ICDC_DATA_KEY_ID = next(iter(keys))
    with pytest.raises(ImproperlyConfigured):
        sm4.current_key()


@pytest.mark.django_db  # the key file is created only if the database holds nothing sealed with it
def test_embedded_profile_creates_an_owner_only_key_file(settings, tmp_path):
    settings.ICDC_DATA_KEYS = {}
    settings.ICDC_DATA_KEY_FILE = tmp_path / "var" / "data-sm4.keys"
    kid, key = sm4.current_key()
    assert kid == "t1" and len(key) == 16
    assert stat.S_IMODE(os.stat(settings.ICDC_DATA_KEY_FILE).st_mode) == 0o600
    assert settings.ICDC_DATA_KEY_FILE.read_text() == f"t1={key.hex()}\n"
    assert sm4.current_key() == (kid, key)  # read back, not regenerated


def test_production_refuses_to_start_without_data_keys():
    env = production_env()
    del env["ICDC_DATA_KEYS"]
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "ICDC_DATA_KEYS" in result.stderr


def test_blind_index_is_deterministic_keyed_and_context_bound(settings):
    one = sm4.blind_index("13812345678", context="accounts.user.mobile")
    assert one == sm4.blind_index("13812345678", context="accounts.user.mobile")
    assert one != sm4.blind_index("13812345679", context="accounts.user.mobile")
    assert one != sm4.blind_index("13812345678", context="other.model.phone")
    settings.ICDC_DATA_KEYS = {"t1": OLD_KEY}
    assert one != sm4.blind_index("13812345678", context="accounts.user.mobile")

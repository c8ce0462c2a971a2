"""SM4-GCM encryption of important data at rest, with keys held outside the database.

Why: 密评 GB/T 39786-2021 (第三级, 应用和数据层面) asks for the confidentiality of important
data at rest with a commercial algorithm — SM4 (GB/T 32907-2016). GCM mode also
authenticates, so a ciphertext altered in the database is refused instead of decrypting to
garbage. ``cryptography`` provides SM4 with GCM through its bundled OpenSSL 3.

Token: ``sm4gcm:<key id>:<base64(nonce | ciphertext | tag)>``. The key id travels with the
data, which is what makes rotation possible: set a new ``ICDC_DATA_KEY_ID``, keep the old key
in ``ICDC_DATA_KEYS`` so old tokens stay readable, and re-encrypt (``rotate`` /
``fields.reencrypt_all``) until no token names the old id.

Keys are never in the repository nor in the database: ``ICDC_DATA_KEYS`` ("k1=<32 hex
digits>,k0=...") comes from the environment (required by the production profile); the
embedded profile creates a key file under VAR_DIR at first set-up, as the audit key does
(never again once data is sealed with it: ``icdc.keyring``).

Importing this module registers the ``security`` system check that proves SM4 against the
standard's test vector and that the current key can be loaded.
"""

import base64
import binascii
import functools
import hmac
import os
import re
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from icdc.keyring.purposes import Purpose

PREFIX = "sm4gcm"
KEY_BYTES = 16  # SM4 has a 128-bit key: 32 hex digits
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")  # no ":", which separates the token's parts

#: GB/T 32907-2016 附录 A, 示例 1: key = plaintext, one block, ECB.
VECTOR_KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")
VECTOR_CIPHERTEXT = bytes.fromhex("681edf34d206965e86b3e94f536e4246")


class DecryptionError(ValueError):
    """A token that cannot be decrypted: malformed, sealed with an unknown key, or altered."""


class UnknownKeyId(DecryptionError):
    """The token names a key id this deployment does not hold (not configured, or retired)."""


class TamperedToken(DecryptionError):
    """The GCM tag does not match: the token was altered or moved to another column."""


# --- keys -------------------------------------------------------------------------------


def _parse(entries, source):
    ring = {}
    for kid, hexkey in entries:
        if not KEY_ID.match(kid):
            raise ImproperlyConfigured(_("%(source)s 中的密钥编号“%(kid)s”无效（只允许字母、数字、- 和 _）。")
                                       % {"source": source, "kid": kid})
        try:
            key = bytes.fromhex(hexkey.strip())
        except ValueError:
            key = b""
        if len(key) != KEY_BYTES:
            raise ImproperlyConfigured(_("%(source)s 中密钥“%(kid)s”须为 32 位十六进制数（SM4 密钥 128 位）。")
                                       % {"source": source, "kid": kid})
        ring[kid] = key
    return ring


def _key_file(path, current_id):
    """The embedded profile's keys ("id=hex" lines), created at first set-up only (see
    ``icdc.keyring.services.key_file_read``: never again once data is sealed with the key)."""
    from icdc.keyring.services import key_file_read

    text = key_file_read(path, purpose=Purpose.DATA, key_id=current_id,
                         make_content=lambda: f"{current_id}={secrets.token_hex(KEY_BYTES)}\n")
    lines = [line.strip() for line in text.splitlines()]
    return [tuple(line.split("=", 1)) for line in lines if line and not line.startswith("#") and "=" in line]


@functools.lru_cache(maxsize=16)
def _ring(configured, path, current_id):
    if configured:
        return tuple(_parse(configured, "ICDC_DATA_KEYS").items())
    if not path:
        raise ImproperlyConfigured(_("未配置数据加密密钥：请设置环境变量 ICDC_DATA_KEYS。"))
    return tuple(_parse(_key_file(Path(path), current_id), path).items())


def _source():
    """Where the keys come from: the setting, or the key file's path."""
    return "ICDC_DATA_KEYS" if settings.ICDC_DATA_KEYS else str(settings.ICDC_DATA_KEY_FILE or "")


def keyring(*, create=True):
    """Every known key by id. ``ICDC_DATA_KEYS`` when set, else the embedded key file.

    ``create=False`` (checks): a missing key file gives no keys instead of a new one.
    """
    configured = tuple(sorted(settings.ICDC_DATA_KEYS.items()))
    path = settings.ICDC_DATA_KEY_FILE
    if not create and not configured and path and not Path(path).exists():
        return {}
    return dict(_ring(configured, str(path) if path else "", settings.ICDC_DATA_KEY_ID))


def current_key():
    """(id, key) new data is encrypted with."""
    kid = settings.ICDC_DATA_KEY_ID
    ring = keyring()
    if kid not in ring:
        raise ImproperlyConfigured(_("当前数据密钥编号 ICDC_DATA_KEY_ID=“%(kid)s”不在已配置的密钥中。") % {"kid": kid})
    return kid, ring[kid]


def current_key_confirm():
    """Before data is sealed into the database: refuse a current key whose fingerprint differs
    from the one recorded at its first use (another key under the same id), record it if none.
    Kept out of ``encrypt`` so the cipher itself needs no database."""
    from icdc.keyring.services import fingerprint_confirm

    kid, key = current_key()
    fingerprint_confirm(purpose=Purpose.DATA, key_id=kid, key=key, where=_source())


def key_sources():
    """Every configured data key, without creating any (``icdc.keyring`` start-up check)."""
    from icdc.keyring.services import KeySource

    ring = keyring(create=False)
    sources = [KeySource(Purpose.DATA, kid, key, _source()) for kid, key in ring.items()]
    if settings.ICDC_DATA_KEY_ID not in ring:
        sources.append(KeySource(Purpose.DATA, settings.ICDC_DATA_KEY_ID, None, _source()))
    return sources


# --- tokens -----------------------------------------------------------------------------


def is_token(value):
    return isinstance(value, str) and value.startswith(PREFIX + ":")


def key_id_of(token):
    """The key id a token names (None if it is not a token)."""
    return token.split(":", 2)[1] if is_token(token) and token.count(":") >= 2 else None


def encrypt(plaintext, *, context=""):
    """Seal ``plaintext`` with the current key. ``context`` (e.g. "accounts.user.mobile") is
    authenticated, not stored: a token copied into another column will not decrypt there."""
    kid, key = current_key()
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(context.encode())
    body = encryptor.update(plaintext.encode()) + encryptor.finalize()
    return f"{PREFIX}:{kid}:{base64.b64encode(nonce + body + encryptor.tag).decode('ascii')}"


def decrypt(token, *, context=""):
    """The plaintext of ``token``, picking the key by the id it names."""
    parts = token.split(":", 2) if isinstance(token, str) else []
    if len(parts) != 3 or parts[0] != PREFIX:
        raise DecryptionError(_("不是 SM4 加密数据。"))
    kid, body = parts[1], parts[2]
    try:
        raw = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise TamperedToken(_("SM4 加密数据格式损坏，拒绝解密。"))
    key = keyring().get(kid)
    if key is None:
        raise UnknownKeyId(_("未知的数据密钥编号“%(kid)s”：轮换后须在 ICDC_DATA_KEYS 中保留旧密钥。") % {"kid": kid})
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(context.encode())
    try:
        plain = decryptor.update(body) + decryptor.finalize()
    except InvalidTag as exc:
        raise TamperedToken(_("SM4 加密数据完整性校验失败（数据被篡改或密钥不符），拒绝解密。")) from exc
    return plain.decode()


def rotate(token, *, context=""):
    """``token`` sealed with the current key (unchanged if it already is)."""
    if key_id_of(token) == settings.ICDC_DATA_KEY_ID:
        return token
    return encrypt(decrypt(token, context=context), context=context)


def blind_index(value, *, context="", key_id=None):
    """A deterministic HMAC-SM3 of ``value`` for exact-match search over encrypted data.

    The HMAC key is derived from the data key (key separation: never the SM4 key itself),
    so without the keys the index cannot be brute-forced over the small space of phone numbers.
    """
    kid = key_id or settings.ICDC_DATA_KEY_ID
    ring = keyring()
    if kid not in ring:
        raise UnknownKeyId(_("未知的数据密钥编号“%(kid)s”。") % {"kid": kid})
    index_key = hmac.new(ring[kid], b"icdc blind index v1", "sm3").digest()
    return hmac.new(index_key, context.encode() + b"\0" + value.encode(), "sm3").hexdigest()


# --- start-up proof ---------------------------------------------------------------------


def _gcm_open(key, nonce, sealed, tag):
    opener = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    return opener.update(sealed) + opener.finalize()


def self_test():
    """SM4 gives the GB/T 32907 test vector; SM4-GCM round-trips and refuses a flipped tag bit."""
    try:
        ecb = Cipher(algorithms.SM4(VECTOR_KEY), modes.ECB()).encryptor()
        if ecb.update(VECTOR_KEY) + ecb.finalize() != VECTOR_CIPHERTEXT:
            return False
        nonce = bytes(NONCE_BYTES)
        gcm = Cipher(algorithms.SM4(VECTOR_KEY), modes.GCM(nonce)).encryptor()
        sealed = gcm.update(b"icdc") + gcm.finalize()
        if _gcm_open(VECTOR_KEY, nonce, sealed, gcm.tag) != b"icdc":
            return False
        try:
            _gcm_open(VECTOR_KEY, nonce, sealed, bytes([gcm.tag[0] ^ 1]) + gcm.tag[1:])
        except InvalidTag:
            return True
        return False
    except (UnsupportedAlgorithm, ValueError, InvalidTag):
        return False


@register("security")
def check_data_keys(app_configs=None, **kwargs):
    if not self_test():
        return [Error(_("SM4 / SM4-GCM 不可用或不符合 GB/T 32907 标准测试向量；数据加密需要它。"), id="crypto.E001")]
    try:
        ring = keyring(create=False)  # a check never creates a key (a missing file: ``icdc.keyring`` checks)
    except (ImproperlyConfigured, OSError) as exc:
        return [Error(_("无法加载数据加密密钥：%(error)s") % {"error": exc}, id="crypto.E002")]
    if ring and settings.ICDC_DATA_KEY_ID not in ring:
        return [Error(_("当前数据密钥编号 ICDC_DATA_KEY_ID=“%(kid)s”不在已配置的密钥中。")
                      % {"kid": settings.ICDC_DATA_KEY_ID}, id="crypto.E002")]
    return []

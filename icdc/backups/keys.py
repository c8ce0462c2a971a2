"""The backup signing key: HMAC-SM3 over the manifest, so a forged archive is refused.

Why a key of its own (not the audit key, not one derived from it): someone who can write
the backup store can recompute every SHA-256/SM3 digest, but not a MAC under a key kept
outside the database and outside the archive. One key, one use (密评 key management): it
can be rotated on its own schedule and given to whoever checks archives (``verify_backup``
on the backup host) without giving them the key that signs the audit trail.

Settings mirror the audit key's: ``ICDC_BACKUP_KEY`` (64 hex digits) and
``ICDC_BACKUP_KEY_ID`` name the key new archives are signed with; ``ICDC_BACKUP_OLD_KEYS``
({id: hex}) keeps retired keys so older archives still verify. The embedded profile
creates ``ICDC_BACKUP_KEY_FILE`` (VAR_DIR/backup-hmac.key) at the first backup, never
again once a backup was signed with it (``icdc.keyring``). Only ``backup`` creates it:
``verify_backup`` and ``restore`` never invent a key.
"""

import secrets

from django.conf import settings
from django.utils.translation import gettext as _

from icdc.keyring.purposes import Purpose

KEY_BYTES = 32


class BackupKeyError(Exception):
    """The backup signing key is not configured, or is malformed."""


def _where():
    return "ICDC_BACKUP_KEY" if settings.ICDC_BACKUP_KEY else str(settings.ICDC_BACKUP_KEY_FILE or "ICDC_BACKUP_KEY")


def _current_hex(create):
    if settings.ICDC_BACKUP_KEY:
        return settings.ICDC_BACKUP_KEY
    if not settings.ICDC_BACKUP_KEY_FILE:
        return None
    from icdc.keyring.services import key_file_read

    text = key_file_read(settings.ICDC_BACKUP_KEY_FILE, purpose=Purpose.BACKUP, key_id=settings.ICDC_BACKUP_KEY_ID,
                         make_content=lambda: secrets.token_hex(KEY_BYTES), create=create)
    return None if text is None else text.strip()


def keyring(*, create=False):
    """Every configured backup key by id (a missing key file is left out unless ``create``)."""
    ring = dict(settings.ICDC_BACKUP_OLD_KEYS)
    current = _current_hex(create)
    if current is not None:
        ring[settings.ICDC_BACKUP_KEY_ID] = current
    parsed = {}
    for kid, hexkey in ring.items():
        try:
            key = bytes.fromhex(hexkey.strip())
        except ValueError:
            key = b""
        if len(key) < 16:
            raise BackupKeyError(_("备份签名密钥“%(kid)s”须为至少 32 位的十六进制数（建议 64 位）。") % {"kid": kid})
        parsed[kid] = key
    return parsed


def signing_key():
    """(id, key) a new archive is signed with: created at the first backup, then confirmed by fingerprint."""
    from icdc.keyring.services import fingerprint_confirm

    kid = settings.ICDC_BACKUP_KEY_ID
    key = keyring(create=True).get(kid)
    if key is None:
        raise BackupKeyError(_("未配置备份签名密钥：请设置环境变量 ICDC_BACKUP_KEY（64 位十六进制数）。"))
    fingerprint_confirm(purpose=Purpose.BACKUP, key_id=kid, key=key, where=_where())
    return kid, key


def verifying_key(kid):
    """The key an archive names, or None if this installation does not hold it (never created here)."""
    return keyring().get(kid)


def key_sources():
    """Every configured backup key, without creating any (``icdc.keyring`` checks)."""
    from icdc.keyring.services import KeySource

    try:
        ring = keyring()
    except BackupKeyError:
        return []
    current = settings.ICDC_BACKUP_KEY_ID
    sources = [KeySource(Purpose.BACKUP, kid, key, f"ICDC_BACKUP_OLD_KEYS[{kid}]") for kid, key in ring.items()
               if kid != current]
    if settings.ICDC_BACKUP_KEY or settings.ICDC_BACKUP_KEY_FILE:
        sources.append(KeySource(Purpose.BACKUP, current, ring.get(current), _where()))
    return sources

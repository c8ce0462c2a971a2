"""The HMAC key, kept outside the database (settings ICDC_AUDIT_KEY or a key file).

Whoever can write the database must not be able to recompute the chain, so the key never
goes into it. Rotation: give the new key a new ICDC_AUDIT_KEY_ID and keep the old one in
ICDC_AUDIT_OLD_KEYS ({key id: hex key}) so records signed with it still verify.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from icdc.lib.keyfiles import read_or_create


def _load_key_file(path):
    """The embedded profile's key, created on first use (see ``icdc.lib.keyfiles``)."""
    return read_or_create(path, lambda: secrets.token_hex(32)).strip()


def keyring():
    """All known keys by id; old ids stay verifiable after a rotation (ICDC_AUDIT_OLD_KEYS)."""
    current = settings.ICDC_AUDIT_KEY or _load_key_file(settings.ICDC_AUDIT_KEY_FILE)
    ring = dict(getattr(settings, "ICDC_AUDIT_OLD_KEYS", {}))
    ring[settings.ICDC_AUDIT_KEY_ID] = current
    try:
        return {kid: bytes.fromhex(hexkey) for kid, hexkey in ring.items()}
    except ValueError as exc:
        raise ImproperlyConfigured("ICDC_AUDIT_KEY must be hex") from exc


def current_key():
    kid = settings.ICDC_AUDIT_KEY_ID
    return kid, keyring()[kid]

"""The HMAC key, kept outside the database (settings ICDC_AUDIT_KEY or a key file)."""

import secrets

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _load_key_file(path):
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


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

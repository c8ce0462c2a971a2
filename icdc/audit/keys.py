"""The HMAC key, kept outside the database (settings ICDC_AUDIT_KEY or a key file).

Whoever can write the database must not be able to recompute the chain, so the key never
goes into it. Rotation: give the new key a new ICDC_AUDIT_KEY_ID and keep the old one in
ICDC_AUDIT_OLD_KEYS ({key id: hex key}) so records signed with it still verify.

The embedded profile's key file is created at first set-up only; once records are signed
with it, a missing file or another key under the same id is refused, never replaced
(``icdc.keyring.services``).
"""

import secrets

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from icdc.keyring.purposes import Purpose


def _where():
    return "ICDC_AUDIT_KEY" if settings.ICDC_AUDIT_KEY else str(settings.ICDC_AUDIT_KEY_FILE)


def _current_hex(create):
    if settings.ICDC_AUDIT_KEY:
        return settings.ICDC_AUDIT_KEY
    from icdc.keyring.services import key_file_read

    text = key_file_read(settings.ICDC_AUDIT_KEY_FILE, purpose=Purpose.AUDIT, key_id=settings.ICDC_AUDIT_KEY_ID,
                         make_content=lambda: secrets.token_hex(32), create=create)
    return None if text is None else text.strip()


def keyring(*, create=True):
    """All known keys by id; old ids stay verifiable after a rotation (ICDC_AUDIT_OLD_KEYS).

    ``create=False`` (checks, verification): a missing key file is left out, not created.
    """
    ring = dict(getattr(settings, "ICDC_AUDIT_OLD_KEYS", {}))
    current = _current_hex(create)
    if current is not None:
        ring[settings.ICDC_AUDIT_KEY_ID] = current
    try:
        return {kid: bytes.fromhex(hexkey) for kid, hexkey in ring.items()}
    except ValueError as exc:
        raise ImproperlyConfigured("ICDC_AUDIT_KEY must be hex") from exc


def current_key():
    """(id, key) new records are signed with, confirmed against the recorded fingerprint."""
    from icdc.keyring.services import fingerprint_confirm

    kid = settings.ICDC_AUDIT_KEY_ID
    key = keyring()[kid]
    fingerprint_confirm(purpose=Purpose.AUDIT, key_id=kid, key=key, where=_where())
    return kid, key


def key_sources():
    """Every configured audit key, without creating any (``icdc.keyring`` start-up check)."""
    from icdc.keyring.services import KeySource

    ring = keyring(create=False)
    sources = [KeySource(Purpose.AUDIT, kid, key, f"ICDC_AUDIT_OLD_KEYS[{kid}]") for kid, key in ring.items()
               if kid != settings.ICDC_AUDIT_KEY_ID]
    current = settings.ICDC_AUDIT_KEY_ID
    return [*sources, KeySource(Purpose.AUDIT, current, ring.get(current), _where())]

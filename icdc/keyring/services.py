"""Keys are born once, and a missing or substituted key is refused, never replaced (密钥管理).

Three kinds of key live outside the database (audit HMAC-SM3, SM4 data, backup signing).
The embedded profile keeps them in files under VAR_DIR and creates each on first use. That
convenience is only safe at first set-up: a key file that has gone missing (or an
``ICDC_VAR_DIR`` mistyped) must not turn into a fresh key under the same id, or new records
are sealed with a key that will never open once the real file is back. So:

- A key file is created only while nothing in the database depends on that key: no
  fingerprint recorded for it and no data sealed with it (``key_in_use``).
- At a key's first use its fingerprint — HMAC-SM3 of a fixed label under the key, which
  reveals nothing about the key — is stored in ``KeyFingerprint``; a different key under
  the same id is recognised and refused (``fingerprint_confirm``, ``key_problems``).

The refusal is ``KeyUnavailable`` (an ``ImproperlyConfigured``) with a message in Chinese
and English naming the key and where it was looked for: operators read it in a log.
"""

import hmac
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connections, models, transaction
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from icdc.audit.actions import stored_codes
from icdc.lib import keyfiles

from .models import KeyFingerprint
from .purposes import Purpose

FINGERPRINT_LABEL = b"icdc key fingerprint v1"
ENGLISH_NAMES = {Purpose.AUDIT: "audit HMAC key", Purpose.DATA: "SM4 data key", Purpose.BACKUP: "backup signing key"}


class KeyUnavailable(ImproperlyConfigured):
    """A key the database depends on is missing, or is not the key that was used."""


@dataclass(frozen=True)
class KeySource:
    """One configured key: its id, the key (None: its file does not exist) and where it comes from."""

    purpose: str
    key_id: str
    key: bytes | None
    where: str


def fingerprint_of(*, purpose, key_id, key):
    """HMAC-SM3 under ``key`` of a fixed label naming its purpose and id (never the key)."""
    return hmac.new(key, b"\0".join([FINGERPRINT_LABEL, purpose.encode(), key_id.encode()]), "sm3").hexdigest()


def _names(purpose):
    return str(Purpose(purpose).label), ENGLISH_NAMES[Purpose(purpose)]


def key_missing(*, purpose, key_id, where):
    zh, en = _names(purpose)
    return KeyUnavailable(
        _("缺少%(name)s“%(kid)s”（%(where)s）：数据库中已有依赖该密钥的数据，系统不会生成新密钥。"
          "请恢复原密钥文件或配置原密钥后再启动。") % {"name": zh, "kid": key_id, "where": where}
        + f" / Missing {en} \"{key_id}\" ({where}): the database holds data that depends on it, so no new key "
        "is created. Restore the key file or configure the original key, then start again.")


def key_wrong(*, purpose, key_id, where):
    zh, en = _names(purpose)
    return KeyUnavailable(
        _("%(name)s“%(kid)s”（%(where)s）与数据库中记录的密钥指纹不符：这不是原来的密钥。请配置原密钥。")
        % {"name": zh, "kid": key_id, "where": where}
        + f" / The {en} \"{key_id}\" ({where}) does not match the fingerprint recorded in the database: "
        "it is not the key that was used. Configure the original key.")


# --- what depends on a key ------------------------------------------------------------


def _audit_records(key_id, using):
    from icdc.audit.models import AuditRecord

    return AuditRecord._base_manager.using(using).filter(key_id=key_id).exists()


def _encrypted_values(key_id, using):
    """Any encrypted column (``EncryptedCharField``) holding a token sealed with ``key_id``."""
    prefix = f"sm4gcm:{key_id}:"
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if getattr(field, "encrypted", False):
                raw = Cast(field.name, models.TextField())
                if model._base_manager.using(using).annotate(icdc_raw=raw).filter(icdc_raw__startswith=prefix).exists():
                    return True
    return False


def _backups(key_id, using):
    from icdc.audit.models import AuditRecord

    return AuditRecord._base_manager.using(using).filter(action__in=stored_codes("backups.archive.create"), after__backup_key_id=key_id).exists()


DEPENDENTS = {Purpose.AUDIT: _audit_records, Purpose.DATA: _encrypted_values, Purpose.BACKUP: _backups}


def _migrated(using):
    """Before ``migrate`` nothing can depend on a key (and querying would fail)."""
    from icdc.audit.models import AuditRecord

    tables = set(connections[using].introspection.table_names())
    return {KeyFingerprint._meta.db_table, AuditRecord._meta.db_table} <= tables


def stored_fingerprint(*, purpose, key_id, using="default"):
    return (KeyFingerprint.objects.using(using).filter(purpose=purpose, key_id=key_id)
            .values_list("fingerprint", flat=True).first())


def key_in_use(*, purpose, key_id, using="default"):
    """Whether the database depends on this key: its fingerprint is recorded or data is sealed with it.

    Database errors propagate: when in doubt, no key is created.
    """
    if not _migrated(using):
        return False
    with transaction.atomic(using=using):  # a savepoint: a failed query must not break the caller's transaction
        return (stored_fingerprint(purpose=purpose, key_id=key_id, using=using) is not None
                or DEPENDENTS[Purpose(purpose)](key_id, using))


# --- loading and confirming -------------------------------------------------------------


def key_file_read(path, *, purpose, key_id, make_content, create=True, using="default"):
    """The key file's text. A missing file is created (owner-only) only at first set-up,
    i.e. while nothing depends on the key; otherwise ``KeyUnavailable`` names it.
    With ``create=False`` a missing file gives None (checks and verification never create keys)."""
    path = Path(path)
    if not path.exists():
        if not create:
            return None
        if key_in_use(purpose=purpose, key_id=key_id, using=using):
            raise key_missing(purpose=purpose, key_id=key_id, where=str(path))
    return keyfiles.read_or_create(path, make_content)


_confirmed = set()


def fingerprint_confirm(*, purpose, key_id, key, where, using="default"):
    """Refuse ``key`` if the database recorded another fingerprint for this id; record it if none.

    Called before a key seals anything new (an audit record, an SM4 token, a backup). Once
    per process and key: the answer cannot change while the process runs with this key.
    Recording is skipped where the database cannot take a write (a read-only snapshot, or
    before ``migrate``); the next write records it.
    """
    fingerprint = fingerprint_of(purpose=purpose, key_id=key_id, key=key)
    token = (using, purpose, key_id, fingerprint)
    if token in _confirmed:
        return
    recorded_now = False
    try:
        with transaction.atomic(using=using):  # a savepoint: see docstring
            stored = stored_fingerprint(purpose=purpose, key_id=key_id, using=using)
            if stored is None:
                KeyFingerprint.objects.using(using).bulk_create(
                    [KeyFingerprint(purpose=purpose, key_id=key_id, fingerprint=fingerprint)], ignore_conflicts=True)
                stored, recorded_now = stored_fingerprint(purpose=purpose, key_id=key_id, using=using), True
    except DatabaseError:
        return
    if stored is not None and not hmac.compare_digest(stored, fingerprint):
        raise key_wrong(purpose=purpose, key_id=key_id, where=where)
    if not recorded_now:  # our own insert may still roll back with the caller's transaction
        _confirmed.add(token)


def forget_confirmed(**kwargs):
    """Settings changed (tests) or a key was replaced: confirm again at next use."""
    _confirmed.clear()


def connect_cache_reset():
    from django.core.signals import setting_changed

    setting_changed.connect(forget_confirmed, dispatch_uid="icdc.keyring.forget_confirmed")


# --- start-up ---------------------------------------------------------------------------


def key_sources(purposes=(Purpose.AUDIT, Purpose.DATA, Purpose.BACKUP)):
    """Every configured key of these purposes, loaded without creating anything."""
    from icdc.audit import keys as audit_keys
    from icdc.backups import keys as backup_keys
    from icdc.lib import sm4

    loaders = {Purpose.AUDIT: audit_keys.key_sources, Purpose.DATA: sm4.key_sources,
               Purpose.BACKUP: backup_keys.key_sources}
    return [source for purpose in purposes for source in loaders[Purpose(purpose)]()]


def key_problems(*, using="default", purposes=(Purpose.AUDIT, Purpose.DATA), fingerprints=True):
    """What is wrong with the configured keys against this database, as messages (none: all well).

    A key whose file is missing while the database depends on it, and (``fingerprints``) a
    key whose fingerprint differs from the one recorded. Reads only; creates and records
    nothing. The database is consulted only if a key file is missing or ``fingerprints``.
    """
    sources = key_sources(purposes)
    if not fingerprints and all(source.key is not None for source in sources):
        return []
    if not _migrated(using):
        return []
    problems = []
    for source in sources:
        if source.key is None:
            if key_in_use(purpose=source.purpose, key_id=source.key_id, using=using):
                problems.append(key_missing(purpose=source.purpose, key_id=source.key_id, where=source.where))
            continue
        if not fingerprints:
            continue
        stored = stored_fingerprint(purpose=source.purpose, key_id=source.key_id, using=using)
        fingerprint = fingerprint_of(purpose=source.purpose, key_id=source.key_id, key=source.key)
        if stored is not None and not hmac.compare_digest(stored, fingerprint):
            problems.append(key_wrong(purpose=source.purpose, key_id=source.key_id, where=source.where))
    return [str(problem) for problem in problems]

"""Automatic auditing of programme data: every create, update and delete of a registered model.

An app registers its models once, from its ``AppConfig.ready()``::

    from icdc.audit.registry import audit_model
    audit_model(Application, exclude=["search_vector"])

Each ``save()`` and ``delete()`` then writes one record (``data.create``, ``data.update``,
``data.delete``) with the field values before and after — only the changed fields for an
update, nothing when nothing tracked changed. Values of password, secret, token and key
fields (``is_sensitive``) are never written; a change to one shows as ``"******"``.

Transactions: the record is written by ``record_event`` in the database transaction that
is open when the signal fires. ``delete()`` always runs in one (Django's collector opens
it), so a delete and its record commit together. ``save()`` fires ``post_save`` after
the row is written, so a save in autocommit mode commits before its record does; services
must wrap their writes in ``transaction.atomic()`` (house rule 3) to make the pair
atomic. ``QuerySet.update()``, ``bulk_create()`` and raw SQL send no signals and are not
recorded here: services that use them must call ``record_event`` themselves.

A service that already writes its own, more telling record of a change (``account.changed``
with the fields it chose) may wrap the save in ``audited_elsewhere()`` so the change is
recorded once, not twice (SECURITY.md: each event writes exactly one record).
"""

import contextlib
import contextvars
import datetime as dt
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save, pre_save

from .services import record_event

MASK = "******"
SENSITIVE_WORDS = ("password", "secret", "token", "private_key", "api_key", "otp_key")
SENSITIVE_NAMES = {"key", "pin", "salt"}
_BEFORE = "_icdc_audit_before"


@dataclass(frozen=True)
class TrackedModel:
    fields: tuple  # (name, field) pairs whose values are recorded
    masked: frozenset  # names recorded only as "changed"


_registry: dict[type, TrackedModel] = {}
_elsewhere = contextvars.ContextVar("icdc_audit_elsewhere", default=False)


@contextlib.contextmanager
def audited_elsewhere():
    """Within this block, saves and deletes of registered models write no ``data.*`` record,
    because the caller records the change itself, in the same transaction."""
    token = _elsewhere.set(True)
    try:
        yield
    finally:
        _elsewhere.reset(token)


def _spec(sender):
    return None if _elsewhere.get() else _registry.get(sender)


def is_sensitive(name):
    name = name.lower()
    return name in SENSITIVE_NAMES or any(word in name for word in SENSITIVE_WORDS)


def _is_personal(field):
    # Encrypted personal data, and its blind index (a digest of the same number).
    from icdc.lib.fields import BlindIndexField

    return getattr(field, "encrypted", False) or isinstance(field, BlindIndexField)


def track(model, exclude=()):
    """Which fields of ``model`` are recorded, and which only as changed."""
    exclude = set(exclude)
    tracked = tuple((f.name, f) for f in model._meta.concrete_fields if f.name not in exclude)
    return TrackedModel(fields=tracked, masked=frozenset(
        name for name, f in tracked if is_sensitive(name) or _is_personal(f)))


def audit_model(model, *, exclude=()):
    """Record every create/update/delete of ``model``; ``exclude`` names fields never recorded.

    Calling it again for the same model replaces its settings (idempotent, so ``ready()``
    may run twice in tests).
    """
    _registry[model] = track(model, exclude)
    uid = f"icdc.audit:{model._meta.label_lower}"
    pre_save.connect(_remember_before, sender=model, weak=False, dispatch_uid=f"{uid}:pre_save")
    post_save.connect(_record_save, sender=model, weak=False, dispatch_uid=f"{uid}:post_save")
    post_delete.connect(_record_delete, sender=model, weak=False, dispatch_uid=f"{uid}:post_delete")


def registered_models():
    return list(_registry)


def json_value(value):
    """A field value as JSON data (what the audit record stores and signs)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).isoformat()  # the same instant reads the same from any source
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")  # 1.50 from the database equals 1.5 on the instance
    if isinstance(value, uuid.UUID | dt.timedelta):
        return str(value)
    if isinstance(value, bytes | memoryview | bytearray):
        return f"<{len(value)} bytes>"
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "storage"):  # FieldFile
        return value.name or ""
    return str(value)


def _recorded(spec, name, value):
    return MASK if name in spec.masked else json_value(value)


class _Masked(str):
    """A masked field's value as compared between before and after: a digest of the value,
    kept in memory only. Comparing the ``MASK`` shown in the record instead would make a
    change of an encrypted or secret field alone invisible (both sides read "******")."""


def _compared(spec, name, value):
    if name not in spec.masked:
        return json_value(value)
    text = json.dumps(json_value(value), ensure_ascii=False, sort_keys=True, default=str)
    return _Masked(hashlib.new("sm3", text.encode()).hexdigest())


def _shown(value):
    return MASK if isinstance(value, _Masked) else value


def snapshot(instance, spec=None):
    spec = spec or _registry[type(instance)]
    return {name: _recorded(spec, name, f.value_from_object(instance)) for name, f in spec.fields}


def _comparable(instance, spec, names):
    fields = dict(spec.fields)
    return {name: _compared(spec, name, fields[name].value_from_object(instance)) for name in names}


def _stored(instance, spec, names, using):
    """The row as it is in the database now (None if there is none yet), masked fields as
    in-memory digests (``_Masked``)."""
    fields = dict(spec.fields)
    row = type(instance)._base_manager.using(using).filter(pk=instance.pk).values(*names).first()
    if row is None:
        return None
    return {name: _compared(spec, name, fields[name].to_python(row[name])) for name in names}


def _remember_before(sender, instance, raw=False, using=None, update_fields=None, **kwargs):
    spec = _spec(sender)
    # Raw saves are fixture loads (loaddata, backup restore): copies of rows whose history is
    # already in the chain; the loading command records the operation as one event.
    if spec is None or raw:
        return
    names = [name for name, _f in spec.fields]
    if update_fields is not None:
        names = [name for name in names if name in update_fields]
        if not names:  # e.g. last_login on every login: nothing we track
            instance.__dict__[_BEFORE] = ("skip", None)
            return
    if instance.pk is None or (instance._state.adding and instance._meta.pk.has_default()):
        before = None
    else:
        before = _stored(instance, spec, names, using)
    instance.__dict__[_BEFORE] = (names, before)


def _record_save(sender, instance, created, raw=False, using=None, **kwargs):
    names, before = instance.__dict__.pop(_BEFORE, (None, None))
    spec = _spec(sender)
    if spec is None or raw:
        return
    if names == "skip":
        return
    if created or before is None:
        record_event(action="audit.row.create", obj=instance, after=snapshot(instance, spec))
        return
    after = _comparable(instance, spec, names)
    changed = [name for name in names if before.get(name) != after[name]]
    if not changed:
        return
    # A masked field that changed shows as "******" on both sides: the record says it
    # changed, never what it was or became.
    record_event(
        action="audit.row.update",
        obj=instance,
        before={name: _shown(before[name]) for name in changed},
        after={name: _shown(after[name]) for name in changed},
    )


def _record_delete(sender, instance, using=None, **kwargs):
    spec = _spec(sender)
    if spec is not None:
        record_event(action="audit.row.delete", obj=instance, before=snapshot(instance, spec))

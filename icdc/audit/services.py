"""Writing audit records (安全审计). Every other app records through ``record_event``."""

import functools
import json
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models.sql import InsertQuery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icdc.lib.refusals import Refusal

from . import chain, context, keys
from .models import AuditChainHead, AuditRecord

#: Written when a writer finds the chain head row gone while records exist; ``verify_audit``
#: reports every such record as a finding (someone with the table owner's rights removed it).
HEAD_REBUILT_ACTION = "audit.chain.head_rebuilt"

_TEXT_FIELDS = ("actor_username", "actor_role", "ip_address", "action", "object_type", "object_id",
                "object_repr", "result", "detail")
_LIMITS = {name: AuditRecord._meta.get_field(name).max_length for name in _TEXT_FIELDS}


def _without_nul(value):
    # PostgreSQL refuses NUL in text and jsonb; dropping it before signing keeps the MAC true.
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    return value


def _json_safe(value):
    """The value exactly as the JSON column will give it back, on every supported database
    (so the MAC verifies later): JSON types only, no NUL, numbers in canonical form
    (``chain.canonical_number``: -0.0 → 0, 1.0 → 1, beyond ±2**53 as text: 1e16 → "1e+16").
    NaN and Infinity are refused: no database keeps them in a JSON column."""
    if value is None:
        return None
    try:
        return chain.canonical_json(_without_nul(json.loads(json.dumps(value, ensure_ascii=False, default=str))))
    except chain.NotFinite as exc:
        raise Refusal(_("审计记录不能包含非有限数值（NaN 或无穷大）：%(value)s"), code="audit_not_finite",
                      params={"value": str(exc)}) from exc


def _fit(record):
    """Make text fit its column *before* signing: a database that truncated or refused a
    value after the MAC was computed would turn an honest record into a 'tampered' one."""
    for name in _TEXT_FIELDS:
        value = str(getattr(record, name) or "").replace("\x00", "")
        limit = _LIMITS[name]
        setattr(record, name, value[:limit] if limit else value)


def signed_fields_of(record):
    """The MAC input of a stored or unsaved record, normalised the same way on both paths."""
    return chain.normalise({name: getattr(record, name) for name in chain.SIGNED_FIELDS})


_HEAD_TABLE = AuditChainHead._meta.db_table


@dataclass
class _Head:
    seq: int
    mac: str
    rebuilt: bool


def _lock_head():
    """Lock the chain head row (create it if missing) for the rest of the transaction.

    Every writer takes this lock, so records get consecutive ``seq`` numbers in commit
    order and each attaches to the one before: concurrent writers queue, the chain never
    forks (the unique ``seq`` and ``prev_mac`` columns would refuse a fork anyway).

    The head row is never deleted by the application. If it is gone while records exist,
    someone removed it (perhaps to hide records cut off the end): it is rebuilt from the
    newest record, so auditing goes on, and ``rebuilt`` is set so the writer records that.
    """
    with connection.cursor() as cursor:
        # Plain SQL: after the lock is granted, every microsecond here is one every other
        # writer waits (no model instance built inside the lock window).
        cursor.execute(f"SELECT seq, mac FROM {_HEAD_TABLE} WHERE id = 1 FOR UPDATE" if connection.features.has_select_for_update
                       else f"SELECT seq, mac FROM {_HEAD_TABLE} WHERE id = 1")
        row = cursor.fetchone()
    if row is not None:
        return _Head(seq=row[0], mac=row[1], rebuilt=False)
    latest = AuditRecord.objects.order_by("-seq").values("seq", "mac").first()
    seed = latest or {"seq": 0, "mac": chain.GENESIS_MAC}
    created = False
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(id=1, **seed)
            created = True
    except IntegrityError:
        pass  # another writer created it first; we wait for its commit below
    head = AuditChainHead.objects.select_for_update().get(id=1)
    return _Head(seq=head.seq, mac=head.mac, rebuilt=created and latest is not None)


def _prepare(key_id, key, **fields):
    """Build and pre-sign a record outside the chain-head lock (everything but its place)."""
    record = AuditRecord(seq=0, occurred_at=timezone.now(), algorithm=chain.ALGORITHM, key_id=key_id,
                         prev_mac="", **fields)
    _fit(record)
    record.before_text = chain.canonical_text_or_none(record.before)
    record.after_text = chain.canonical_text_or_none(record.after)
    return record, chain.Presigned(key, signed_fields_of(record))


@functools.cache
def _insert_sql():
    """INSERT of a record and UPDATE of the head in one statement (PostgreSQL): one round
    trip to the server inside the lock window instead of two."""
    fields = [f for f in AuditRecord._meta.concrete_fields if not f.primary_key]
    query = InsertQuery(AuditRecord)
    query.insert_values(fields, [AuditRecord(seq=0, occurred_at=timezone.now(), prev_mac="")])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [AuditRecord._meta.pk]
    ((insert, _params),) = compiler.as_sql()
    return fields, (f"WITH inserted AS ({insert}) UPDATE {_HEAD_TABLE} SET seq = %s, mac = %s WHERE id = 1 "
                    "RETURNING (SELECT id FROM inserted)")


def _append(head, record, signer):
    """Under the head lock: give the record its place after ``head``, finish its MAC, store
    it, move the head. Kept to the few statements that must be serialised."""
    record.seq, record.prev_mac = head.seq + 1, head.mac
    record.mac = signer.finish(record.seq, record.prev_mac)
    if connection.vendor == "postgresql":
        fields, sql = _insert_sql()
        params = [f.get_db_prep_save(f.pre_save(record, True), connection) for f in fields]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, record.seq, record.mac])
            record.pk = cursor.fetchone()[0]
        record._state.adding, record._state.db = False, connection.alias
    else:
        record.save()
        AuditChainHead.objects.filter(id=1).update(seq=record.seq, mac=record.mac)
    head.seq, head.mac = record.seq, record.mac
    return record


def record_event(
    *,
    action,
    request=None,
    user=None,
    obj=None,
    object_type="",
    object_id="",
    object_repr="",
    before=None,
    after=None,
    result="ok",
    detail="",
):
    """Append one record to the chain, inside the caller's transaction if there is one.

    Being in the caller's transaction is the point: a change that rolls back leaves no
    record of having happened, and a record that cannot be written rolls the change back
    (no unaudited change). Actor and IP come from ``request`` or the request being served
    (``AuditContextMiddleware``); outside a request (management commands) they are empty.
    """
    request = request or context.current_request()
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    key_id, key = keys.current_key()
    # Built and signed (all but seq and prev_mac) before the lock: concurrent writers
    # queue only for the append itself (issue 12: 4 writers at least as fast as one).
    record, signer = _prepare(
        key_id, key,
        actor_id=getattr(user, "pk", None),
        actor_username=getattr(user, "username", "") or (context.attempted_username(request) or ""),
        actor_role=getattr(user, "role", "") or "",
        ip_address=context.client_ip(request),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        before=_json_safe(before),
        after=_json_safe(after),
        result=result,
        detail=detail,
    )
    with transaction.atomic():
        head = _lock_head()
        if head.rebuilt:
            _append(head, *_prepare(key_id, key, action=HEAD_REBUILT_ACTION, result="error",
                                    object_type="audit.auditchainhead",
                                    detail=f"chain head row was missing; rebuilt at seq {head.seq}"))
        return _append(head, record, signer)

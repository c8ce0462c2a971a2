"""Writing audit records (安全审计). Every other app records through ``record_event``."""

import json

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import chain, context, keys
from .models import AuditChainHead, AuditRecord

_TEXT_FIELDS = ("actor_username", "actor_role", "ip_address", "action", "object_type", "object_id",
                "object_repr", "result", "detail")


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
    """The value exactly as the JSON column will give it back (so the MAC verifies later)."""
    if value is None:
        return None
    return _without_nul(json.loads(json.dumps(value, ensure_ascii=False, default=str)))


def _fit(record):
    """Make text fit its column *before* signing: a database that truncated or refused a
    value after the MAC was computed would turn an honest record into a 'tampered' one."""
    for name in _TEXT_FIELDS:
        value = str(getattr(record, name) or "").replace("\x00", "")
        limit = AuditRecord._meta.get_field(name).max_length
        setattr(record, name, value[:limit] if limit else value)


def signed_fields_of(record):
    """The MAC input of a stored or unsaved record, normalised the same way on both paths."""
    return chain.normalise({name: getattr(record, name) for name in chain.SIGNED_FIELDS})


def _lock_head():
    """Lock the chain head row (create it if missing) for the rest of the transaction.

    Every writer takes this lock, so records get consecutive ``seq`` numbers in commit
    order and each attaches to the one before: concurrent writers queue, the chain never
    forks (the unique ``seq`` and ``prev_mac`` columns would refuse a fork anyway).

    The head row is never deleted by the application. If it is gone while records exist,
    someone removed it (perhaps to hide records cut off the end): it is rebuilt from the
    newest record, so auditing goes on, and ``rebuilt`` is set so the writer records that.
    """
    head = AuditChainHead.objects.select_for_update().filter(id=1).first()
    if head is not None:
        head.rebuilt = False
        return head
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
    head.rebuilt = created and latest is not None
    return head


def _append(head, key_id, key, **fields):
    """Sign ``fields`` as the record after ``head`` and store it; the head moves on."""
    record = AuditRecord(seq=head.seq + 1, occurred_at=timezone.now(), algorithm=chain.ALGORITHM,
                         key_id=key_id, prev_mac=head.mac, **fields)
    _fit(record)
    record.mac = chain.compute_mac(key, signed_fields_of(record))
    record.save()
    head.seq, head.mac = record.seq, record.mac
    AuditChainHead.objects.filter(id=1).update(seq=record.seq, mac=record.mac)
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
    with transaction.atomic():
        head = _lock_head()
        if head.rebuilt:
            _append(head, key_id, key, action="audit.head_rebuilt", result="error",
                    object_type="audit.auditchainhead",
                    detail=f"chain head row was missing; rebuilt at seq {head.seq}")
        return _append(
            head, key_id, key,
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

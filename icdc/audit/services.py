"""Writing audit records (安全审计). Every other app records through ``record_event``."""

import datetime as dt
import json

from django.db import transaction
from django.utils import timezone

from . import chain, context, keys
from .models import AuditChainHead, AuditRecord


def _json_safe(value):
    if value is None:
        return None
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def signed_fields_of(record):
    """The MAC input of a stored or unsaved record, normalised the same way on both paths."""
    fields = {name: getattr(record, name) for name in chain.SIGNED_FIELDS}
    fields["occurred_at"] = record.occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return fields


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

    Locks the chain head, so concurrent writers queue rather than fork the chain.
    """
    request = request or context.current_request()
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    key_id, key = keys.current_key()
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        record = AuditRecord(
            seq=head.seq + 1,
            occurred_at=timezone.now(),
            actor_id=getattr(user, "pk", None),
            actor_username=getattr(user, "username", "") or (context.attempted_username(request) or ""),
            actor_role=getattr(user, "role", "") or "",
            ip_address=context.client_ip(request),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=object_repr,
            before=_json_safe(before),
            after=_json_safe(after),
            result=result,
            detail=detail,
            algorithm=chain.ALGORITHM,
            key_id=key_id,
            prev_mac=head.mac,
        )
        record.mac = chain.compute_mac(key, signed_fields_of(record))
        record.save(force_insert=True)
        head.seq, head.mac = record.seq, record.mac
        head.save(update_fields=["seq", "mac"])
    return record

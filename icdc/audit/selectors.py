"""Reading the audit trail for the audit administrator's pages and exports."""

import datetime as dt

from django.utils import timezone

from . import actions
from .models import AuditRecord, Result


def _start_of(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filtered_records(filters):
    """Records matching the filter form's values, newest first. Dates are local (Asia/Shanghai)
    calendar days, both ends inclusive; actor is a substring; action is a registered code (with
    its old names, ``actions.RENAMED``) and object type exact."""
    records = AuditRecord.objects.order_by("-seq")
    if "date_from" in filters:
        records = records.filter(occurred_at__gte=_start_of(filters["date_from"]))
    if "date_to" in filters:
        records = records.filter(occurred_at__lt=_start_of(filters["date_to"] + dt.timedelta(days=1)))
    if "actor" in filters:
        records = records.filter(actor_username__icontains=filters["actor"])
    if "role" in filters:
        records = records.filter(actor_role=filters["role"])
    if "action" in filters:
        records = records.filter(action__in=actions.codes_for(filters["action"]))
    if "result" in filters:
        records = records.filter(result=filters["result"])
    if "object_type" in filters:
        records = records.filter(object_type=filters["object_type"])
    return records


def list_page_records(filters):
    """For the paginated list: the large change payloads stay in the database."""
    return filtered_records(filters).defer("before", "after", "before_text", "after_text")


def describe_filters(filters):
    """Filters as JSON data, for the record an export leaves behind."""
    return {name: value.isoformat() if hasattr(value, "isoformat") else value for name, value in filters.items()}


def summary(now=None):
    """The auditor's home page figures: totals, the last 24 hours, the last verification."""
    now = now or timezone.now()
    recent = AuditRecord.objects.filter(occurred_at__gte=now - dt.timedelta(hours=24))
    return {
        "total": AuditRecord.objects.count(),
        "last_24h": recent.count(),
        "denied_24h": recent.filter(result="denied").count(),
        "failed_24h": recent.filter(result="failed").count(),
        "rejected_24h": recent.filter(result=Result.REJECTED).count(),
        "last_verify": AuditRecord.objects.filter(action__in=actions.codes_for("audit.chain.verify"))
        .defer("before", "after", "before_text", "after_text").first(),
    }

"""Notifications as rows, for pages and counts (services.notify is tested on its own)."""

import datetime as dt

from django.utils import timezone

from icdc.notifications.models import Notification


def make_notification(recipient, title="申报已退回", *, read=False, minutes_ago=0, **extra):
    created = timezone.now() - dt.timedelta(minutes=minutes_ago)
    return Notification.objects.create(
        recipient=recipient, kind=extra.pop("kind", "test.event"), title=title, created_at=created,
        read_at=created if read else None, **extra,
    )

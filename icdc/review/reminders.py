"""Reminders before a review window closes (issue 14 item 5), found by the notifications app's
registry (``manage.py send_reminders``): 2 days and 1 day before the window closes, each expert
with unsubmitted sheets in the batch's current panels is reminded once per lead time (and per
closing time: a window moved later reminds again). Only the nearest lead time is due at a time.
"""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from icdc.batches.models import SHANGHAI
from icdc.notifications import reminders

from .models import Expert, ReviewWindow

#: Days before the window closes a reminder is due, largest first.
LEAD_DAYS = (2, 1)
KIND = "review.window.closing"


def _lead(closes_at, now):
    if now >= closes_at:
        return None
    for index, days in enumerate(LEAD_DAYS):
        later = LEAD_DAYS[index + 1] if index + 1 < len(LEAD_DAYS) else 0
        if closes_at - datetime.timedelta(days=days) <= now < closes_at - datetime.timedelta(days=later):
            return days
    return None


@reminders.register
def review_window_closing(*, now):
    """Every reminder due at ``now`` for the open review windows."""
    from .progress import unsubmitted_experts

    now = now or timezone.now()
    windows = ReviewWindow.objects.filter(Q(closed_at__isnull=True), opens_at__lte=now, closes_at__gt=now)
    for window in windows.select_related("batch"):
        days = _lead(window.closes_at, now)
        if not days:
            continue
        due = unsubmitted_experts(window.batch)
        stamp = int(window.closes_at.timestamp())
        for expert in Expert.objects.filter(pk__in=due, is_active=True).select_related("account").order_by("pk"):
            yield reminders.Due(
                key=f"review:{window.batch_id}:window:{stamp}:{days}d:expert:{expert.pk}",
                recipients=[expert.account], kind=KIND, link=reverse("scoring:tasks"),
                title=format_lazy(_("{batch}：专家评审将于 {days} 天内截止，您还有 {n} 份评分表未提交"),
                                  batch=window.batch.title, days=days, n=due[expert.pk]),
                body=format_lazy(_("截止时间：{deadline}（北京时间）"),
                                 deadline=window.closes_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")))


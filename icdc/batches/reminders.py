"""Reminders before a batch's deadlines (issue 13 item 10), found by the notifications app's
registry (``manage.py send_reminders``). Each goes out once per user, deadline and lead time,
however often the scheduler runs: ``remind_once`` keys on exactly that.

- 3 days and 1 day before the **city deadline**: city applicants whose application in the batch
  is still a draft (art. 10: submit before the deadline).
- 3 days and 1 day before the **province forwarding deadline**: city applicants with a return to
  answer, and provincial officials with applications waiting for their 初审.

Only the nearest lead time is due at a time (a scheduler that was down for the 3-day window
sends the 1-day reminder, not both).
"""

import datetime

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from icdc.accounts.models import Role
from icdc.notifications import reminders

from . import workflow
from .models import Batch

#: Days before a deadline a reminder is due, largest first.
LEAD_DAYS = (3, 1)


def lead_time_due(deadline, now):
    """The lead time (days) whose window ``now`` is in, or None: [deadline − 3d, deadline − 1d) → 3,
    [deadline − 1d, deadline) → 1."""
    if deadline is None or now >= deadline:
        return None
    for index, days in enumerate(LEAD_DAYS):
        start = deadline - datetime.timedelta(days=days)
        later = LEAD_DAYS[index + 1] if index + 1 < len(LEAD_DAYS) else 0
        end = deadline - datetime.timedelta(days=later)
        if start <= now < end:
            return days
    return None


def _users(role, division_ids):
    from django.contrib.auth import get_user_model

    if not division_ids:
        return []
    return list(get_user_model().objects.filter(role=role, is_active=True, division_id__in=division_ids)
                .order_by("pk"))


def _due(batch, deadline_name, days, users, kind, title, link):
    for user in users:
        yield reminders.Due(key=f"batch:{batch.pk}:{deadline_name}:{days}d:user:{user.pk}", recipients=[user],
                            kind=kind, title=title, link=link,
                            body=format_lazy(_("截止时间：{deadline}（北京时间）"),
                                             deadline=getattr(batch, f"{deadline_name}_display")))


@reminders.register
def batch_deadlines(*, now):
    """Every reminder due at ``now`` for the open and closed batches."""
    from icdc.applications import workflow as application_workflow
    from icdc.applications.models import Application

    for batch in Batch.objects.filter(status__in=(workflow.OPEN, workflow.CLOSED)).defer("programme_document"):
        link = reverse("batches:detail", args=[batch.pk])
        days = lead_time_due(batch.city_deadline, now) if batch.status == workflow.OPEN else None
        if days:
            drafts = Application.objects.filter(batch=batch, status=application_workflow.DRAFT)
            yield from _due(batch, "city_deadline", days,
                            _users(Role.CITY_APPLICANT, list(drafts.values_list("city_id", flat=True))),
                            "batches.batch.city_deadline",
                            format_lazy(_("{batch}：城市申报将于 {days} 天内截止，本市申报尚未提交"),
                                        batch=batch.title, days=days), link)
        days = lead_time_due(batch.province_deadline, now)
        if days:
            returned = Application.objects.filter(batch=batch, status=application_workflow.RETURNED)
            yield from _due(batch, "province_deadline", days,
                            _users(Role.CITY_APPLICANT, list(returned.values_list("city_id", flat=True))),
                            "batches.batch.province_deadline",
                            format_lazy(_("{batch}：退回修改的申报须在 {days} 天内重新提交"),
                                        batch=batch.title, days=days), link)
            waiting = Application.objects.filter(batch=batch, status=application_workflow.SUBMITTED)
            yield from _due(batch, "province_deadline", days,
                            _users(Role.PROVINCIAL_OFFICIAL, list(waiting.values_list("province_id", flat=True))),
                            "batches.batch.province_deadline",
                            format_lazy(_("{batch}：省级报送将于 {days} 天内截止，尚有申报待初审"),
                                        batch=batch.title, days=days), link)

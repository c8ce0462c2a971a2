"""Reads for the batch pages and the home pages: which batches a user sees, and time left."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from icdc.accounts.models import Role

from . import workflow
from .models import SHANGHAI, Batch


def batches_for(user):
    """The Ministry sees every batch; cities and provinces see the batches that are (or were) open."""
    batches = Batch.objects.select_related("indicator_version").defer("programme_document")
    if user.role == Role.MINISTRY_OFFICER:
        return batches
    return batches.exclude(status=workflow.DRAFT)


def open_batches():
    return Batch.objects.filter(status=workflow.OPEN).defer("programme_document").order_by("city_deadline", "pk")


def batch_detail(pk):
    return Batch.objects.select_related("indicator_version", "created_by").get(pk=pk)


@dataclass(frozen=True)
class Countdown:
    """Time left until a deadline, computed on the server (the page is right without JavaScript).

    ``days``/``hours``/``minutes`` are whole units left; ``due_today`` is true when the deadline
    falls on today's date in Beijing time (Asia/Shanghai), whatever the server's own zone.
    """

    deadline: datetime.datetime
    days: int
    hours: int
    minutes: int
    passed: bool
    due_today: bool

    @property
    def deadline_local(self):
        return self.deadline.astimezone(SHANGHAI)

    @property
    def iso(self):
        return self.deadline.isoformat()


def countdown(deadline, now=None):
    """The countdown to ``deadline`` (an aware instant) at ``now``; None without a deadline."""
    if deadline is None:
        return None
    now = now or timezone.now()
    left = deadline - now
    passed = left <= datetime.timedelta(0)
    seconds = 0 if passed else int(left.total_seconds())
    return Countdown(deadline=deadline, days=seconds // 86400, hours=seconds % 86400 // 3600,
                     minutes=seconds % 3600 // 60, passed=passed,
                     due_today=not passed and deadline.astimezone(SHANGHAI).date() == now.astimezone(SHANGHAI).date())


def days_left(deadline, now=None):
    """Whole calendar days (Beijing time) from today to the deadline's day: 0 on the day itself."""
    if deadline is None:
        return None
    now = now or timezone.now()
    return (deadline.astimezone(SHANGHAI).date() - now.astimezone(SHANGHAI).date()).days


def needs_action(batch, now=None):
    """What the Ministry should do with a batch now (a transition name), or ""."""
    now = now or timezone.now()
    if batch.status == workflow.DRAFT:
        return "open"
    if batch.status == workflow.OPEN and batch.city_deadline and batch.city_deadline <= now:
        return "close"
    if batch.status == workflow.CLOSED and batch.province_deadline and batch.province_deadline <= now:
        return "start_review"
    return ""

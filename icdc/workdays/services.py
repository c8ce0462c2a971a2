"""Entering a year's holiday schedule (the only write of this app)."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icdc.accounts.decorators import require_perm
from icdc.audit.services import record_event
from icdc.lib.refusals import Refusal

from .calendar import check_schedule
from .models import YearSchedule

PERMISSION = "workdays.manage_schedule"
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _iso(dates):
    return sorted({d.isoformat() if isinstance(d, datetime.date) else str(d) for d in dates})


def year_schedule_save(*, year: int, holidays, working_days, note: str, user, revision: int | None = None,
                       request=None) -> YearSchedule:
    """Create or replace ``year``'s schedule; audited ``workdays.schedule.create`` / ``.update``
    with the schedule before and after. ``revision``: the revision the officer edited (None for a
    new year); when someone saved in between, refused with nothing written."""
    require_perm(user, PERMISSION, request=request)
    note = (note or "").replace("\x00", "").strip()
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Refusal(_("年度须在 %(first)s 至 %(last)s 之间。"), code="year_range",
                      params={"first": FIRST_YEAR, "last": LAST_YEAR})
    if not note:
        raise Refusal(_("请填写依据：国务院办公厅通知的名称或文号。"), code="note_required")
    problems = check_schedule(year, holidays, working_days)
    outside = [d for d in (*holidays, *working_days) if d.year != year]
    if outside:
        problems.insert(0, str(_("日期 %(date)s 不在 %(year)s 年内。") % {"date": outside[0].isoformat(), "year": year}))
    if problems:
        raise Refusal("；".join(str(p) for p in problems), code="schedule_invalid")
    after = {"year": year, "holidays": _iso(holidays), "working_days": _iso(working_days), "note": note[:300]}
    try:
        with transaction.atomic():
            existing = YearSchedule.objects.filter(year=year).first()
            if existing is None:
                if revision:
                    raise _stale()
                entry = YearSchedule.objects.create(**after, entered_by=user, entered_at=timezone.now())
                record_event(action="workdays.schedule.create", request=request, user=user, obj=entry,
                             after=after, detail=note[:2000])
                return entry
            if revision != existing.revision:
                raise _stale()
            before = {"year": year, "holidays": existing.holidays, "working_days": existing.working_days,
                      "note": existing.note}
            # Compare-and-set on the revision: of two officers saving the same revision, one wins.
            changed = YearSchedule.objects.filter(pk=existing.pk, revision=revision).update(
                **{k: v for k, v in after.items() if k != "year"}, entered_by=user, entered_at=timezone.now(),
                updated_at=timezone.now(), revision=revision + 1)
            if not changed:
                raise _stale()
            entry = YearSchedule.objects.get(pk=existing.pk)
            record_event(action="workdays.schedule.update", request=request, user=user, obj=entry,
                         before=before, after=after, detail=note[:2000])
            return entry
    except IntegrityError:  # another officer created the same year at the same moment
        raise _stale() from None


def _stale():
    return Refusal(_("该年度安排刚被他人录入或修改，请刷新页面，核对后再保存。"), code="stale")

"""Reading the working-day calendar: the library's years overlaid by the years officers entered.

Other apps ask here, never the library directly::

    work_calendar() -> WorkCalendar                       # refuses unknown years (ScheduleUnknown)
    notice_period(published_on, working_days) -> (first, last)   # Refusal for an unknown year
    counts_publication_day() -> bool                      # settings.ICDC_NOTICE_COUNTS_PUBLICATION_DAY
"""

import datetime
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings

from icdc.lib.refusals import Refusal

from .calendar import ScheduleUnknown, WorkCalendar
from .calendar import YearSchedule as Plan
from .calendar import library_schedules as _library_schedules
from .models import YearSchedule


@lru_cache(maxsize=1)
def library_schedules():
    """chinese-calendar's years, read once per process (the installed package does not change)."""
    return _library_schedules()


def entered_plan(entry: YearSchedule) -> Plan:
    return Plan(entry.year, frozenset(map(datetime.date.fromisoformat, entry.holidays)),
                frozenset(map(datetime.date.fromisoformat, entry.working_days)), "entered", entry.note)


def work_calendar() -> WorkCalendar:
    """The calendar in force: every library year, each entered year replacing or adding its own."""
    plans = dict(library_schedules())
    for entry in YearSchedule.objects.all():
        plans[entry.year] = entered_plan(entry)
    return WorkCalendar(plans)


def counts_publication_day() -> bool:
    return bool(getattr(settings, "ICDC_NOTICE_COUNTS_PUBLICATION_DAY", False))


def as_refusal(exc: ScheduleUnknown) -> Refusal:
    return Refusal(exc.message, code="schedule_unknown")


def notice_period(published_on: datetime.date, working_days: int, *, count_publication_day=None):
    """(first day, last day) of a public notice of ``working_days`` working days published on
    ``published_on``; the convention is the setting unless given. Refusal for an unknown year."""
    if count_publication_day is None:
        count_publication_day = counts_publication_day()
    try:
        return work_calendar().period(published_on, working_days, count_start_day=count_publication_day)
    except ScheduleUnknown as exc:
        raise as_refusal(exc) from None


@dataclass(frozen=True)
class KnownYear:
    year: int
    library: bool
    entry: YearSchedule | None
    holidays: int
    working_days: int

    @property
    def source(self):
        return "entered" if self.entry else "library"


def known_years():
    """Every year the calendar knows, newest first: from the library, entered, or both (entered wins)."""
    library = library_schedules()
    entries = {entry.year: entry for entry in YearSchedule.objects.select_related("entered_by")}
    out = []
    for year in sorted(set(library) | set(entries), reverse=True):
        entry = entries.get(year)
        plan = entered_plan(entry) if entry else library[year]
        out.append(KnownYear(year, year in library, entry, len(plan.holidays), len(plan.working_days)))
    return out


def plan_for(year):
    """The schedule in force for ``year`` (entered first, then library), or None."""
    entry = YearSchedule.objects.filter(year=year).first()
    if entry is not None:
        return entered_plan(entry), entry
    return library_schedules().get(year), None

"""Chinese working days (工作日) as plain data and arithmetic: no Django, no database.

A working day is a Monday to Friday that is not an official holiday (法定节假日), or a Saturday or
Sunday the State Council made a working day (调休上班). Which days those are is decided each year
by the 国务院办公厅 notice, published in November or December: it cannot be derived from a rule.
So the calendar knows a year only when it is given that year's schedule, and **refuses** (raises
``ScheduleUnknown`` naming the year) whenever a computation touches a year it was not given,
rather than guessing that the year has no holidays.

Building one::

    YearSchedule(year, holidays=frozenset[date], working_days=frozenset[date], source="library")
    library_schedules() -> {year: YearSchedule}      # chinese-calendar's 2004–2026
    WorkCalendar({year: YearSchedule, ...})

Asking it::

    .is_working_day(day) -> bool
    .add_working_days(start, n, *, count_start_day) -> date
        # the last day of a period of ``n`` working days beginning at ``start``. With
        # ``count_start_day`` a working ``start`` is day 1 (a notice published that day counts it);
        # without it day 1 is the first working day after ``start``.
    .period(start, n, *, count_start_day) -> (first_day, last_day)
    .working_days_between(a, b) -> int
        # working days d with a < d <= b (so ``add_working_days(a, n, count_start_day=False)``
        # is the first b with ``working_days_between(a, b) == n``); negative when b < a.

Reading an officer's text (``parse_dates(text, year)``): one date per line ``YYYY-MM-DD`` or a
range ``YYYY-MM-DD~YYYY-MM-DD`` (also ``..`` or ``至``); ``check_schedule`` lists what is wrong
with a year's entry, each problem in Chinese.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from icdc.programmes.validation import _  # translated inside Django, plain Chinese outside

MAX_PERIOD_DAYS = 366 * 3  # a period longer than this is a typo, not a notice
RANGE_SEPARATORS = re.compile(r"\s*(?:~|～|\.\.|至|—|–)\s*")


def gettext_noop(message):
    """Marks a string for the catalogue (makemessages knows this name) without translating it yet."""
    return message


WEEKDAYS = (gettext_noop("星期一"), gettext_noop("星期二"), gettext_noop("星期三"), gettext_noop("星期四"),
            gettext_noop("星期五"), gettext_noop("星期六"), gettext_noop("星期日"))


class ScheduleUnknown(LookupError):
    """A computation needed a year whose holiday schedule the calendar was not given."""

    def __init__(self, year):
        self.year = year
        super().__init__(self.message)

    @property
    def message(self):
        return _("%(year)s 年的节假日安排尚未录入，无法计算工作日；请先在平台录入该年度安排。") % {"year": self.year}


@dataclass(frozen=True)
class YearSchedule:
    """One year's official schedule: holidays (days off, weekends inside a holiday included or not)
    and adjusted working days (Saturdays or Sundays worked). ``source``: "library" or "entered"."""

    year: int
    holidays: frozenset = field(default_factory=frozenset)
    working_days: frozenset = field(default_factory=frozenset)
    source: str = "library"
    note: str = ""


def library_schedules() -> dict[int, YearSchedule]:
    """The years ``chinese-calendar`` knows (2004–2026 in 1.11.0), one ``YearSchedule`` each."""
    from chinese_calendar import constants

    years: dict[int, tuple[set, set]] = {}
    for day in constants.holidays:
        years.setdefault(day.year, (set(), set()))[0].add(day)
    for day in constants.workdays:
        years.setdefault(day.year, (set(), set()))[1].add(day)
    return {year: YearSchedule(year, frozenset(h), frozenset(w), "library", "chinese-calendar")
            for year, (h, w) in sorted(years.items())}


class WorkCalendar:
    def __init__(self, schedules: dict[int, YearSchedule]):
        self.schedules = dict(schedules)

    @property
    def years(self):
        return sorted(self.schedules)

    def schedule(self, year) -> YearSchedule:
        try:
            return self.schedules[year]
        except KeyError:
            raise ScheduleUnknown(year) from None

    def is_working_day(self, day: datetime.date) -> bool:
        schedule = self.schedule(day.year)
        if day in schedule.working_days:
            return True
        return day.weekday() < 5 and day not in schedule.holidays

    def add_working_days(self, start: datetime.date, n: int, *, count_start_day: bool) -> datetime.date:
        return self.period(start, n, count_start_day=count_start_day)[1]

    def period(self, start: datetime.date, n: int, *, count_start_day: bool):
        """(first working day, last working day) of ``n`` working days beginning at ``start``."""
        if n < 1:
            raise ValueError("a period has at least one working day")
        day = start if count_start_day else start + datetime.timedelta(days=1)
        first, counted = None, 0
        for _step in range(MAX_PERIOD_DAYS):
            if self.is_working_day(day):
                counted += 1
                first = first or day
                if counted == n:
                    return first, day
            day += datetime.timedelta(days=1)
        raise ValueError("period too long")

    def working_days_between(self, a: datetime.date, b: datetime.date) -> int:
        if b < a:
            return -self.working_days_between(b, a)
        count, day = 0, a + datetime.timedelta(days=1)
        while day <= b:
            count += self.is_working_day(day)
            day += datetime.timedelta(days=1)
        return count


# --- an officer's entry -------------------------------------------------------------------------

def _date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def parse_dates(text: str, year: int) -> tuple[list[datetime.date], list[str]]:
    """The dates of ``text`` (one date or range per line; blank lines and ``#`` comments ignored)
    and the problems found, each in Chinese naming the line. Dates outside ``year`` are problems."""
    dates, problems = [], []
    for number, raw in enumerate((text or "").replace("\x00", "").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = RANGE_SEPARATORS.split(line)
        bounds = [_date(p.strip()) for p in parts]
        if len(parts) > 2 or None in bounds:
            problems.append(_("第 %(line)s 行“%(text)s”不是日期：请写 YYYY-MM-DD，或日期范围 YYYY-MM-DD~YYYY-MM-DD。")
                            % {"line": number, "text": line[:40]})
            continue
        first, last = bounds[0], bounds[-1]
        if last < first:
            problems.append(_("第 %(line)s 行的日期范围起止颠倒（%(text)s）。") % {"line": number, "text": line[:40]})
            continue
        outside = [d for d in (first, last) if d.year != year]
        if outside:
            problems.append(_("第 %(line)s 行的日期 %(date)s 不在 %(year)s 年内：每个年度只录入本年的日期。")
                            % {"line": number, "date": outside[0].isoformat(), "year": year})
            continue
        if (last - first).days > 31:
            problems.append(_("第 %(line)s 行的日期范围超过 31 天（%(text)s），请检查。") % {"line": number, "text": line[:40]})
            continue
        day = first
        while day <= last:
            dates.append(day)
            day += datetime.timedelta(days=1)
    return sorted(set(dates)), problems


def check_schedule(year: int, holidays, working_days) -> list[str]:
    """What is wrong with a year's holidays and adjusted working days (empty: nothing)."""
    problems = []
    if not holidays:
        problems.append(_("请至少录入一个法定节假日：每年的安排都有节假日。"))
    for day in sorted(set(holidays) & set(working_days)):
        problems.append(_("%(date)s 既列为节假日又列为调休上班日，只能是其中一种。") % {"date": day.isoformat()})
    for day in sorted(set(working_days) - set(holidays)):
        if day.weekday() < 5:
            problems.append(_("调休上班日只能是星期六或星期日：%(date)s 是%(weekday)s，本来就是工作日。")
                            % {"date": day.isoformat(), "weekday": _(WEEKDAYS[day.weekday()])})
    return problems


def format_dates(dates) -> str:
    """Dates as the textarea shows them: consecutive days folded into ranges, one per line."""
    lines, run = [], []
    for day in sorted(dates):
        if run and day - run[-1] == datetime.timedelta(days=1):
            run.append(day)
            continue
        if run:
            lines.append(_fold(run))
        run = [day]
    if run:
        lines.append(_fold(run))
    return "\n".join(lines)


def _fold(run):
    return run[0].isoformat() if len(run) == 1 else f"{run[0].isoformat()}~{run[-1].isoformat()}"

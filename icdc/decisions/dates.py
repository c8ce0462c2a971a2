"""Dates of the notice in Beijing time: the calendar day of an instant, the last instant of a day."""

import datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def beijing_date(instant: datetime.datetime) -> datetime.date:
    return instant.astimezone(SHANGHAI).date()


def end_of_day(day: datetime.date) -> datetime.datetime:
    """23:59:59 of ``day`` in Beijing: an objection at that second is in time, one second later not."""
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=SHANGHAI)

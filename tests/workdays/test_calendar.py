"""The pure core (no database): the official 2024 schedule from chinese-calendar, both counting
conventions, unknown years refused, entered years overriding and extending the library."""

import datetime

import pytest

from icdc.workdays.calendar import (
    ScheduleUnknown,
    WorkCalendar,
    YearSchedule,
    check_schedule,
    format_dates,
    library_schedules,
    parse_dates,
)

D = datetime.date


@pytest.fixture(scope="module")
def library():
    return WorkCalendar(library_schedules())


def test_the_library_knows_2004_to_2026_and_the_2024_national_day(library):
    assert library.years[0] == 2004 and library.years[-1] == 2026
    assert all(not library.is_working_day(D(2024, 10, d)) for d in range(1, 8))
    assert library.is_working_day(D(2024, 9, 29))  # a Sunday, adjusted working day
    assert library.is_working_day(D(2024, 10, 12))  # a Saturday, adjusted working day
    assert not library.is_working_day(D(2024, 9, 28))  # an ordinary Saturday
    assert library.is_working_day(D(2024, 9, 27))


def test_a_five_day_notice_over_national_day_2024_publication_day_not_counted(library):
    # Published Fri 2024-09-27. Day 1 Sun 09-29 (调休上班), 2 Mon 09-30, 10-01..07 holiday,
    # 3 Tue 10-08, 4 Wed 10-09, 5 Thu 10-10.
    assert library.period(D(2024, 9, 27), 5, count_start_day=False) == (D(2024, 9, 29), D(2024, 10, 10))
    assert library.add_working_days(D(2024, 9, 27), 5, count_start_day=False) == D(2024, 10, 10)


def test_a_five_day_notice_over_national_day_2024_publication_day_counted(library):
    # Day 1 Fri 09-27 itself, 2 Sun 09-29, 3 Mon 09-30, 4 Tue 10-08, 5 Wed 10-09.
    assert library.period(D(2024, 9, 27), 5, count_start_day=True) == (D(2024, 9, 27), D(2024, 10, 9))


def test_the_adjusted_working_saturday_is_counted(library):
    # 6 Fri 10-11, 7 Sat 10-12 (调休上班): a seven-day notice ends on that Saturday.
    assert library.add_working_days(D(2024, 9, 27), 7, count_start_day=False) == D(2024, 10, 12)
    assert library.add_working_days(D(2024, 9, 27), 8, count_start_day=False) == D(2024, 10, 14)


def test_a_publication_day_off_is_not_day_one_even_when_counting_it(library):
    assert library.period(D(2024, 10, 3), 1, count_start_day=True) == (D(2024, 10, 8), D(2024, 10, 8))


def test_working_days_between_is_the_inverse_of_adding(library):
    assert library.working_days_between(D(2024, 9, 27), D(2024, 10, 10)) == 5
    assert library.working_days_between(D(2024, 9, 27), D(2024, 10, 12)) == 7
    assert library.working_days_between(D(2024, 10, 10), D(2024, 9, 27)) == -5
    assert library.working_days_between(D(2024, 10, 1), D(2024, 10, 7)) == 0


def test_a_period_reaching_into_an_unknown_year_is_refused_naming_it(library):
    with pytest.raises(ScheduleUnknown) as exc:
        library.add_working_days(D(2026, 12, 28), 5, count_start_day=False)
    assert exc.value.year == 2027
    assert exc.value.message == "2027 年的节假日安排尚未录入，无法计算工作日；请先在平台录入该年度安排。"
    with pytest.raises(ScheduleUnknown):
        library.is_working_day(D(2003, 5, 1))


def test_an_entered_year_extends_and_overrides():
    plans = dict(library_schedules())
    plans[2027] = YearSchedule(2027, frozenset({D(2027, 1, 1)}), frozenset(), "entered")
    calendar = WorkCalendar(plans)
    # 2026-12-31 Thu is day 1, 2027-01-01 holiday, 01-04 Mon day 2 …
    assert calendar.add_working_days(D(2026, 12, 30), 3, count_start_day=False) == D(2027, 1, 5)


def test_parse_dates_reads_lines_and_ranges_and_names_bad_lines():
    dates, problems = parse_dates("2027-10-01~2027-10-07\n\n2027-01-01  # 元旦\n2027-02-05 至 2027-02-06", 2027)
    assert problems == []
    assert dates[0] == D(2027, 1, 1) and len(dates) == 10
    _dates, problems = parse_dates("2027-13-01\n2026-12-31\n2027-05-05~2027-05-01", 2027)
    assert problems == [
        "第 1 行“2027-13-01”不是日期：请写 YYYY-MM-DD，或日期范围 YYYY-MM-DD~YYYY-MM-DD。",
        "第 2 行的日期 2026-12-31 不在 2027 年内：每个年度只录入本年的日期。",
        "第 3 行的日期范围起止颠倒（2027-05-05~2027-05-01）。",
    ]


def test_check_schedule_names_conflicts_and_weekday_working_days():
    problems = check_schedule(2027, [D(2027, 2, 6)], [D(2027, 2, 6), D(2027, 2, 3)])
    assert "2027-02-06 既列为节假日又列为调休上班日，只能是其中一种。" in problems
    assert "调休上班日只能是星期六或星期日：2027-02-03 是星期三，本来就是工作日。" in problems
    assert check_schedule(2027, [], []) == ["请至少录入一个法定节假日：每年的安排都有节假日。"]
    assert check_schedule(2027, [D(2027, 2, 6)], [D(2027, 2, 7)]) == []


def test_format_dates_folds_consecutive_days():
    assert format_dates({D(2024, 10, d) for d in range(1, 8)} | {D(2024, 1, 1)}) == "2024-01-01\n2024-10-01~2024-10-07"

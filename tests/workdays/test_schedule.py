"""Entering a year's schedule: it extends (2027) and overrides (2026) the library, audited with
before and after, through a confirmation page; bad input is a Chinese message and nothing written."""

import datetime

import pytest
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from icdc.workdays import selectors, services
from icdc.workdays.models import YearSchedule

D = datetime.date
pytestmark = pytest.mark.django_db
UNKNOWN_2027 = "2027 年的节假日安排尚未录入，无法计算工作日；请先在平台录入该年度安排。"
NOTE_2027 = "国务院办公厅关于2027年部分节假日安排的通知（测试）"


def _enter_2027(officer, **extra):
    return services.year_schedule_save(
        year=2027, holidays=[D(2027, 1, 1), *(D(2027, 2, d) for d in range(6, 13))],
        working_days=[D(2027, 2, 14)], note=NOTE_2027, user=officer, **extra)


def test_a_period_into_2027_is_refused_then_computed_once_2027_is_entered(officer):
    with pytest.raises(Refusal) as exc:
        selectors.notice_period(D(2026, 12, 28), 5)
    assert str(exc.value) == UNKNOWN_2027
    _enter_2027(officer)
    # after 12-28 (Mon): 12-29, 12-30, 12-31, [01-01 holiday, weekend], 01-04, 01-05
    assert selectors.notice_period(D(2026, 12, 28), 5) == (D(2026, 12, 29), D(2027, 1, 5))
    # the Sunday entered as a working day counts: after Fri 02-05, 02-06..12 off, Sun 02-14 is day 1
    assert selectors.notice_period(D(2027, 2, 5), 1) == (D(2027, 2, 14), D(2027, 2, 14))


def test_the_setting_chooses_the_convention(officer, settings):
    settings.ICDC_NOTICE_COUNTS_PUBLICATION_DAY = False
    assert selectors.notice_period(D(2024, 9, 27), 5) == (D(2024, 9, 29), D(2024, 10, 10))
    settings.ICDC_NOTICE_COUNTS_PUBLICATION_DAY = True
    assert selectors.notice_period(D(2024, 9, 27), 5) == (D(2024, 9, 27), D(2024, 10, 9))


def test_an_entered_year_overrides_the_library(officer):
    library_2026 = selectors.library_schedules()[2026]
    assert selectors.work_calendar().is_working_day(D(2026, 3, 2))  # an ordinary Monday
    services.year_schedule_save(year=2026, holidays=[*library_2026.holidays, D(2026, 3, 2)],
                                working_days=library_2026.working_days, note="更正（测试）", user=officer)
    calendar = selectors.work_calendar()
    assert not calendar.is_working_day(D(2026, 3, 2))
    assert calendar.schedule(2026).source == "entered"
    assert calendar.schedule(2025).source == "library"


def test_create_and_update_are_audited_with_before_and_after(officer):
    entry = _enter_2027(officer)
    record = AuditRecord.objects.get(action="workdays.schedule.create")
    assert record.object_id == str(entry.pk) and record.actor_id == officer.pk
    assert record.after["holidays"][0] == "2027-01-01" and record.after["working_days"] == ["2027-02-14"]
    services.year_schedule_save(year=2027, holidays=[D(2027, 1, 1)], working_days=[], note="更正", user=officer,
                                revision=entry.revision)
    update = AuditRecord.objects.get(action="workdays.schedule.update")
    assert update.before["holidays"] == record.after["holidays"]
    assert update.after == {"year": 2027, "holidays": ["2027-01-01"], "working_days": [], "note": "更正"}
    assert YearSchedule.objects.get(year=2027).revision == 2


def test_a_stale_edit_is_refused_and_writes_nothing(officer):
    entry = _enter_2027(officer)
    services.year_schedule_save(year=2027, holidays=[D(2027, 1, 1)], working_days=[], note="甲", user=officer,
                                revision=entry.revision)
    with pytest.raises(Refusal, match="刚被他人录入或修改"):
        services.year_schedule_save(year=2027, holidays=[D(2027, 1, 2)], working_days=[], note="乙", user=officer,
                                    revision=entry.revision)
    with pytest.raises(Refusal, match="刚被他人录入或修改"):
        _enter_2027(officer)  # "new" while it exists
    assert YearSchedule.objects.get(year=2027).note == "甲"
    assert AuditRecord.objects.filter(action__startswith="workdays.").count() == 2


def test_bad_schedules_are_refused_in_chinese(officer):
    with pytest.raises(Refusal) as exc:
        services.year_schedule_save(year=2027, holidays=[D(2027, 2, 6)], working_days=[D(2027, 2, 6)],
                                    note="x", user=officer)
    assert "既列为节假日又列为调休上班日" in str(exc.value)
    with pytest.raises(Refusal, match="不在 2027 年内"):
        services.year_schedule_save(year=2027, holidays=[D(2026, 12, 31)], working_days=[], note="x", user=officer)
    with pytest.raises(Refusal, match="请填写依据"):
        services.year_schedule_save(year=2027, holidays=[D(2027, 1, 1)], working_days=[], note=" ", user=officer)
    assert not YearSchedule.objects.exists()


def test_only_the_ministry_officer_may_save(role_users):
    from django.core.exceptions import PermissionDenied

    for role in (Role.CITY_APPLICANT, Role.PROVINCIAL_OFFICIAL, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN, Role.EXPERT):
        with pytest.raises(PermissionDenied):
            _enter_2027(role_users[role])
    assert not YearSchedule.objects.exists()
    assert AuditRecord.objects.filter(action="accounts.permission.deny", detail="workdays.manage_schedule").count() == 5


# --- the pages ---------------------------------------------------------------------------------

FORM_2027 = {"holidays": "2027-01-01\n2027-02-06~2027-02-12", "working_days": "2027-02-14", "note": NOTE_2027,
             "revision": ""}


def test_entering_2027_through_the_page_asks_for_confirmation_first(officer_client):
    url = reverse("workdays:edit", args=[2027])
    page = officer_client.get(url)
    assert "平台尚无该年度安排" in page.content.decode()
    response = officer_client.post(url, FORM_2027)
    assert "请确认" in response.content.decode() and "法定节假日 8 天" in response.content.decode()
    assert not YearSchedule.objects.exists()
    response = officer_client.post(url, {**FORM_2027, "confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == reverse("workdays:list")
    entry = YearSchedule.objects.get(year=2027)
    assert entry.working_days == ["2027-02-14"] and len(entry.holidays) == 8
    listing = officer_client.get(reverse("workdays:list")).content.decode()
    assert 'data-year="2027"' in listing and NOTE_2027 in listing


def test_the_page_shows_the_problems_in_chinese_and_writes_nothing(officer_client):
    url = reverse("workdays:edit", args=[2027])
    response = officer_client.post(url, {**FORM_2027, "holidays": "2027-02-30\n2026-12-31",
                                         "working_days": "2027-02-03", "confirm": "yes"})
    text = response.content.decode()
    assert "第 1 行“2027-02-30”不是日期" in text and "2026-12-31 不在 2027 年内" in text
    response = officer_client.post(url, {**FORM_2027, "working_days": "2027-02-03", "confirm": "yes"})
    assert "2027-02-03 是星期三，本来就是工作日" in response.content.decode()
    assert not YearSchedule.objects.exists()


def test_a_library_year_is_prefilled_and_saving_it_overrides(officer_client):
    page = officer_client.get(reverse("workdays:edit", args=[2024])).content.decode()
    assert "2024-10-01~2024-10-07" in page and "2024-10-12" in page and "内置数据" in page


def test_the_calculator_answers_and_refuses(officer_client):
    url = reverse("workdays:list")
    text = officer_client.get(url, {"published": "2024-09-27", "days": "5"}).content.decode()
    assert "5 个工作日：2024-09-29 至 2024-10-10" in text
    text = officer_client.get(url, {"published": "2026-12-28", "days": "5"}).content.decode()
    assert UNKNOWN_2027 in text
    text = officer_client.get(url, {"published": "x", "days": "500"}).content.decode()
    assert "请填写发布日期" in text


def test_a_year_outside_the_range_is_not_found(officer_client):
    assert officer_client.get(reverse("workdays:edit", args=[1999])).status_code == 404
    response = officer_client.get(reverse("workdays:new"), {"year": "abc"})
    assert response["Location"] == reverse("workdays:list")
    assert officer_client.get(reverse("workdays:new"), {"year": "2027"})["Location"] == reverse(
        "workdays:edit", args=[2027])


@pytest.mark.parametrize("role", [Role.CITY_APPLICANT, Role.PROVINCIAL_OFFICIAL, Role.EXPERT, Role.SYSTEM_ADMIN,
                                  Role.AUDIT_ADMIN])
def test_every_other_role_is_refused_every_page(client, role_users, role):
    client.force_login(role_users[role])
    for url in (reverse("workdays:list"), reverse("workdays:new") + "?year=2027",
                reverse("workdays:edit", args=[2027])):
        assert client.get(url).status_code == 403
    assert client.post(reverse("workdays:edit", args=[2027]), {**FORM_2027, "confirm": "yes"}).status_code == 403
    assert not YearSchedule.objects.exists()


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("workdays:list"))
    assert response.status_code == 302 and "login" in response["Location"]

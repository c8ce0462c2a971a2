"""The countdown to a deadline is computed on the server, in Beijing time (Asia/Shanghai)."""

import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

from icdc.batches.models import Batch
from icdc.batches.selectors import countdown, days_left

UTC = datetime.UTC
DEADLINE = datetime.datetime(2031, 3, 31, 9, 0, tzinfo=UTC)  # 2031-03-31 17:00 in Beijing


def test_days_hours_and_minutes_left():
    left = countdown(DEADLINE, now=datetime.datetime(2031, 3, 28, 7, 30, tzinfo=UTC))
    assert (left.days, left.hours, left.minutes, left.passed) == (3, 1, 30, False)


def test_due_today_is_the_beijing_date_not_the_servers():
    # 2031-03-30 17:00 UTC is already 03-31 01:00 in Beijing: the deadline day has come there
    left = countdown(DEADLINE, now=datetime.datetime(2031, 3, 30, 17, 0, tzinfo=UTC))
    assert left.due_today and (left.days, left.hours) == (0, 16)
    assert days_left(DEADLINE, now=datetime.datetime(2031, 3, 30, 17, 0, tzinfo=UTC)) == 0
    # one hour earlier it is 03-31 00:00 minus an hour = 03-30 23:00 in Beijing: one day to go
    earlier = datetime.datetime(2031, 3, 30, 15, 59, tzinfo=UTC)
    assert not countdown(DEADLINE, now=earlier).due_today and days_left(DEADLINE, now=earlier) == 1


def test_a_passed_deadline_counts_zero():
    left = countdown(DEADLINE, now=DEADLINE)
    assert left.passed and (left.days, left.hours, left.minutes) == (0, 0, 0)


@pytest.mark.django_db
def test_the_batch_pages_show_the_countdown_without_javascript(draft_batch, officer, client, role_users):
    from icdc.accounts.models import Role
    from icdc.batches import services

    with freeze_time("2031-03-01T00:00:00Z"):
        Batch.objects.filter(pk=draft_batch.pk).update(city_deadline=DEADLINE,
                                                       province_deadline=DEADLINE + datetime.timedelta(days=30))
        services.batch_open(batch=Batch.objects.get(pk=draft_batch.pk), user=officer)
    with freeze_time("2031-03-30T17:00:00Z"):
        city = role_users[Role.CITY_APPLICANT]
        type(city).objects.filter(pk=city.pk).update(password_changed_at=timezone.now())  # not expired then
        client.force_login(city)
        page = client.get("/batches/").content.decode()
        detail = client.get(f"/batches/{draft_batch.pk}/").content.decode()
    assert "2031年3月31日 17:00" in page and "今天截止" in page and "剩余 0 天 16 小时 0 分" in page
    assert "剩余 0 天 16 小时 0 分" in detail

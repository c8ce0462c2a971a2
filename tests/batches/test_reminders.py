"""Reminders before the city and province deadlines go out once each, however often the scheduler runs."""

import datetime

import pytest
from freezegun import freeze_time

from icdc.accounts.models import Role
from icdc.batches.reminders import lead_time_due
from icdc.notifications.models import Notification
from icdc.notifications.reminders import reminders_send
from tests.applications.factories import application, open_batch
from tests.factories import division, make_user

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
CITY = datetime.datetime(2031, 4, 30, 9, 0, tzinfo=UTC)
PROVINCE = datetime.datetime(2031, 5, 31, 9, 0, tzinfo=UTC)


def test_the_nearest_lead_time_is_due():
    assert lead_time_due(CITY, CITY - datetime.timedelta(days=4)) is None
    assert lead_time_due(CITY, CITY - datetime.timedelta(days=3)) == 3
    assert lead_time_due(CITY, CITY - datetime.timedelta(days=1, seconds=1)) == 3
    assert lead_time_due(CITY, CITY - datetime.timedelta(hours=5)) == 1
    assert lead_time_due(CITY, CITY) is None


@pytest.fixture
def cast(db):
    """济南 has a draft, 青岛 a return to answer, 烟台 an application waiting for 山东's 初审."""
    batch = open_batch()
    type(batch).objects.filter(pk=batch.pk).update(city_deadline=CITY, province_deadline=PROVINCE)
    batch.refresh_from_db()
    jinan, qingdao, yantai = division("370100", "济南市"), division("370200", "青岛市"), division("370600", "烟台市")
    application(batch=batch, city=jinan, status="draft")
    application(batch=batch, city=qingdao, status="returned")
    application(batch=batch, city=yantai, status="submitted")
    return {
        "jinan": make_user(Role.CITY_APPLICANT, division_obj=jinan),
        "qingdao": make_user(Role.CITY_APPLICANT, division_obj=qingdao),
        "yantai": make_user(Role.CITY_APPLICANT, division_obj=yantai),
        "shandong": make_user(Role.PROVINCIAL_OFFICIAL, division_obj=jinan.parent),
        "batch": batch,
    }


def _kinds(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_city_deadline_reminders_reach_cities_with_a_draft_once(cast):
    with freeze_time(CITY - datetime.timedelta(days=2)):
        reminders_send()
        reminders_send()  # the scheduler runs again: nothing new
    assert _kinds(cast["jinan"]) == ["batches.batch.city_deadline"]
    assert _kinds(cast["qingdao"]) == [] and _kinds(cast["yantai"]) == [] and _kinds(cast["shandong"]) == []
    note = Notification.objects.get(recipient=cast["jinan"])
    assert "3 天内截止" in note.title and "2031年4月30日 17:00" in note.body
    with freeze_time(CITY - datetime.timedelta(hours=3)):
        reminders_send()
        reminders_send()
    assert _kinds(cast["jinan"]) == ["batches.batch.city_deadline"] * 2  # the 3-day and the 1-day reminder


def test_province_deadline_reminders_reach_returns_and_the_province_once(cast):
    type(cast["batch"]).objects.filter(pk=cast["batch"].pk).update(status="closed")
    with freeze_time(PROVINCE - datetime.timedelta(hours=20)):
        first = reminders_send()
        second = reminders_send()
    assert len(first.sent) == 2 and not second.sent and second.already == 2
    assert _kinds(cast["qingdao"]) == ["batches.batch.province_deadline"]
    assert _kinds(cast["shandong"]) == ["batches.batch.province_deadline"]
    assert _kinds(cast["jinan"]) == [] and _kinds(cast["yantai"]) == []
    assert "尚有申报待初审" in Notification.objects.get(recipient=cast["shandong"]).title


def test_nothing_is_due_far_from_a_deadline(cast):
    with freeze_time(CITY - datetime.timedelta(days=10)):
        assert not reminders_send().sent
    assert not Notification.objects.exists()

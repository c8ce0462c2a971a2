"""Art. 10: the provincial official sees only the applications routing through their province,
never a draft, with the days left to the province deadline."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.applications.factories import application
from tests.applications.factories_review import batch, city, official, submitted

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_provinces_submitted_applications_only(client):
    b = batch()
    jinan = submitted(batch_obj=b, city_obj=city("370100", "济南市"))
    application(batch=b, city=city("370300", "淄博市"), status="draft")  # a draft: never shown
    submitted(batch_obj=b, city_obj=city("320100", "南京市"))  # another province
    client.force_login(official())
    page = client.get(reverse("preliminary:province_list"))
    assert page.status_code == 200
    rows = [row.application for row in page.context["rows"]]
    assert rows == [jinan]
    assert "南京市" not in page.content.decode() and "淄博市" not in page.content.decode()


def test_days_left_count_beijing_calendar_days_to_the_province_deadline():
    from icdc.applications.selectors_queue import labelled

    b = batch()
    b.province_deadline = datetime.datetime(2030, 5, 31, 16, 0, tzinfo=datetime.UTC)  # 06-01 00:00 Beijing
    b.save()
    app = submitted(batch_obj=b)
    at = datetime.datetime(2030, 5, 28, 17, 0, tzinfo=datetime.UTC)  # 05-29 01:00 Beijing
    assert labelled([app], now=at)[0].days_left == 3
    assert labelled([app], now=b.province_deadline - datetime.timedelta(minutes=1))[0].days_left == 1
    assert labelled([app], now=b.province_deadline)[0].days_left == -1


def test_the_list_says_when_the_deadline_has_passed(client):
    b = batch()
    b.province_deadline = timezone.now() - datetime.timedelta(hours=1)
    b.save()
    submitted(batch_obj=b)
    client.force_login(official())
    page = client.get(reverse("preliminary:province_list"))
    assert page.context["rows"][0].days_left == -1 and "已截止" in page.content.decode()


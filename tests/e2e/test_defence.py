"""答辩 in Chromium: the Ministry officer schedules an online defence for 济南 (Beijing time, meeting link)
and another for 南京; 济南's applicant sees its slot on the application page; the officer records 济南's
defence as held and 南京 as not appearing (未到场), each through the confirmation step; two panel
members score 济南's defence from their own page; the officer sees both scores and the mean."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from icdc.batches.models import SHANGHAI
from icdc.review.models import DefenceScore, DefenceSlot
from tests.applications import factories_review as fr
from tests.e2e.test_accessibility import violations
from tests.e2e.test_my_account import log_in
from tests.factories import DEMO_PASSWORD
from tests.review import factories
from tests.review.defence.conftest import sign

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _local(delta_minutes):
    moment = timezone.now().astimezone(SHANGHAI) + datetime.timedelta(minutes=delta_minutes)
    return moment.strftime("%Y-%m-%dT%H:%M")


def _schedule(page, city, start, end, link):
    form = page.get_by_test_id("schedule-form")
    form.get_by_label("申报城市").select_option(label=city)
    form.get_by_label("开始时间（北京时间）").fill(start)
    form.get_by_label("结束时间（北京时间）").fill(end)
    form.get_by_label("方式").select_option("online")
    form.get_by_label("会议链接（线上答辩）").fill(link)
    form.get_by_role("button", name="安排答辩").click()
    assert "已安排答辩" in page.content()


def _mark(page, city, button):
    page.get_by_test_id("slot").filter(has_text=city).get_by_test_id(button).click()
    page.get_by_role("button", name="确认登记").click()
    assert "已登记" in page.content()


def test_a_defence_is_scheduled_seen_by_the_city_held_and_scored(page, live_server):
    world = factories.drawn_panel()
    jinan, nanjing = world["applications"]
    city = fr.applicant(jinan.city, username="e2e-jinan")
    scorers = world["members"][:2]
    for expert in scorers:
        sign(expert, world["batch"])
    base = live_server.url

    log_in(page, base, world["officer"].username, DEMO_PASSWORD)
    page.goto(f"{base}/review/panels/{world['batch'].pk}/")
    page.get_by_test_id("defence-link").click()
    _schedule(page, f"济南市（{jinan.number}）", _local(-60), _local(-20), "https://meeting.example.cn/jinan")
    _schedule(page, f"南京市（{nanjing.number}）", _local(-180), _local(-150), "https://meeting.example.cn/nanjing")
    assert page.get_by_test_id("slot").count() == 2
    assert violations(page) == []

    page.context.clear_cookies()
    log_in(page, base, city.username, DEMO_PASSWORD)
    page.goto(f"{base}/applications/{jinan.pk}/")
    card = page.get_by_test_id("defence-slot-card").inner_text()
    assert "线上答辩" in card and "https://meeting.example.cn/jinan" in card and "北京时间" in card
    assert "nanjing" not in card

    page.context.clear_cookies()
    log_in(page, base, world["officer"].username, DEMO_PASSWORD)
    page.goto(f"{base}/review/defence/panels/{world['panel'].pk}/")
    _mark(page, "济南市", "mark-held")
    _mark(page, "南京市", "mark-no-show")
    assert dict(DefenceSlot.objects.values_list("application_id", "status")) == {jinan.pk: "held",
                                                                                 nanjing.pk: "no_show"}

    for expert, score in zip(scorers, ("88.5", "91"), strict=True):
        page.context.clear_cookies()
        log_in(page, base, expert.account.username, DEMO_PASSWORD)
        page.goto(f"{base}/review/defence/mine/")
        page.get_by_test_id("score-link").click()
        page.get_by_label("答辩得分（0～100，最多两位小数）").fill(score)
        page.get_by_label("评语").fill("答辩清楚")
        page.get_by_role("button", name="提交评分").click()
        assert score in page.get_by_test_id("my-score").inner_text()
        assert violations(page) == []
    assert sorted(DefenceScore.objects.values_list("score", flat=True)) == [Decimal("88.50"), Decimal("91.00")]

    page.context.clear_cookies()
    log_in(page, base, world["officer"].username, DEMO_PASSWORD)
    page.goto(f"{base}/review/defence/panels/{world['panel'].pk}/")
    jinan_row = page.get_by_test_id("slot").filter(has_text="济南市")
    assert sorted(jinan_row.get_by_test_id("defence-score").all_inner_texts()) == ["88.50", "91.00"]
    assert "89.75" in jinan_row.get_by_test_id("defence-mean").inner_text()
    assert page.get_by_test_id("slot").filter(has_text="南京市").get_by_test_id("slot-status").inner_text() == "未到场"
    assert violations(page) == []

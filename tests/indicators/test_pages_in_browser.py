"""In Chromium: a destructive action asks first and does nothing when cancelled; the statistics
list searches, sorts and links a correction; axe-core finds no serious or critical violation on
any of these pages (confirmation, read-only indicator, statistics list, correction form)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.utils import timezone

from icdc.audit.models import AuditRecord
from icdc.indicators.models import Indicator, IndicatorSetVersion, StatisticFigure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _serious(page):
    return [(v["id"], [n["html"][:80] for n in v["nodes"][:3]]) for v in Axe().run(page).response["violations"]
            if v["impact"] in {"serious", "critical"}]


def _login(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])


def test_deleting_a_draft_asks_first_and_cancel_changes_nothing(page, live_server, officer, draft_version):
    _login(page, live_server, officer)
    page.goto(f"{live_server.url}/indicators/versions/{draft_version.pk}/")
    page.get_by_test_id("delete").click()
    assert "删除草稿版本 draft-2019" in page.get_by_test_id("confirm-title").inner_text()
    assert "33 个指标及其权重" in page.get_by_test_id("confirm-effects").inner_text()
    assert _serious(page) == []
    page.get_by_test_id("confirm-cancel").click()
    assert page.url.endswith(f"/indicators/versions/{draft_version.pk}/")
    assert IndicatorSetVersion.objects.filter(pk=draft_version.pk, status="draft").exists()
    assert Indicator.objects.filter(version=draft_version).count() == 33
    assert not AuditRecord.objects.filter(action="indicators.version.delete").exists()

    page.get_by_test_id("publish").click()
    assert "发布后该版本即冻结" in page.get_by_test_id("confirm-summary").inner_text()
    page.get_by_test_id("confirm-button").click()
    assert "已发布，可供批次选用" in page.content()
    assert IndicatorSetVersion.objects.get(pk=draft_version.pk).status == "published"

    d11 = Indicator.objects.get(version=draft_version, code="D1.1")
    page.goto(f"{live_server.url}/indicators/indicator/{d11.pk}/edit/")
    assert page.get_by_test_id("read-only").is_visible()
    assert page.locator("main input:not([type=hidden]), main select, main textarea").count() == 0
    assert page.get_by_role("button", name="保存").count() == 0
    assert _serious(page) == []
    page.goto(f"{live_server.url}/indicators/versions/{draft_version.pk}/systems/COMP/weights/")
    assert page.get_by_test_id("weights").is_visible() and page.locator("main input:not([type=hidden])").count() == 0
    assert _serious(page) == []


def test_the_statistics_list_searches_sorts_and_corrects(page, live_server, officer, draft_version, cities):
    now = timezone.now()
    for code, value in (("370100", 10), ("370200", 30), ("330200", 20)):
        StatisticFigure.objects.create(city_id=code, year=2022, indicator_code="D1.1", value=value, unit="亿元",
                                       source="nbs", entered_by=officer, entered_at=now)
    _login(page, live_server, officer)
    page.goto(f"{live_server.url}/indicators/statistics/")
    assert _serious(page) == []
    page.get_by_label("城市或省份").fill("山东")
    page.get_by_role("button", name="筛选").click()
    assert "共 2 条数据" in page.get_by_test_id("statistics-totals").inner_text()
    page.get_by_test_id("sort-value").click()
    page.get_by_test_id("sort-value").click()  # and the other way
    rows = page.get_by_test_id("figures").locator("tbody tr")
    assert rows.nth(0).inner_text().startswith("370200") and "信息消费规模" in rows.nth(0).inner_text()
    assert _serious(page) == []
    page.get_by_role("link", name="更正 济南市 2022 年 D1.1").click()
    assert _serious(page) == []
    page.get_by_label("更正后的数值").fill("12")
    page.get_by_role("button", name="保存更正").click()
    assert "这一项为必填项" in page.content() or "必填" in page.content()
    page.get_by_label("更正原因").fill("年鉴勘误")
    page.get_by_role("button", name="保存更正").click()
    assert "已更正 济南市 2022 年 D1.1 的数值" in page.content()
    assert str(StatisticFigure.objects.get(city_id="370100").value.normalize()) == "12"

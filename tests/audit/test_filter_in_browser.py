"""The auditor in Chromium filters the trail by a Chinese action label, sees a date error with
nothing listed; axe-core finds no serious or critical violation on the list and a record."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from icdc.accounts.models import Role
from icdc.audit.services import record_event
from tests.factories import DEMO_PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _serious(page):
    return [(v["id"], [n["html"][:80] for n in v["nodes"][:3]]) for v in Axe().run(page).response["violations"]
            if v["impact"] in {"serious", "critical"}]


def test_the_auditor_filters_by_a_chinese_action_label(page, live_server):
    auditor = make_user(Role.AUDIT_ADMIN, username="e2e-auditor")
    record_event(action="indicators.statistics.import", result="rejected",
                 detail="bad.csv: rows=20 created=0 changed=0 unchanged=0 errors=16")
    record_event(action="rankings.scoring_run.create", object_type="decisions.scoringrun", object_repr="2024 综合型")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(auditor.username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/audit/")
    assert _serious(page) == []

    page.get_by_label("操作", exact=True).select_option(label="导入统计数据")
    page.get_by_role("button", name="筛选").click()
    table = page.get_by_test_id("audit-table").inner_text()
    assert "导入统计数据" in table and "驳回" in table and "行数 20，新增 0" in table
    assert "计算评分排名" not in table and "indicators.statistics.import" not in table
    assert page.get_by_test_id("audit-count").inner_text().strip() == "共 1 条记录"

    page.get_by_label("起始日期").fill("2026-05-02")
    page.get_by_label("截止日期").fill("2026-05-01")
    page.get_by_role("button", name="筛选").click()
    assert "起始日期不能晚于截止日期" in page.get_by_test_id("filter-error").inner_text()
    assert page.get_by_test_id("audit-table").count() == 0 and page.get_by_test_id("audit-empty").is_visible()
    assert _serious(page) == []

    page.goto(f"{live_server.url}/audit/")
    page.get_by_role("link", name="1", exact=True).first.click()
    assert _serious(page) == []
    page.goto(f"{live_server.url}/home/auditor/")
    assert _serious(page) == []

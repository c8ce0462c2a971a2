"""The audit administrator in Chromium: home → trail → filter → export → verify."""

import pytest

from icdc.accounts.models import Role
from tests.factories import DEMO_PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_auditor_reads_filters_exports_and_verifies_the_trail(page, live_server, tmp_path):
    auditor = make_user(Role.AUDIT_ADMIN, username="e2e-auditor")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(auditor.username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="查询与导出审计日志").click()
    assert page.get_by_test_id("audit-title").inner_text() == "安全审计日志"

    page.get_by_label("操作", exact=True).select_option(label="登录成功")
    page.get_by_role("button", name="筛选").click()
    table = page.get_by_test_id("audit-table").inner_text()
    assert "e2e-auditor" in table and "登录成功" in table and "新增数据" not in table

    with page.expect_download() as download:
        page.get_by_role("button", name="CSV").click()
    saved = tmp_path / "audit.csv"
    download.value.save_as(saved)
    assert "e2e-auditor" in saved.read_text(encoding="utf-8-sig")

    page.get_by_role("link", name="完整性校验").first.click()
    page.get_by_test_id("verify-button").click()
    assert "审计日志完整性校验通过" in page.get_by_test_id("verify-result").inner_text()
    if shots := __import__("os").environ.get("ICDC_SCREENSHOTS"):
        page.screenshot(path=f"{shots}/audit-verify.png", full_page=True)
        page.goto(f"{live_server.url}/audit/")
        page.screenshot(path=f"{shots}/audit-list.png", full_page=True)
        page.goto(f"{live_server.url}/home/auditor/")
        page.screenshot(path=f"{shots}/auditor-home.png", full_page=True)

"""专家库 in Chromium: the Ministry officer imports a file with a bad row (the report names it, nothing
is written), fixes it and imports again, finds the expert in the list with masked numbers; the
expert logs in, declares a conflict and signs the 回避声明与保密承诺 through the confirmation step.
axe-core finds no serious or critical violation on the pages."""

import pytest

from icdc.accounts.models import Role
from icdc.review.models import Declaration, Expert
from tests.applications.factories import open_batch
from tests.e2e.test_accessibility import violations
from tests.e2e.test_my_account import log_in
from tests.factories import DEMO_PASSWORD, make_user
from tests.review import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_officer_imports_experts_and_an_expert_signs(page, live_server, tmp_path):
    cities = factories.cities()
    officer = make_user(Role.MINISTRY_OFFICER, username="e2e-pool-officer")
    base = live_server.url
    good, bad = factories.id_number(1), factories.bad_check(factories.id_number(2))
    (tmp_path / "bad.xlsx").write_bytes(factories.xlsx([factories.row(name="钱一", number=good, mobile="13811112222"),
                                                        factories.row(name="孙二", number=bad)]))
    (tmp_path / "good.xlsx").write_bytes(factories.xlsx([factories.row(name="钱一", number=good,
                                                                       mobile="13811112222")]))
    log_in(page, base, officer.username, DEMO_PASSWORD)
    page.get_by_role("button", name="申报与评审").click()  # the top bar's group opens as a drop-down
    page.get_by_role("link", name="专家库").first.click()
    page.get_by_role("link", name="从 Excel 导入").click()
    page.get_by_label("专家名单文件").set_input_files(str(tmp_path / "bad.xlsx"))
    page.get_by_role("button", name="校验并导入").click()
    report = page.get_by_test_id("report")
    assert "校验位不正确" in report.inner_text() and not Expert.objects.exists()
    assert violations(page) == []
    page.get_by_label("专家名单文件").set_input_files(str(tmp_path / "good.xlsx"))
    page.get_by_role("button", name="校验并导入").click()
    assert "已导入 1 位专家" in page.get_by_test_id("report-ok").inner_text()
    page.get_by_role("link", name="返回").click()
    table = page.get_by_test_id("experts").inner_text()
    assert "钱一" in table and "138****2222" in table and good not in table
    assert violations(page) == []

    batch = open_batch(status="in_review", title="2026年信息消费示范城市评审")
    expert = factories.expert(name="李专家", city=cities["qingdao"], account=make_user(Role.EXPERT, username="e2e-ex"))
    page.context.clear_cookies()
    log_in(page, base, "e2e-ex", DEMO_PASSWORD)
    page.get_by_role("link", name="回避申报与声明").first.click()
    page.get_by_label("需回避的单位").fill("南京大学")
    page.get_by_role("button", name="保存回避申报").click()
    assert "已保存回避申报" in page.content()
    assert violations(page) == []
    page.get_by_role("link", name=batch.title).click()
    assert batch.title in page.get_by_test_id("declaration-text").inner_text()
    assert violations(page) == []
    page.get_by_test_id("sign").click()
    page.get_by_role("button", name="确认签署").click()
    assert "已签署回避声明与保密承诺" in page.content() and page.get_by_test_id("signed").count() == 1
    assert Declaration.objects.filter(expert=expert, batch=batch).exists()
    expert.refresh_from_db()
    assert expert.conflict_employers == ["南京大学"]

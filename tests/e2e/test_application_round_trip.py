"""Issue 13 in Chromium, every step through the pages: a city submits; its province returns it with
reasons; the city reads them, revises a section and resubmits; the province generates its letter
and recommends; a 计划单列市 submits straight to the Ministry; the Ministry's queue shows both."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from icdc.accounts.models import Role
from icdc.applications.models import Application, ProvincialReview
from tests.applications import appform_factories as f
from tests.factories import DEMO_PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def log_in(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def submit_on_the_page(page, base, application, done_text):
    page.goto(f"{base}{reverse('applications:detail', args=[application.pk])}")
    expect(page.get_by_test_id("complete")).to_be_visible()
    page.get_by_test_id("submit").click()
    page.get_by_test_id("confirm-button").click()
    expect(page.get_by_test_id("status")).to_have_text(done_text)


def test_submit_return_revise_resubmit_recommend_and_a_direct_submission(page, live_server, draft_version):
    base = live_server.url
    batch = f.batch(indicator_version=draft_version)
    jinan_user = f.city_user(username="rt-jinan")
    jinan = f.fill(f.started(jinan_user, batch), jinan_user)
    qingdao_user = f.city_user(f.qingdao(), username="rt-qingdao")
    qingdao = f.fill(f.started(qingdao_user, batch), qingdao_user)
    make_user(Role.PROVINCIAL_OFFICIAL, username="rt-shandong", division_obj=jinan.province)
    make_user(Role.MINISTRY_OFFICER, username="rt-ministry")

    # 济南 submits to its province
    log_in(page, base, "rt-jinan")
    submit_on_the_page(page, base, jinan, "待省级初审")

    # 山东 returns it with reasons
    log_in(page, base, "rt-shandong")
    page.goto(f"{base}/preliminary/province/")
    page.get_by_role("link", name=jinan.number).click()
    page.get_by_label("退回理由（必填）").fill("请补充近三年信息消费规模数据")
    page.get_by_test_id("return").click()
    page.get_by_test_id("confirm-button").click()
    page.wait_for_url(f"{base}/preliminary/province/")

    # 济南 sees the reasons, revises its summary (autosave) and resubmits revision 2
    log_in(page, base, "rt-jinan")
    page.goto(f"{base}{reverse('applications:detail', args=[jinan.pk])}")
    expect(page.locator("body")).to_contain_text("请补充近三年信息消费规模数据")
    page.locator("#id_summary-f0").fill("已补充近三年信息消费规模数据。")
    expect(page.get_by_test_id("status-summary")).to_contain_text("已自动保存", timeout=10000)
    submit_on_the_page(page, base, jinan, "待省级初审")
    jinan.refresh_from_db()
    assert jinan.revision_number == 2 and jinan.revisions.count() == 2
    assert jinan.revisions.get(number=2).content["sections"]["summary"] == {"text": "已补充近三年信息消费规模数据。"}

    # 山东 generates its letter and recommends
    log_in(page, base, "rt-shandong")
    page.goto(f"{base}/preliminary/province/{jinan.pk}/")
    page.get_by_label("推荐意见（写入推荐文件）").fill("工作基础扎实，同意推荐")
    page.get_by_test_id("generate-letter").click()
    expect(page.locator("body")).to_contain_text("已生成初审推荐文件")
    page.get_by_label("推荐意见", exact=True).fill("同意推荐")
    page.get_by_test_id("recommend").click()
    page.get_by_test_id("confirm-button").click()
    page.wait_for_url(f"{base}/preliminary/province/")
    assert Application.objects.get(pk=jinan.pk).status == "recommended"
    assert list(ProvincialReview.objects.filter(application=jinan).order_by("revision_number")
                .values_list("revision_number", "outcome")) == [(1, "returned"), (2, "recommended")]

    # 青岛 (计划单列市) submits straight to the Ministry
    log_in(page, base, "rt-qingdao")
    submit_on_the_page(page, base, qingdao, "已直接报送")

    # the Ministry's queue shows both, each by its route
    log_in(page, base, "rt-ministry")
    page.goto(f"{base}/preliminary/ministry/")
    table = page.get_by_test_id("ministry-queue")
    expect(table).to_contain_text("济南市")
    expect(table).to_contain_text("青岛市")

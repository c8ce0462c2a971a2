"""In Chromium: the province returns an application with reasons; after the city resubmits (placed
directly: the city's pages come with the application form), the province generates its letter and
recommends; the Ministry's queue shows it beside a 计划单列市's direct submission."""

import pytest
from django.utils import timezone

from icdc.accounts.models import Role
from tests.applications.factories_review import arrived_direct, batch, city, direct_city, submitted
from tests.factories import DEMO_PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login(page, base_url, username):
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def resubmit(application):
    """What the city's resubmission leaves behind: revision 2 frozen, back with the province."""
    from icdc.applications.effects import content_digest
    from icdc.applications.models import Application, ApplicationRevision

    content = {"type": "COMP", "domains": [], "attachments": [],
               "sections": {"basics": {"summary": "已补充近三年信息消费规模数据"}}}
    ApplicationRevision.objects.create(application=application, number=2, content=content,
                                       sha256=content_digest(content), frozen_at=timezone.now())
    Application.objects.filter(pk=application.pk).update(status="submitted", submitted_at=timezone.now())


def test_return_then_recommend_and_the_ministry_queue(page, live_server, settings, tmp_path):
    from icdc.applications.models import Application, ProvincialReview

    settings.MEDIA_ROOT = str(tmp_path / "media")
    b = batch()
    app = submitted(batch_obj=b, city_obj=city("370100", "济南市"))
    arrived_direct(batch_obj=b, city_obj=direct_city("370200", "青岛市"))
    make_user(Role.PROVINCIAL_OFFICIAL, username="e2e-shandong", division_obj=app.province)
    make_user(Role.MINISTRY_OFFICER, username="e2e-ministry")
    base = live_server.url

    # The province returns it with reasons, through the confirmation page.
    login(page, base, "e2e-shandong")
    page.goto(f"{base}/preliminary/province/")
    page.get_by_role("link", name=app.number).click()
    page.get_by_label("退回理由（必填）").fill("请补充近三年信息消费规模数据")
    page.get_by_test_id("return").click()
    assert "确认退回" in page.get_by_test_id("confirm-button").inner_text()
    assert "请补充近三年信息消费规模数据" in page.get_by_test_id("confirm-effects").inner_text()
    page.get_by_test_id("confirm-button").click()
    page.wait_for_url(f"{base}/preliminary/province/")
    assert "已退回" in page.content()
    app.refresh_from_db()
    assert (app.status, app.revision_number) == ("returned", 2)

    # The city resubmits; the province generates the letter and recommends.
    resubmit(app)
    page.goto(f"{base}/preliminary/province/{app.pk}/")
    assert "已补充近三年信息消费规模数据" in page.content()
    assert page.get_by_test_id("recommend").is_disabled()  # no letter yet: the reason is shown
    assert "推荐文件" in page.get_by_test_id("recommend-blockers").inner_text()
    page.get_by_label("推荐意见（写入推荐文件）").fill("工作基础扎实，同意推荐")
    page.get_by_test_id("generate-letter").click()
    assert "已生成初审推荐文件" in page.content()
    page.get_by_label("推荐意见", exact=True).fill("同意推荐")
    page.get_by_test_id("recommend").click()
    page.get_by_test_id("confirm-button").click()
    page.wait_for_url(f"{base}/preliminary/province/")
    assert Application.objects.get(pk=app.pk).status == "recommended"
    assert list(ProvincialReview.objects.order_by("revision_number").values_list("outcome", flat=True)) == [
        "returned", "recommended"]

    # The Ministry's queue: the recommendation and the 计划单列市's direct submission.
    login(page, base, "e2e-ministry")
    page.goto(f"{base}/preliminary/ministry/")
    table = page.get_by_test_id("ministry-queue").inner_text()
    assert "济南市" in table and "青岛市" in table
    page.get_by_label("申报途径").select_option("direct")
    page.get_by_role("button", name="筛选").click()
    table = page.get_by_test_id("ministry-queue").inner_text()
    assert "青岛市" in table and "济南市" not in table
    page.get_by_role("link", name=f"{b.year}-{b.pk:03d}-370200").click()
    assert "已直接报送" in page.get_by_test_id("status").inner_text()

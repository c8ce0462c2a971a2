"""In Chromium: the Ministry's officer asks a 计划单列市 for supplementary material (a checklist item
marked not met, the reasons, a deadline in Beijing time); the city sees the request, edits and
resubmits; the officer sees the differences from the revision reviewed before and passes."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from icdc.accounts.models import Role
from icdc.applications import services
from tests.applications import appform_factories as f
from tests.factories import DEMO_PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def login(page, base_url, username):
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def test_supplement_requested_answered_and_passed(page, live_server):
    from icdc.applications.models import Application
    from icdc.review.models import FormalReview

    city_user = f.city_user(f.qingdao(), username="e2e-qingdao")
    application = f.fill(f.started(city_user, f.batch()), city_user)
    services.application_submit(application=application, user=city_user)
    make_user(Role.MINISTRY_OFFICER, username="e2e-formal")
    base = live_server.url

    # The officer: the queue, the checklist, a supplement request.
    login(page, base, "e2e-formal")
    page.goto(f"{base}/formal-review/")
    expect(page.get_by_test_id("formal-queue")).to_contain_text("青岛市")
    page.get_by_role("link", name=application.number).click()
    page.get_by_test_id("unmet-condition:COMP-1").check()
    page.locator("#note-condition\\:COMP-1").fill("工作基础说明过简")
    page.get_by_test_id("formal-reasons").fill("请补充信息消费工作基础的具体说明")
    deadline = (timezone.now() + datetime.timedelta(days=7)).astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    page.get_by_test_id("formal-deadline").fill(deadline.strftime("%Y-%m-%dT17:00"))
    page.get_by_test_id("formal-supplement").click()
    page.wait_for_url(f"{base}/formal-review/")
    expect(page.locator("body")).to_contain_text("补充材料")
    application.refresh_from_db()
    assert (application.status, application.revision_number) == ("supplement", 2)

    # The city: the request with its reasons and deadline; it edits and resubmits.
    login(page, base, "e2e-qingdao")
    page.goto(f"{base}/applications/{application.pk}/")
    expect(page.get_by_test_id("supplement-request")).to_contain_text("请补充信息消费工作基础的具体说明")
    expect(page.get_by_test_id("supplement-request")).to_contain_text("17:00")
    page.locator("#id_summary-f0").fill("本市已建成信息消费体验中心十二个，工作基础扎实。")
    expect(page.get_by_test_id("status-summary")).to_contain_text("已自动保存", timeout=10000)
    page.get_by_test_id("submit").click()
    page.get_by_test_id("confirm-button").click()
    page.wait_for_load_state()
    assert Application.objects.get(pk=application.pk).status == "supplemented"

    # The officer: the differences, then pass.
    login(page, base, "e2e-formal")
    page.goto(f"{base}/formal-review/{application.pk}/")
    diff = page.get_by_test_id("supplement-diff")
    expect(diff).to_contain_text("本市已建成信息消费体验中心十二个")
    expect(diff).to_contain_text("请补充信息消费工作基础的具体说明")
    page.get_by_test_id("formal-pass").click()
    page.wait_for_url(f"{base}/formal-review/")
    assert Application.objects.get(pk=application.pk).status == "formal_passed"
    assert list(FormalReview.objects.filter(application=application).order_by("revision_number")
                .values_list("revision_number", "outcome")) == [(1, "supplement"), (2, "passed")]

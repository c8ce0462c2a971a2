"""A city in Chromium: drafts its application (htmx autosave), is logged out while editing and
loses nothing saved, comes back to the form, completes and submits; a second application of the
same city and a submission after the deadline are refused with clear Chinese messages."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from icdc.accounts.models import AccountSession
from icdc.applications.models import Application, ApplicationSection
from tests.applications import appform_factories as f
from tests.factories import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def log_in(page, username):
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def fill_everything_but_the_proposal(application, user):
    f.fill(application, user)
    application.attachments.filter(purpose="material-PROPOSAL").delete()


def test_a_city_drafts_is_logged_out_loses_nothing_and_submits(page, live_server, draft_version, tmp_path):
    user = f.city_user(username="jinan-e2e")
    batch = f.batch(indicator_version=draft_version)
    page.goto(f"{live_server.url}/accounts/login/")
    log_in(page, user.username)

    page.goto(f"{live_server.url}{reverse('applications:list')}")
    page.get_by_test_id(f"start-{batch.pk}").click()
    expect(page.get_by_test_id("route")).to_contain_text("山东省")
    page.get_by_test_id("start-confirm").click()
    application = Application.objects.get(batch=batch, city=user.division)
    expect(page.get_by_test_id("missing-items")).to_contain_text("选择申报类型")

    # autosave: choose the type, type the summary; no button pressed
    page.locator("#id_type-f0").select_option("COMP")
    expect(page.get_by_test_id("status-type")).to_contain_text("已自动保存")
    page.locator("#id_summary-f0").fill("本市信息消费工作基础扎实。")
    expect(page.get_by_test_id("status-summary")).to_contain_text("已自动保存", timeout=10000)
    expect(page.get_by_test_id("missing-items")).not_to_contain_text("选择申报类型")
    assert ApplicationSection.objects.get(application=application, key="summary").data == {
        "text": "本市信息消费工作基础扎实。"}

    # the session ends on the server while the city is typing: the next autosave goes to log in
    AccountSession.objects.filter(user_id=user.pk).delete()
    page.locator("#id_lead-f0").fill("济南市工业和信息化局")
    page.wait_for_url(re.compile(r"/accounts/login/\?.*expired=1"), timeout=10000)
    log_in(page, user.username)
    page.wait_for_url(re.compile(rf"/applications/{application.pk}/$"))
    expect(page.locator("#id_summary-f0")).to_have_value("本市信息消费工作基础扎实。")
    expect(page.locator("#id_type-f0")).to_have_value("COMP")

    # the rest is filled on the server; the city uploads the signed 申报书 and submits
    fill_everything_but_the_proposal(application, user)
    page.reload()
    expect(page.get_by_test_id("missing-items")).to_contain_text("信息消费示范城市申报书")
    proposal = tmp_path / "申报书.pdf"
    proposal.write_bytes(f.pdf_file().read())
    page.get_by_test_id("file-material-PROPOSAL").set_input_files(str(proposal))
    page.get_by_test_id("upload-material-PROPOSAL").click()
    expect(page.get_by_test_id("complete")).to_be_visible()
    page.get_by_test_id("submit").click()
    page.get_by_test_id("confirm-button").click()
    expect(page.get_by_role("alert").first).to_contain_text("申报已提交")
    expect(page.get_by_test_id("status")).to_have_text("待省级初审")
    assert Application.objects.get(pk=application.pk).status == "submitted"

    # a second application of the same city in the batch is refused in Chinese
    page.goto(f"{live_server.url}{reverse('applications:start', args=[batch.pk])}")
    page.get_by_test_id("start-confirm").click()
    expect(page.get_by_role("alert").first).to_contain_text("本市在本批次已有申报，每个城市每批次只能申报一次")
    assert Application.objects.filter(batch=batch, city=user.division).count() == 1


def test_a_submission_after_the_deadline_is_refused(page, live_server, draft_version):
    user = f.city_user(username="jinan-late")
    batch = f.batch(indicator_version=draft_version)
    application = f.fill(f.started(user, batch), user)
    page.goto(f"{live_server.url}/accounts/login/")
    log_in(page, user.username)
    page.goto(f"{live_server.url}{reverse('applications:detail', args=[application.pk])}")
    expect(page.get_by_test_id("complete")).to_be_visible()
    page.get_by_test_id("submit").click()  # the confirmation page, while still in time
    batch.city_deadline = timezone.now() - datetime.timedelta(minutes=1)
    batch.save()
    page.get_by_test_id("confirm-button").click()
    expect(page.get_by_role("alert").first).to_contain_text("城市申报已于")
    expect(page.get_by_role("alert").first).to_contain_text("截止，不能再提交")
    assert Application.objects.get(pk=application.pk).status == "draft"


def test_the_application_pages_have_no_serious_accessibility_violation(page, live_server, draft_version):
    from axe_playwright_python.sync_playwright import Axe

    from icdc.accounts.models import Role
    from icdc.applications import services
    from tests.factories import make_user

    user = f.city_user(username="jinan-a11y")
    batch = f.batch(indicator_version=draft_version)
    second = f.batch(indicator_version=draft_version)
    application = f.fill(f.started(user, batch), user)
    services.application_submit(application=application, user=user)
    province = make_user(Role.PROVINCIAL_OFFICIAL, division_obj=application.province)
    services.application_return(application=application, user=province, reasons="请补充")
    f.save(application, user, "summary", {"text": "修订后的概述"})
    services.application_submit(application=application, user=user)
    page.goto(f"{live_server.url}/accounts/login/")
    log_in(page, user.username)
    paths = [reverse("applications:list"), reverse("applications:detail", args=[application.pk]),
             reverse("applications:revision", args=[application.pk, 1]),
             reverse("applications:revision_compare", args=[application.pk, 1, 2]),
             reverse("applications:withdraw", args=[application.pk]), reverse("applications:start", args=[second.pk])]
    draft = f.choose_type(f.started(user, second), user, "SPEC")
    paths.append(reverse("applications:detail", args=[draft.pk]))  # the form being edited
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        serious = [(v["id"], [n["html"][:80] for n in v["nodes"][:3]])
                   for v in Axe().run(page).response["violations"] if v["impact"] in {"serious", "critical"}]
        assert serious == [], path

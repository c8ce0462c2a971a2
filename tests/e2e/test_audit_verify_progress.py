"""The audit administrator starts the integrity check in Chromium and watches it: queued,
progress as the worker reports it, then the result, all without reloading by hand (issue 12.2).

The task backend only queues here (DummyBackend); the test plays ``manage.py db_worker``.
"""

import pytest
from playwright.sync_api import expect

from icdc.accounts.models import Role
from icdc.audit.models import AuditRecord, VerificationRun
from icdc.audit.services import record_event
from icdc.audit.verify_runs import verification_run_execute
from tests.factories import DEMO_PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queued_only(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_the_auditor_starts_verification_and_sees_progress_then_the_result(page, live_server, queued_only):
    auditor = make_user(Role.AUDIT_ADMIN, username="e2e-verifier")
    for i in range(5):
        record_event(action="test.event", detail=f"事件 {i}")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(auditor.username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/audit/verify/")
    page.get_by_test_id("verify-button").click()

    expect(page.get_by_test_id("verify-status")).to_have_text("排队中")
    run = VerificationRun.objects.get()
    assert run.requested_by == auditor

    # The worker has checked half of the chain: the page catches up by itself.
    VerificationRun.objects.filter(pk=run.pk).update(status="running", expected=10, checked=5)
    expect(page.get_by_test_id("verify-progress")).to_have_text("已校验 5 / 10 条记录", timeout=10_000)
    expect(page.get_by_test_id("verify-status")).to_have_text("校验中")
    assert page.get_by_test_id("verify-progressbar").get_attribute("value") == "50"

    VerificationRun.objects.filter(pk=run.pk).update(status="queued", checked=0)
    assert verification_run_execute(run_id=run.pk) == "passed"
    expect(page.get_by_test_id("verify-result")).to_contain_text("审计日志完整性校验通过", timeout=10_000)
    expect(page.get_by_test_id("verify-status")).to_have_text("校验通过")
    assert AuditRecord.objects.get(action="audit.chain.verify").actor_username == "e2e-verifier"


def test_without_javascript_the_page_refreshes_itself_until_the_result(browser, live_server, queued_only):
    auditor = make_user(Role.AUDIT_ADMIN, username="e2e-nojs")
    record_event(action="test.event")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(auditor.username)
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.goto(f"{live_server.url}/audit/verify/")
        page.get_by_test_id("verify-button").click()
        expect(page.get_by_test_id("verify-status")).to_have_text("排队中")
        verification_run_execute(run_id=VerificationRun.objects.get().pk)
        expect(page.get_by_test_id("verify-result")).to_contain_text("审计日志完整性校验通过", timeout=10_000)
    finally:
        context.close()

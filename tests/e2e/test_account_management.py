"""The system administrator in Chromium: finds a locked account by name and unlocks it; the
province → city picker refreshes through htmx; a deactivation asks first and does nothing when
cancelled; axe-core finds no serious or critical violation on the account pages."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from icdc.accounts import selectors
from icdc.accounts.models import Role, User
from tests.factories import DEMO_PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SERIOUS = {"serious", "critical"}


def violations(page):
    result = Axe().run(page)
    return [(v["id"], v["impact"], [n["html"][:80] for n in v["nodes"][:3]])
            for v in result.response["violations"] if v["impact"] in SERIOUS]


def log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def lock(username):
    browser = Client()
    for _ in range(5):
        browser.post(reverse("accounts:login"), {"username": username, "password": "Wrong#Pass2026"})


def test_sysadmin_finds_a_locked_account_by_name_and_unlocks_it(page, live_server):
    call_command("load_divisions", verbosity=0)
    make_user(Role.SYSTEM_ADMIN, username="e2e-it")
    locked = make_user(Role.PROVINCIAL_OFFICIAL, username="sd_zhou", display_name="周敏",
                       division_obj=User._meta.get_field("division").related_model.objects.get(pk="370000"))
    make_user(Role.EXPERT, username="other_zhou", display_name="周其他")
    lock(locked.username)
    assert selectors.is_locked(locked)

    log_in(page, live_server.url, "e2e-it")
    page.get_by_role("link", name="账号管理").first.click()
    page.get_by_label("用户名或姓名").fill("周敏")
    page.get_by_label("登录锁定").select_option(label="锁定中")
    page.get_by_role("button", name="查找").click()
    rows = page.get_by_test_id("account-row")
    assert rows.count() == 1
    assert "登录锁定中" in rows.first.inner_text()
    rows.first.get_by_role("link", name="sd_zhou").click()
    assert "已锁定：连续 5 次登录失败。" in page.get_by_test_id("lock-state").inner_text()
    page.get_by_test_id("unlock-button").click()
    assert "已解除账号“sd_zhou”的登录锁定。" in page.get_by_role("alert").inner_text()
    assert page.get_by_test_id("lock-state").inner_text() == "未锁定。"
    assert not selectors.is_locked(locked)


def test_picker_deactivation_and_accessibility(page, live_server):
    call_command("load_divisions", verbosity=0)
    make_user(Role.SYSTEM_ADMIN, username="e2e-it2")
    expert = make_user(Role.EXPERT, username="e2e-expert", display_name="吴专家")
    log_in(page, live_server.url, "e2e-it2")

    pages = [reverse("accounts:manage:list"), reverse("accounts:manage:create"),
             reverse("accounts:manage:detail", args=[expert.pk]), reverse("accounts:manage:edit", args=[expert.pk]),
             reverse("accounts:manage:deactivate", args=[expert.pk]),
             reverse("accounts:manage:reset_password", args=[expert.pk])]
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1
        assert violations(page) == [], path

    # htmx: choosing a province brings its cities, without reloading the page.
    page.goto(f"{live_server.url}{reverse('accounts:manage:create')}")
    city = page.get_by_label("城市", exact=True)
    assert city.locator("option").count() == 1  # "请选择城市" only
    page.get_by_label("省份").select_option(label="山东省")
    # (no wait_for_function: the CSP forbids the eval it uses)
    page.locator("#id_city option", has_text="青岛市").wait_for(state="attached")
    assert "青岛市" in city.inner_text() and "北京市" not in city.inner_text()
    page.get_by_label("用户名", exact=True).fill("qd_new")
    page.get_by_label("角色").select_option(label="城市申报单位")
    city.select_option(label="青岛市")
    page.get_by_role("button", name="创建账号").click()
    password = page.get_by_test_id("temporary-password").inner_text().strip()
    assert re.fullmatch(r"\S{14}", password)
    assert User.objects.get(username="qd_new").division_id == "370200"
    assert violations(page) == []

    # A deactivation asks first; cancelling does nothing, confirming acts.
    page.goto(f"{live_server.url}{reverse('accounts:manage:detail', args=[expert.pk])}")
    page.get_by_role("link", name="停用账号").click()
    assert "停用后该账号不能再登录" in page.get_by_test_id("confirm-summary").inner_text()
    page.get_by_test_id("confirm-cancel").click()
    assert User.objects.get(pk=expert.pk).is_active
    page.get_by_role("link", name="停用账号").click()
    page.get_by_test_id("confirm-button").click()
    assert "已停用账号“e2e-expert”。" in page.get_by_role("alert").inner_text()
    assert not User.objects.get(pk=expert.pk).is_active

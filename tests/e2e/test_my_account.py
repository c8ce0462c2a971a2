"""我的账号 in Chromium: a user opens it from the top bar, changes their own password and sets
up two-factor login (scanning replaced by the manual key), then generates recovery codes;
axe-core finds no serious or critical violation on the new pages."""

import base64

import pytest
from django_otp.oath import totp

from icdc.accounts.models import Role
from tests.e2e.test_accessibility import violations
from tests.factories import DEMO_PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Mine#Own2026xy"


def log_in(page, base_url, username, password):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def current_code(secret, drift=0):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, step=30, digits=6, drift=drift):06d}"


def test_user_changes_password_and_sets_up_totp_from_my_account(page, live_server):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = make_user(Role.CITY_APPLICANT, username="e2e-me")
    base = live_server.url
    log_in(page, base, user.username, DEMO_PASSWORD)
    assert "这是该账号的首次登录。" in page.content()

    page.get_by_test_id("my-account").click()
    page.wait_for_url(f"{base}/accounts/me/")
    assert page.get_by_test_id("me-title").inner_text() == "我的账号"
    assert violations(page) == []

    page.get_by_test_id("me-password-change").click()
    page.get_by_label("旧密码").fill(DEMO_PASSWORD)
    page.get_by_label("新密码", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("新密码确认").fill(NEW_PASSWORD)
    page.get_by_role("button", name="保存新密码").click()
    page.wait_for_load_state()
    assert "密码已修改。" in page.content()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    page.get_by_test_id("my-account").click()
    page.get_by_test_id("me-otp-setup").click()
    assert violations(page) == []
    page.get_by_test_id("otp-start").click()
    page.wait_for_load_state()
    assert violations(page) == []
    secret = page.get_by_test_id("otp-secret").inner_text().replace(" ", "")
    page.get_by_role("textbox", name="动态口令").fill(current_code(secret))
    page.get_by_role("button", name="确认绑定").click()
    page.wait_for_url(f"{base}/accounts/me/")
    assert "动态口令已绑定" in page.content()
    assert "已绑定验证器" in page.get_by_test_id("me-otp-status").inner_text()
    assert TOTPDevice.objects.get(user=user).confirmed

    page.get_by_role("link", name="恢复码").click()
    assert violations(page) == []
    page.get_by_test_id("recovery-generate").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("recovery-codes").locator("li").count() == 10
    assert violations(page) == []

    page.goto(f"{base}/accounts/me/otp/reset/")
    assert violations(page) == []

    # the next login asks for the second factor, with the new password
    page.get_by_role("button", name="退出").click()
    log_in(page, base, user.username, NEW_PASSWORD)
    assert "/accounts/otp/verify/" in page.url
    assert "上次登录：" in page.content()
    # the enrolment code is used up; the next time step's code is within the tolerance
    page.get_by_role("textbox", name="动态口令").fill(current_code(secret, drift=1))
    page.get_by_role("button", name="验证", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_test_id("home-title").inner_text() == "城市申报单位工作台"

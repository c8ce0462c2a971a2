"""Each role logs in through the real login form in Chromium, lands on its own home page,
and is refused another role's page."""

import pytest

from icdc.accounts.models import Role
from icdc.home.navigation import HOME_OF_ROLE
from tests.factories import DEMO_PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HOME_TITLES = {
    Role.CITY_APPLICANT: "城市申报单位工作台",
    Role.PROVINCIAL_OFFICIAL: "省级主管部门工作台",
    Role.MINISTRY_OFFICER: "工信部业务管理员工作台",
    Role.EXPERT: "评审专家工作台",
    Role.SYSTEM_ADMIN: "系统管理员工作台",
    Role.AUDIT_ADMIN: "审计管理员工作台",
}


def login(page, base_url, username, password):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_role_logs_in_lands_home_and_is_refused_elsewhere(page, live_server, role):
    from django.urls import reverse

    user = make_user(role, username=f"e2e-{role.value}")
    login(page, live_server.url, user.username, DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}{reverse(HOME_OF_ROLE[role])}")
    assert page.get_by_test_id("home-title").inner_text() == HOME_TITLES[role]
    assert user.username in page.get_by_test_id("current-user").inner_text()

    other = next(r for r in Role if r != role)
    response = page.goto(f"{live_server.url}{reverse(HOME_OF_ROLE[other])}")
    assert response.status == 403
    assert "无权访问" in page.get_by_test_id("forbidden").inner_text()


def test_wrong_password_shows_chinese_error(page, live_server):
    make_user(Role.CITY_APPLICANT, username="e2e-wrong")
    login(page, live_server.url, "e2e-wrong", "not-the-password")
    assert "用户名或密码错误" in page.get_by_test_id("login-error").inner_text()

"""我的账号 for every role: password, second factor, recovery codes, and the latest logins
and failed attempts (time, IP) from the audit trail; a one-time message after login says
when and from where the account last logged in and how many attempts failed since."""

import pytest
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from icdc.accounts.models import Role
from tests.accounts.conftest import login
from tests.factories import make_user

WRONG = "Wrong#Pass2026"


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_every_role_reaches_its_own_account_page_from_the_top_bar(client, role_users, role):
    user = role_users[role]
    login(client, user.username)
    home = client.get(reverse("home:index"), follow=True).content.decode()
    assert f'href="{reverse("accounts:me")}"' in home
    page = client.get(reverse("accounts:me"))
    body = page.content.decode()
    assert page.status_code == 200
    assert f'data-testid="me-username">{user.username}<' in body
    assert reverse("accounts:password_change") in body
    assert f"{reverse('accounts:otp_setup')}?next=%2Faccounts%2Fme%2F" in body
    assert page["Cache-Control"].count("no-store") == 1


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get(reverse("accounts:me"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_the_page_lists_the_latest_logins_and_failures_with_time_and_ip(db):
    user = make_user(Role.CITY_APPLICANT)
    other = make_user(Role.CITY_APPLICANT)
    with freeze_time("2026-03-02 01:00:00") as frozen:
        login(Client(), other.username, WRONG, REMOTE_ADDR="203.0.113.50")  # someone else's: not listed
        for round_ in range(3):  # 4 failures then a login, three times (5 would lock)
            for i in range(4):
                login(Client(), user.username, WRONG, REMOTE_ADDR=f"198.51.100.{round_ * 4 + i}")
                frozen.tick(60)
            client = Client(REMOTE_ADDR=f"192.0.2.{10 + round_}")
            login(client, user.username)
        body = client.get(reverse("accounts:me")).content.decode()
    table = body.split('data-testid="me-history"')[1].split("</table>")[0]
    rows = table.count("<tr>") - 1
    assert rows == 10  # of 15
    assert "192.0.2.12" in table and "登录成功" in table
    assert "198.51.100.11" in table and "密码错误" in table
    assert "198.51.100.4<" in table and "198.51.100.3<" not in table  # the ten latest only
    assert "203.0.113.50" not in table
    assert "2026-03-02 09:12:00" in table  # local time (Asia/Shanghai)


def test_after_login_a_one_time_message_names_the_last_login_and_failures_since(db):
    user = make_user(Role.PROVINCIAL_OFFICIAL)
    with freeze_time("2026-03-02 01:00:00") as frozen:
        first = Client(REMOTE_ADDR="192.0.2.10")
        login(first, user.username)
        assert "这是该账号的首次登录。" in first.get(reverse("home:province")).content.decode()
        first.post(reverse("accounts:logout"))
        frozen.tick(3600)
        for _ in range(2):
            login(Client(), user.username, WRONG, REMOTE_ADDR="203.0.113.7")
        frozen.tick(3600)
        second = Client(REMOTE_ADDR="192.0.2.11")
        login(second, user.username)
        page = second.get(reverse("home:province")).content.decode()
        again = second.get(reverse("home:province")).content.decode()
    assert "上次登录：2026-03-02 09:00，IP 192.0.2.10。" in page
    assert "自上次登录以来登录失败 2 次" in page
    assert "上次登录" not in again  # shown once


def test_with_no_failures_the_message_says_so(db):
    user = make_user(Role.CITY_APPLICANT)
    login(Client(), user.username)
    client = Client()
    login(client, user.username)
    assert "自上次登录以来没有失败的登录尝试。" in client.get(reverse("home:city")).content.decode()

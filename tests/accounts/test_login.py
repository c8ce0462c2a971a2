"""Logging in: the right password lands on the role's home page with a fresh session id;
bad input gets Chinese form errors (never a 500); every attempt is audited once."""

import pytest
from django.urls import reverse

from icdc.accounts.models import AccountSession as Session
from icdc.accounts.models import Role
from icdc.home.navigation import HOME_OF_ROLE
from tests.accounts.conftest import audit, login
from tests.factories import make_user


@pytest.mark.parametrize("role", list(Role))
def test_every_role_logs_in_with_password_and_lands_home(client, role_users, role):
    user = role_users[role]
    response = login(client, user.username)
    assert response.status_code == 302
    assert client.get(response.url).url == reverse(HOME_OF_ROLE[role])
    records = audit("accounts.session.login")
    assert records.count() == 1
    record = records.get()
    assert (record.actor_username, record.actor_role, record.result) == (user.username, role.value, "ok")
    assert record.ip_address == "127.0.0.1"


def test_login_issues_a_new_session_id_and_drops_the_old_session(client, db):
    user = make_user(Role.EXPERT)
    session = client.session  # an anonymous session, as a browser would carry one
    session["probe"] = "anonymous"
    session.save()
    old_key = session.session_key
    client.cookies["sessionid"] = old_key

    login(client, user.username)

    new_key = client.cookies["sessionid"].value
    assert new_key and new_key != old_key
    assert not Session.objects.filter(session_key=old_key).exists()
    assert Session.objects.get(session_key=new_key).get_decoded()["_auth_user_id"] == str(user.pk)


def test_wrong_password_is_refused_in_chinese_and_audited_once(client, db):
    user = make_user(Role.CITY_APPLICANT)
    response = login(client, user.username, "Wrong#Pass2026")
    assert response.status_code == 200
    body = response.content.decode()
    assert "用户名或密码错误。连续失败 5 次，账号将被锁定 15 分钟。" in body
    assert "_auth_user_id" not in client.session
    records = audit("accounts.session.login_failed")
    assert records.count() == 1
    record = records.get()
    assert (record.actor_username, record.result, record.object_id) == (user.username, "failed", str(user.pk))
    assert not audit("accounts.session.login").exists()


def test_unknown_username_is_refused_like_a_wrong_password(client, db):
    response = login(client, "nobody", "Wrong#Pass2026")
    assert "用户名或密码错误" in response.content.decode()
    record = audit("accounts.session.login_failed").get()
    assert (record.actor_username, record.object_id) == ("nobody", "")


def test_inactive_account_cannot_log_in(client, db):
    user = make_user(Role.EXPERT, is_active=False)
    response = login(client, user.username)
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("", "Icdc#Demo2026", "这个字段是必填项。"),
        ("someone", "", "这个字段是必填项。"),
        ("x" * 200, "Icdc#Demo2026", "确保该变量包含不超过 150 字符"),
        ("nul\x00byte", "Icdc#Demo2026", "空字符"),
    ],
    ids=["empty-username", "empty-password", "200-char-username", "null-byte"],
)
def test_bad_input_gets_chinese_form_errors_not_500(client, db, username, password, message):
    response = login(client, username, password)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not audit("accounts.session.login").exists()


def test_login_page_keeps_an_unsafe_next_from_redirecting_off_site(client, db):
    user = make_user(Role.CITY_APPLICANT)
    response = login(client, user.username, data={"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response.url == reverse("home:index")


def test_authenticated_pages_are_not_cached(client, role_users):
    login(client, role_users[Role.MINISTRY_OFFICER].username)
    response = client.get(reverse("home:ministry"))
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_public_page_for_anonymous_users_is_not_marked_no_store(client, db):
    assert "no-store" not in client.get("/").get("Cache-Control", "")


def test_demo_login_page_lists_demo_accounts_only_in_the_embedded_demo(client, db, settings):
    make_user(Role.EXPERT, username="expert_demo", is_demo=True)
    settings.DEBUG = True
    assert "expert_demo" in client.get(reverse("accounts:login")).content.decode()
    settings.ICDC_REQUIRE_2FA = True
    assert "expert_demo" not in client.get(reverse("accounts:login")).content.decode()
    settings.ICDC_REQUIRE_2FA, settings.DEBUG = False, False
    assert "expert_demo" not in client.get(reverse("accounts:login")).content.decode()

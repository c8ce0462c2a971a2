"""One account, a bounded number of live sessions (ICDC_MAX_SESSIONS_PER_USER, default 1):
a new login ends the older session, which is told why at its next request; audited."""

import pytest
from django.test import Client
from django.urls import reverse

from icdc.accounts.models import AccountSession, Role
from tests.accounts.conftest import audit, login
from tests.factories import make_user

DISPLACED = "您的账号已在其他地方登录，本会话已结束。如非本人操作，请立即修改密码。"


@pytest.fixture
def user(db):
    return make_user(Role.CITY_APPLICANT)


def test_a_second_login_ends_the_first_session_which_is_told_why(user):
    first, second = Client(), Client()
    login(first, user.username, REMOTE_ADDR="192.0.2.1")
    assert first.get(reverse("home:city")).status_code == 200
    first_key = first.cookies["sessionid"].value

    login(second, user.username, REMOTE_ADDR="192.0.2.2")

    assert second.get(reverse("home:city")).status_code == 200
    refused = first.get(reverse("home:city"))
    assert refused.status_code == 302
    assert refused.url == f"{reverse('accounts:login')}?next=/home/city/&displaced=1"
    assert DISPLACED in first.get(refused.url).content.decode()
    assert "_auth_user_id" not in first.session
    assert first.get(reverse("home:city")).url.startswith(reverse("accounts:login"))  # still out
    live = AccountSession.objects.filter(user_id=user.pk)
    assert [s.session_key for s in live] == [second.cookies["sessionid"].value]
    assert not live.filter(session_key=first_key).exists()
    record = audit("accounts.session.displace").get()
    assert (record.actor_username, record.object_id, record.ip_address) == (user.username, str(user.pk), "192.0.2.2")
    assert "1 个较早的会话" in record.detail


def test_the_limit_is_configurable_and_the_oldest_sessions_go_first(user, settings):
    settings.ICDC_MAX_SESSIONS_PER_USER = 2
    clients = [Client() for _ in range(3)]
    for client in clients:
        login(client, user.username)
    assert clients[0].get(reverse("home:city")).status_code == 302
    assert clients[1].get(reverse("home:city")).status_code == 200
    assert clients[2].get(reverse("home:city")).status_code == 200
    assert AccountSession.objects.filter(user_id=user.pk).count() == 2
    assert audit("accounts.session.displace").count() == 1


def test_no_limit_when_set_to_zero(user, settings):
    settings.ICDC_MAX_SESSIONS_PER_USER = 0
    clients = [Client() for _ in range(3)]
    for client in clients:
        login(client, user.username)
    assert all(c.get(reverse("home:city")).status_code == 200 for c in clients)
    assert not audit("accounts.session.displace").exists()


def test_other_accounts_sessions_are_untouched(user):
    other = make_user(Role.CITY_APPLICANT)
    mine, theirs = Client(), Client()
    login(theirs, other.username)
    login(mine, user.username)
    login(Client(), user.username)
    assert theirs.get(reverse("home:city")).status_code == 200
    assert AccountSession.objects.filter(user_id=other.pk).count() == 1

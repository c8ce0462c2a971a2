"""Logging out (SECURITY.md 剩余信息保护): the server session is deleted, so the old cookie
is refused afterwards; the logout is audited once."""

import pytest
from django.test import Client
from django.urls import reverse

from icdc.accounts.models import AccountSession as Session
from icdc.accounts.models import Role
from tests.accounts.conftest import audit, login
from tests.factories import make_user


@pytest.fixture
def user(db):
    return make_user(Role.CITY_APPLICANT)


def test_logout_deletes_the_session_and_the_old_cookie_is_refused(client, user):
    login(client, user.username)
    old_key = client.cookies["sessionid"].value
    assert client.get(reverse("home:city")).status_code == 200

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?logged_out=1"
    assert not Session.objects.filter(session_key=old_key).exists()
    assert "您已安全退出。" in client.get(response.url).content.decode()

    replay = Client()
    replay.cookies["sessionid"] = old_key
    refused = replay.get(reverse("home:city"))
    assert refused.status_code == 302
    assert refused.url.startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in replay.session


def test_logout_is_audited_once(client, user):
    login(client, user.username)
    client.post(reverse("accounts:logout"))
    record = audit("accounts.session.logout").get()
    assert (record.actor_username, record.actor_role, record.result) == (user.username, "city", "ok")
    # a second logout, with nobody logged in, records nothing
    client.post(reverse("accounts:logout"))
    assert audit("accounts.session.logout").count() == 1


def test_logout_needs_post(client, user):
    login(client, user.username)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(reverse("home:city")).status_code == 200


def test_logout_clears_the_session_cookie(client, user):
    login(client, user.username)
    response = client.post(reverse("accounts:logout"))
    cookie = response.cookies["sessionid"]
    assert cookie.value == "" and cookie["max-age"] == 0

"""Idle logout after 30 minutes (SECURITY.md 身份鉴别), with a Chinese message on the login page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from freezegun import freeze_time

from icdc.accounts.models import AccountSession as Session
from icdc.accounts.models import Role
from tests.accounts.conftest import audit, login
from tests.factories import make_user

EXPIRED = "您已超过 30 分钟未操作，会话已过期，请重新登录。"


@pytest.fixture
def city_user(db):
    return make_user(Role.CITY_APPLICANT)


def test_request_29_minutes_after_the_last_one_is_served(client, city_user):
    with freeze_time("2026-03-02 09:00:00") as frozen:
        login(client, city_user.username)
        assert client.get(reverse("home:city")).status_code == 200
        frozen.tick(timedelta(minutes=29))
        assert client.get(reverse("home:city")).status_code == 200
        frozen.tick(timedelta(minutes=29))  # idle time counts from the last request
        assert client.get(reverse("home:city")).status_code == 200


def test_request_31_minutes_idle_goes_to_login_with_the_expiry_message(client, city_user):
    with freeze_time("2026-03-02 09:00:00") as frozen:
        login(client, city_user.username)
        client.get(reverse("home:city"))
        frozen.tick(timedelta(minutes=31))
        response = client.get(reverse("home:city"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
        page = client.get(response.url)
        assert EXPIRED in page.content.decode()
        assert "_auth_user_id" not in client.session


def test_idle_expiry_by_the_policy_deletes_the_session_and_is_audited_once(client, city_user, settings):
    # With a longer server-side session, the middleware's own idle rule is what ends it.
    settings.SESSION_COOKIE_AGE = 8 * 3600
    with freeze_time("2026-03-02 09:00:00") as frozen:
        login(client, city_user.username)
        client.get(reverse("home:city"))
        key = client.cookies["sessionid"].value
        frozen.tick(timedelta(minutes=31))
        response = client.get(reverse("home:city"))
        assert response.status_code == 302
        assert response.url == f"{reverse('accounts:login')}?expired=1&next=%2Fhome%2Fcity%2F"
        assert EXPIRED in client.get(response.url).content.decode()
    assert not Session.objects.filter(session_key=key).exists()
    record = audit("accounts.session.expire").get()
    assert (record.actor_username, record.result) == (city_user.username, "ok")
    assert not audit("accounts.session.logout").exists()


def test_htmx_request_on_an_idle_session_is_told_to_navigate(client, city_user, settings):
    settings.SESSION_COOKIE_AGE = 8 * 3600
    with freeze_time("2026-03-02 09:00:00") as frozen:
        login(client, city_user.username)
        client.get(reverse("home:city"))
        frozen.tick(timedelta(minutes=31))
        response = client.get(reverse("home:city"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(f"{reverse('accounts:login')}?expired=1")


def test_idle_timeout_is_configurable(client, city_user, settings):
    settings.ICDC_IDLE_TIMEOUT = timedelta(minutes=10)
    settings.SESSION_COOKIE_AGE = 8 * 3600
    with freeze_time("2026-03-02 09:00:00") as frozen:
        login(client, city_user.username)
        client.get(reverse("home:city"))
        frozen.tick(timedelta(minutes=11))
        response = client.get(reverse("home:city"))
        assert response.status_code == 302
        assert "您已超过 10 分钟未操作" in client.get(response.url).content.decode()

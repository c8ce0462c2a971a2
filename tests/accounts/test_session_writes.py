"""The idle expiry (30 minutes) without writing the session on every request: the last-seen
stamp is rewritten at most once a minute; database connections are kept and health-checked."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from icdc.accounts.middleware import LAST_SEEN_KEY
from icdc.accounts.models import AccountSession, Role
from tests.accounts.conftest import login
from tests.factories import make_user

SESSION_TABLE = AccountSession._meta.db_table


@pytest.fixture
def city_user(db):
    return make_user(Role.CITY_APPLICANT)


def session_updates(queries):
    return [q["sql"] for q in queries
            if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT")) and SESSION_TABLE in q["sql"]]


def stamp(client):
    return client.session[LAST_SEEN_KEY]


def test_a_request_within_a_minute_writes_no_session(client, city_user):
    with freeze_time("2026-03-02 09:00:00") as frozen:
        login(client, city_user.username)
        client.get(reverse("home:city"))
        written = stamp(client)
        frozen.tick(timedelta(seconds=59))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home:city")).status_code == 200
        assert session_updates(queries) == []
        assert stamp(client) == written


def test_a_request_a_minute_later_writes_the_stamp_once(client, city_user):
    with freeze_time("2026-03-02 09:00:00") as frozen:
        login(client, city_user.username)
        frozen.tick(timedelta(seconds=61))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("home:city"))
        assert len(session_updates(queries)) == 1
        assert stamp(client) == pytest.approx(timezone.now().timestamp())


def test_idle_expiry_is_still_thirty_minutes(client, city_user):
    with freeze_time("2026-03-02 09:00:00") as frozen:
        login(client, city_user.username)
        frozen.tick(timedelta(minutes=29, seconds=59))
        assert client.get(reverse("home:city")).status_code == 200  # rewrites the stamp
        frozen.tick(timedelta(seconds=30))
        assert client.get(reverse("home:city")).status_code == 200  # within the minute: no write
        frozen.tick(timedelta(minutes=29, seconds=31))  # 30 min after the stamp, 29.5 after the request
        response = client.get(reverse("home:city"))
        assert response.status_code == 302
        assert response.url.startswith(f"{reverse('accounts:login')}?expired=1")
        assert "_auth_user_id" not in client.session


def test_idle_thirty_one_minutes_is_refused_and_the_store_keeps_the_session_until_the_rule_speaks(
    client, city_user
):
    # The store's own expiry is one stamp interval later than the idle rule, so the rule
    # (which audits the expiry) is what ends the session.
    assert django_settings.SESSION_COOKIE_AGE == 31 * 60
    with freeze_time("2026-03-02 09:00:00") as frozen:
        login(client, city_user.username)
        key = client.cookies["sessionid"].value
        frozen.tick(timedelta(minutes=30, seconds=30))
        assert AccountSession.objects.filter(session_key=key, expire_date__gt=timezone.now()).exists()
        assert client.get(reverse("home:city")).status_code == 302
    assert not AccountSession.objects.filter(session_key=key).exists()


def test_database_connections_are_kept_and_checked():
    assert django_settings.DATABASES["default"]["CONN_MAX_AGE"] == 60
    assert django_settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert not getattr(django_settings, "SESSION_SAVE_EVERY_REQUEST", False)

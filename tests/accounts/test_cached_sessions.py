"""Sessions read through a shared cache (Redis; ``icdc.accounts.cached_sessions``, chosen when
CACHE_URL names a shared cache): no session query behind login, and still the same rules —
logout ends the session everywhere, a displaced session is told why, idle expiry holds, a
session deleted behind the cache's back is not served from it.

Needs Redis (ICDC_TEST_REDIS_URL, default redis://127.0.0.1:6379/15); skipped if it is not
running, except on CI. Each test uses its own key prefix and removes its keys."""

import os
import uuid
from datetime import timedelta

import pytest
import redis
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from icdc.accounts import sessions
from icdc.accounts.models import AccountSession, Role
from tests.accounts.conftest import audit, login
from tests.factories import make_user

REDIS_URL = os.environ.get("ICDC_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
DISPLACED = "您的账号已在其他地方登录，本会话已结束。如非本人操作，请立即修改密码。"
EXPIRED = "您已超过 30 分钟未操作，会话已过期，请重新登录。"


@pytest.fixture
def shared_cache(settings):
    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        server.ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis is not running at {REDIS_URL}")
    prefix = f"icdc-test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": {"BACKEND": "icdc.lib.cache.RedisCache", "LOCATION": REDIS_URL,
                                   "KEY_PREFIX": prefix}}
    settings.SESSION_ENGINE = sessions.CACHED_ENGINE
    yield caches["default"]
    for key in server.scan_iter(match=f"{prefix}:*"):
        server.delete(key)


@pytest.fixture
def user(db, shared_cache):
    return make_user(Role.CITY_APPLICANT)


def _cached(cache, key):
    """The session data the cache holds for ``key`` (or the tombstone)."""
    value = cache.get(sessions.CachedSessionStore.cache_key_prefix + key)
    return value[1] if isinstance(value, tuple) else value


def _session_queries(queries):
    return [q["sql"] for q in queries if AccountSession._meta.db_table in q["sql"]]


def test_the_settings_choose_the_cached_engine_only_for_a_shared_cache():
    from icdc import settings as project

    assert project.SHARED_CACHE_BACKENDS[0] == "icdc.lib.cache.RedisCache"
    expected = (sessions.CACHED_ENGINE if project.CACHES["default"]["BACKEND"] in project.SHARED_CACHE_BACKENDS
                else "icdc.accounts.sessions")
    assert project.SESSION_ENGINE == expected
    if not os.environ.get("CACHE_URL"):
        assert project.SESSION_ENGINE == "icdc.accounts.sessions"  # locmem: never cached sessions


def test_a_request_behind_login_reads_no_session_row(client, user, shared_cache):
    login(client, user.username)
    assert client.get(reverse("home:city")).status_code == 200
    key = client.cookies["sessionid"].value
    assert _cached(shared_cache, key)["_auth_user_id"] == str(user.pk)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home:city")).status_code == 200
    assert _session_queries(queries.captured_queries) == []
    assert AccountSession.objects.get(session_key=key).user_id == user.pk  # the row is still written


def test_logout_ends_the_session_for_every_worker(client, user, shared_cache):
    login(client, user.username)
    key = client.cookies["sessionid"].value
    other_worker = Client()
    other_worker.cookies["sessionid"] = key
    assert other_worker.get(reverse("home:city")).status_code == 200

    client.post(reverse("accounts:logout"))

    assert _cached(shared_cache, key) == sessions.TOMBSTONE
    assert not AccountSession.objects.filter(session_key=key).exists()
    refused = other_worker.get(reverse("home:city"))
    assert refused.status_code == 302 and refused.url.startswith(reverse("accounts:login"))
    assert audit("accounts.session.logout").count() == 1


def test_a_displaced_session_is_ended_in_the_cache_and_told_why(user, shared_cache):
    first, second = Client(), Client()
    login(first, user.username)
    assert first.get(reverse("home:city")).status_code == 200
    first_key = first.cookies["sessionid"].value

    login(second, user.username)

    assert set(_cached(shared_cache, first_key)) == {sessions.DISPLACED_KEY}
    assert second.get(reverse("home:city")).status_code == 200
    refused = first.get(reverse("home:city"))
    assert refused.url == f"{reverse('accounts:login')}?next=/home/city/&displaced=1"
    assert DISPLACED in first.get(refused.url).content.decode()
    assert first.get(reverse("home:city")).url.startswith(reverse("accounts:login"))  # still out
    assert audit("accounts.session.displace").count() == 1


def test_a_cached_session_lapses_with_the_store_by_the_applications_clock(client, user, shared_cache):
    with freeze_time("2026-03-02 09:00:00") as frozen:
        login(client, user.username)
        client.get(reverse("home:city"))
        frozen.tick(timedelta(minutes=31))  # the cache's own timer has not run out; the app's clock has
        response = client.get(reverse("home:city"))
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
        assert EXPIRED in client.get(response.url).content.decode()
        assert "_auth_user_id" not in client.session


def test_idle_expiry_by_the_policy_ends_a_cached_session(client, user, shared_cache, settings):
    settings.SESSION_COOKIE_AGE = 8 * 3600  # the middleware's idle rule, not the store, ends it
    with freeze_time("2026-03-02 09:00:00") as frozen:
        login(client, user.username)
        client.get(reverse("home:city"))
        key = client.cookies["sessionid"].value
        frozen.tick(timedelta(minutes=31))
        response = client.get(reverse("home:city"))
        assert response.url == f"{reverse('accounts:login')}?expired=1&next=%2Fhome%2Fcity%2F"
        assert EXPIRED in client.get(response.url).content.decode()
    assert _cached(shared_cache, key) == sessions.TOMBSTONE
    assert not AccountSession.objects.filter(session_key=key).exists()
    assert audit("accounts.session.expire").count() == 1


def test_a_read_just_before_a_logout_does_not_put_the_session_back(client, user, shared_cache):
    login(client, user.username)
    key = client.cookies["sessionid"].value
    shared_cache.delete(sessions.CachedSessionStore.cache_key_prefix + key)  # next read goes to the database
    late = sessions.CachedSessionStore(key)
    read_row = late._get_session_from_db

    def read_then_logout_elsewhere():
        row = read_row()  # this request read the row ...
        sessions.CachedSessionStore(key).delete()  # ... then another worker logged the session out
        return row

    late._get_session_from_db = read_then_logout_elsewhere
    assert late.load()["_auth_user_id"] == str(user.pk)  # the request in flight had it
    assert _cached(shared_cache, key) == sessions.TOMBSTONE  # but it did not bring it back
    assert sessions.CachedSessionStore(key).load() == {}
    refused = client.get(reverse("home:city"))
    assert refused.status_code == 302 and refused.url.startswith(reverse("accounts:login"))


def test_rows_deleted_through_the_orm_end_the_cached_sessions(client, user, shared_cache):
    login(client, user.username)
    key = client.cookies["sessionid"].value
    assert client.get(reverse("home:city")).status_code == 200
    AccountSession.objects.filter(user_id=user.pk).delete()
    assert _cached(shared_cache, key) == sessions.TOMBSTONE
    assert client.get(reverse("home:city")).status_code == 302


def test_a_row_deleted_behind_the_cache_is_buried_at_the_next_save(user, shared_cache):
    store = sessions.CachedSessionStore()
    store["_auth_user_id"] = str(user.pk)
    store.save(must_create=True)
    key = store.session_key
    AccountSession.objects.filter(session_key=key)._raw_delete(using="default")  # no signal: raw SQL
    assert sessions.CachedSessionStore(key).load()["_auth_user_id"] == str(user.pk)  # the cache did not know
    store["x"] = 1
    with pytest.raises(sessions.UpdateError):
        store.save()
    assert sessions.CachedSessionStore(key).load() == {}


def test_both_stores_read_each_others_sessions(user, shared_cache):
    """Turning the shared cache on (or off) logs nobody out; a displaced session's data, written
    to its row, reads back through the cache's store."""
    plain = sessions.SessionStore()
    plain["_auth_user_id"] = str(user.pk)
    plain.save(must_create=True)
    assert sessions.CachedSessionStore(plain.session_key).load()["_auth_user_id"] == str(user.pk)
    cached = sessions.CachedSessionStore()
    cached["probe"] = "x"
    cached.save(must_create=True)
    assert sessions.SessionStore(cached.session_key).load() == {"probe": "x"}
    assert AccountSession.objects.get(session_key=cached.session_key).get_decoded() == {"probe": "x"}


def test_a_displaced_session_read_from_its_row_still_says_why(user, shared_cache):
    first, second = Client(), Client()
    login(first, user.username)
    first_key = first.cookies["sessionid"].value
    login(second, user.username)
    shared_cache.delete(sessions.CachedSessionStore.cache_key_prefix + first_key)  # e.g. evicted
    refused = first.get(reverse("home:city"))
    assert refused.url == f"{reverse('accounts:login')}?next=/home/city/&displaced=1"

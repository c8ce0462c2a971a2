"""Login-failure handling (SECURITY.md): 5 failures lock the account for 15 minutes; the
6th attempt is refused even with the right password, in Chinese, and audited."""

from datetime import timedelta

import pytest
from django.urls import reverse
from freezegun import freeze_time

from icdc.accounts import selectors, services
from icdc.accounts.models import Role
from tests.accounts.conftest import audit, login
from tests.factories import make_user

WRONG = "Wrong#Pass2026"
LOCK_MESSAGE = "登录失败次数过多，该账号已被锁定 15 分钟。请稍后再试，或联系系统管理员解锁。"


@pytest.fixture
def user(db):
    return make_user(Role.PROVINCIAL_OFFICIAL)


def fail(client, username, times):
    return [login(client, username, WRONG) for _ in range(times)]


def test_four_failures_do_not_lock(client, user):
    responses = fail(client, user.username, 4)
    assert all(r.status_code == 200 for r in responses)
    assert login(client, user.username).status_code == 302


def test_sixth_attempt_with_right_password_is_refused_and_audited(client, user):
    with freeze_time("2026-03-02 09:00:00"):
        responses = fail(client, user.username, 5)
        assert [r.status_code for r in responses] == [200, 200, 200, 200, 403]

        response = login(client, user.username)  # the right password

    assert response.status_code == 403
    assert "accounts/lockout.html" in [t.name for t in response.templates]
    assert LOCK_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not audit("accounts.session.login").exists()
    # one record per attempt: four failures, the failure that locked, the refused attempt
    assert audit("accounts.session.login_failed", result="failed").count() == 4
    locked = list(audit("accounts.account.lock").order_by("seq"))
    assert [r.result for r in locked] == ["locked", "locked"]
    assert all(r.actor_username == user.username and r.object_id == str(user.pk) for r in locked)
    assert "连续 5 次登录失败" in locked[0].detail
    assert "锁定期间" in locked[1].detail


def test_lock_is_lifted_after_fifteen_minutes(client, user):
    with freeze_time("2026-03-02 09:00:00") as frozen:
        fail(client, user.username, 5)
        frozen.tick(timedelta(minutes=14, seconds=59))
        assert login(client, user.username).status_code == 403
        frozen.tick(timedelta(minutes=15, seconds=1))  # 15 minutes after the last attempt
        response = login(client, user.username)
        assert response.status_code == 302
        assert client.get(reverse("home:province")).status_code == 200
    assert audit("accounts.session.login").count() == 1


def test_lock_applies_to_the_account_whatever_the_address(client, user):
    for i in range(5):
        login(client, user.username, WRONG, REMOTE_ADDR=f"10.0.0.{i}")
    assert login(client, user.username, REMOTE_ADDR="10.9.9.9").status_code == 403
    assert {r.ip_address for r in audit("accounts.account.lock")} == {"10.0.0.4", "10.9.9.9"}


def test_lock_of_one_account_leaves_others_alone(client, user):
    other = make_user(Role.PROVINCIAL_OFFICIAL)
    fail(client, user.username, 5)
    assert login(client, other.username).status_code == 302


def test_lockout_period_is_configurable(client, user, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    with freeze_time("2026-03-02 09:00:00") as frozen:
        responses = fail(client, user.username, 5)
        assert "锁定 30 分钟" in responses[-1].content.decode()
        frozen.tick(timedelta(minutes=16))
        assert login(client, user.username).status_code == 403


def test_system_admin_can_unlock_an_account(client, user, role_users):
    fail(client, user.username, 5)
    assert selectors.is_locked(user)
    services.unlock_account(unlocked_by=role_users[Role.SYSTEM_ADMIN], user=user)
    assert not selectors.is_locked(user)
    assert login(client, user.username).status_code == 302
    record = audit("accounts.account.unlock").get()
    assert (record.actor_username, record.object_id) == (role_users[Role.SYSTEM_ADMIN].username, str(user.pk))

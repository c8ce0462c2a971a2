"""Two sessions of one account send the same code at the same moment: exactly one is
verified. ``two_factor.verify`` locks the device rows (select_for_update), so the second
reads the device after the first has recorded the code as used (django-otp's last_t)."""

import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from icdc.accounts.models import Role
from tests.accounts.conftest import audit, login
from tests.factories import make_user

from .test_two_factor import code

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)"
)


@pytest.fixture
def slow_check(monkeypatch):
    """Widen the window between reading the device and saving it, so that without the lock
    both sessions would read the code as unused (the race the lock prevents)."""
    original = TOTPDevice.verify_token

    def verify_token(self, token):
        time.sleep(0.4)
        return original(self, token)

    monkeypatch.setattr(TOTPDevice, "verify_token", verify_token)


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_same_code_sent_by_two_sessions_at_once_verifies_one(settings, slow_check):
    settings.ICDC_REQUIRE_2FA = True
    settings.ICDC_MAX_SESSIONS_PER_USER = 2
    user = make_user(Role.EXPERT)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    sessions = [Client(), Client()]
    for client in sessions:
        login(client, user.username)
    token = code(device)
    start, statuses, errors = threading.Barrier(2), {}, []

    def send(n):
        try:
            start.wait()
            statuses[n] = sessions[n].post(reverse("accounts:otp_verify"), {"token": token}).status_code
        except Exception as exc:  # reported below; a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(statuses.values()) == [200, 302]  # one verified (redirect), one refused (form again)
    verified = [c for c in sessions if c.get(reverse("home:expert")).status_code == 200]
    assert len(verified) == 1
    assert audit("accounts.otp.verify").count() == 1
    assert audit("accounts.otp.verify_fail").count() == 1


@pytest.fixture
def slow_recovery_check(monkeypatch):
    from django_otp.plugins.otp_static.models import StaticDevice

    original = StaticDevice.verify_token

    def verify_token(self, token):
        time.sleep(0.4)
        return original(self, token)

    monkeypatch.setattr(StaticDevice, "verify_token", verify_token)


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_one_recovery_code_sent_by_two_sessions_at_once_verifies_one(settings, slow_recovery_check):
    from django_otp.plugins.otp_static.models import StaticToken

    settings.ICDC_REQUIRE_2FA = True
    settings.ICDC_MAX_SESSIONS_PER_USER = 3
    user = make_user(Role.EXPERT)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    owner = Client()
    login(owner, user.username)
    owner.post(reverse("accounts:otp_verify"), {"token": code(device)})
    page = owner.post(reverse("accounts:me_recovery_codes")).content.decode()
    recovery = page.split('data-testid="recovery-codes"')[1].split("<li>")[1].split("</li>")[0]
    sessions = [Client(), Client()]
    for client in sessions:
        login(client, user.username)
    start, statuses, errors = threading.Barrier(2), {}, []

    def send(n):
        try:
            start.wait()
            response = sessions[n].post(reverse("accounts:otp_verify"), {"recovery_code": recovery})
            statuses[n] = response.status_code
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(statuses.values()) == [200, 302]
    assert StaticToken.objects.filter(device__user=user).count() == 9
    assert audit("accounts.recovery_code.use").count() == 1

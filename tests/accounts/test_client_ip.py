"""Where a request comes from, behind the front proxy (安全审计: 'from where'): the audit
trail and the lock-out records name the same address, and X-Forwarded-For is believed only
from a configured proxy."""

import pytest
from axes.models import AccessAttempt, AccessLog
from django.test import RequestFactory

from icdc.accounts.models import Role
from icdc.audit.context import client_ip
from tests.accounts.conftest import audit, login
from tests.factories import make_user

WRONG = "Wrong#Pass2026"
PROXY = "10.0.0.5"


@pytest.fixture
def user(db):
    return make_user(Role.PROVINCIAL_OFFICIAL)


@pytest.fixture
def behind_proxy(settings):
    settings.ICDC_TRUSTED_PROXIES = ["10.0.0.0/24", "127.0.0.1"]
    return settings


def test_a_client_cannot_choose_its_address_by_sending_x_forwarded_for(client, user):
    login(client, user.username, WRONG, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    login(client, user.username, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert audit("accounts.session.login_failed").get().ip_address == "203.0.113.9"
    assert audit("accounts.session.login").get().ip_address == "203.0.113.9"
    assert AccessLog.objects.get(username=user.username).ip_address == "203.0.113.9"


def test_an_untrusted_client_is_ignored_even_when_proxies_are_configured(client, user, behind_proxy):
    login(client, user.username, WRONG, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.0.0.7")
    assert audit("accounts.session.login_failed").get().ip_address == "203.0.113.9"
    assert AccessAttempt.objects.get(username=user.username).ip_address == "203.0.113.9"


def test_behind_a_trusted_proxy_the_client_address_is_used_for_audit_and_lockout(client, user, behind_proxy):
    # The client forged a first entry; its proxy and ours appended what they saw.
    xff = "1.1.1.1, 198.51.100.23, 10.0.0.9"
    login(client, user.username, WRONG, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=xff)
    login(client, user.username, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=xff)
    assert audit("accounts.session.login_failed").get().ip_address == "198.51.100.23"
    assert audit("accounts.session.login").get().ip_address == "198.51.100.23"
    assert AccessLog.objects.get(username=user.username).ip_address == "198.51.100.23"


def test_the_lockout_record_names_the_client_behind_the_proxy(client, user, behind_proxy):
    for i in range(5):
        login(client, user.username, WRONG, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
    recorded = set(AccessAttempt.objects.filter(username=user.username).values_list("ip_address", flat=True))
    assert recorded == {f"198.51.100.{i}" for i in range(5)}
    assert audit("accounts.account.lock").get().ip_address == "198.51.100.4"


@pytest.mark.parametrize(
    ("remote", "xff", "expected"),
    [
        ("203.0.113.9", "", "203.0.113.9"),
        ("10.0.0.5", "", "10.0.0.5"),  # a proxy that forwarded nothing: the proxy itself
        ("10.0.0.5", "198.51.100.1", "198.51.100.1"),
        ("10.0.0.5", "198.51.100.1,10.0.0.6", "198.51.100.1"),
        ("10.0.0.5", "10.0.0.6, 10.0.0.7", "10.0.0.6"),  # every hop a proxy: the left-most
        ("10.0.0.5", "198.51.100.1, not-an-ip", "10.0.0.5"),  # garbage stops trust at our proxy
        ("10.0.0.5", "2001:db8::1", "2001:db8::1"),
        ("127.0.0.1", "192.0.2.44", "192.0.2.44"),
    ],
)
def test_reading_the_forwarded_chain(behind_proxy, remote, xff, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=xff)
    assert client_ip(request) == expected


def test_a_mistyped_proxy_setting_stops_start_up():
    import os
    import subprocess
    import sys

    env = {**os.environ, "ICDC_TRUSTED_PROXIES": "10.0.0.0/33", "DJANGO_SETTINGS_MODULE": "icdc.settings"}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "ICDC_TRUSTED_PROXIES" in result.stderr and "10.0.0.0/33" in result.stderr

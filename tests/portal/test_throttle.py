"""Public POSTs are throttled per client address (icdc/lib/throttle.py): past the rate, a Chinese
429 page, and the view does not run; other addresses and GETs are not counted; X-Forwarded-For
is believed only from a trusted proxy (the address the audit trail and the lock-out use)."""

import pytest
from django.test import Client
from django.urls import reverse

from icdc.lib.throttle import period_seconds

URL = reverse("portal:verify")


@pytest.fixture
def three_a_minute(settings):
    settings.ICDC_VERIFY_RATE = "3/m"


def _post(client, **extra):
    return client.post(URL, {"digest": "ab" * 32}, **extra)


def test_the_fourth_post_from_one_address_gets_429_in_chinese(client, db, three_a_minute):
    answers = [_post(client, REMOTE_ADDR="203.0.113.7") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert all('data-testid="verify-not-found"' in a.content.decode() for a in answers[:3])
    refused = answers[3].content.decode()
    assert "请求过于频繁" in refused and "请 1 分钟后再试" in refused and "verify-not-found" not in refused
    assert answers[3]["Retry-After"] == "60" and answers[3]["Content-Language"] == "zh-hans"


def test_another_address_and_gets_are_not_counted(client, db, three_a_minute):
    for _ in range(3):
        _post(client, REMOTE_ADDR="203.0.113.7")
    assert client.get(URL, REMOTE_ADDR="203.0.113.7").status_code == 200
    assert _post(client, REMOTE_ADDR="203.0.113.8").status_code == 200
    assert _post(client, REMOTE_ADDR="203.0.113.7").status_code == 429


def test_a_forged_forwarded_for_does_not_escape_the_throttle(db, three_a_minute):
    client = Client()
    codes = [_post(client, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
             for n in range(4)]
    assert codes == [200, 200, 200, 429]


def test_behind_a_trusted_proxy_each_client_counts_alone(db, three_a_minute, settings):
    settings.ICDC_TRUSTED_PROXIES = ["10.0.0.1"]
    client = Client()
    for n in range(4):
        assert _post(client, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code == 200
    for _ in range(3):
        _post(client, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert _post(client, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.200").status_code == 429


def test_period_of_a_rate():
    assert [period_seconds(r) for r in ("10/m", "100/5m", "3/h", "1/d", "5/s", "junk")] == [60, 300, 3600, 86400,
                                                                                            1, 60]

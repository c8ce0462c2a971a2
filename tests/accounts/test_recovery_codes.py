"""Recovery codes: ten, shown once, stored only as keyed digests, each usable once at the
second-factor step; regenerating asks first and voids the old ones; every use audited."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from icdc.accounts.models import Role
from tests.accounts.conftest import audit, login

from .test_two_factor import code

pytestmark = pytest.mark.usefixtures("two_factor_on")


@pytest.fixture
def expert(role_users):
    return role_users[Role.EXPERT]


def verified_client(user, device):
    client = Client()
    login(client, user.username)
    client.post(reverse("accounts:otp_verify"), {"token": code(device)})
    return client


def shown_codes(response):
    block = response.content.decode().split('data-testid="recovery-codes"')[1].split("</ol>")[0]
    return re.findall(r"<li>([a-z0-9-]+)</li>", block)


def generate(client, confirm=False):
    return client.post(reverse("accounts:me_recovery_codes"), {"confirm": "1"} if confirm else {})


@pytest.fixture
def device(expert):
    return TOTPDevice.objects.create(user=expert, name="phone", confirmed=True)


def test_ten_codes_are_shown_once_and_stored_only_as_digests(expert, device):
    with freeze_time("2026-03-02 09:00:00"):
        client = verified_client(expert, device)
        codes = shown_codes(generate(client))
        assert len(codes) == 10 and len(set(codes)) == 10
        assert all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", c) for c in codes)
        stored = set(StaticToken.objects.filter(device__user=expert).values_list("token", flat=True))
        assert len(stored) == 10
        assert not stored & {c.replace("-", "") for c in codes} and not stored & set(codes)
        page = client.get(reverse("accounts:me_recovery_codes")).content.decode()
        assert not any(c in page for c in codes)  # never shown again
        assert "剩余 10 个" in page
    record = audit("accounts.recovery_code.generate").get()
    assert (record.actor_username, record.detail) == (expert.username, "10")
    assert not any(c in (record.detail + str(record.after)) for c in codes)


def test_a_code_stands_in_for_the_authenticator_once(expert, device):
    with freeze_time("2026-03-02 09:00:00") as frozen:
        codes = shown_codes(generate(verified_client(expert, device)))
        frozen.tick(60)
        client = Client()
        login(client, expert.username)
        response = client.post(reverse("accounts:otp_verify"), {"recovery_code": codes[3].upper()})
        assert response.status_code == 302
        home = client.get(reverse("home:expert"))
        assert home.status_code == 200
        assert "已使用一个恢复码，还剩 9 个。" in home.content.decode()
        frozen.tick(60)
        again = Client()
        login(again, expert.username)
        refused = again.post(reverse("accounts:otp_verify"), {"recovery_code": codes[3]})
        assert "恢复码错误或已使用。" in refused.content.decode()
        assert again.get(reverse("home:expert")).status_code == 302
    assert StaticToken.objects.filter(device__user=expert).count() == 9
    assert audit("accounts.recovery_code.use").get().detail == "剩余 9 个恢复码"
    assert audit("accounts.otp.verify_fail", detail="恢复码错误").count() == 1


def test_regenerating_asks_first_and_voids_the_old_codes(expert, device):
    with freeze_time("2026-03-02 09:00:00") as frozen:
        client = verified_client(expert, device)
        old = shown_codes(generate(client))
        asked = generate(client)
        assert "原有的 10 个恢复码将全部失效" in asked.content.decode()
        assert 'data-testid="recovery-codes"' not in asked.content.decode()
        assert audit("accounts.recovery_code.generate").count() == 1  # nothing happened yet
        new = shown_codes(generate(client, confirm=True))
        assert not set(old) & set(new)
        frozen.tick(60)
        other = Client()
        login(other, expert.username)
        assert "恢复码错误或已使用。" in other.post(
            reverse("accounts:otp_verify"), {"recovery_code": old[0]}).content.decode()
        frozen.tick(2)  # a wrong code makes the next try wait a second (django-otp throttling)
        assert other.post(reverse("accounts:otp_verify"), {"recovery_code": new[0]}).status_code == 302
    assert audit("accounts.recovery_code.generate").count() == 2


def test_no_codes_without_an_authenticator(client, role_users, settings):
    settings.ICDC_REQUIRE_2FA = False
    user = role_users[Role.CITY_APPLICANT]
    login(client, user.username)
    response = client.post(reverse("accounts:me_recovery_codes"), follow=True)
    assert "请先绑定动态口令，再生成恢复码。" in response.content.decode()
    assert not StaticToken.objects.exists()

"""Setting up and resetting one's own second factor from 我的账号: the reset asks for the
current password, voids the authenticator and the recovery codes, and the account enrols
again; an account that enrolled of its own accord is asked for the code at the next login."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from icdc.accounts.models import Role
from tests.accounts.conftest import audit, login
from tests.factories import DEMO_PASSWORD

from .test_two_factor import code


def enrol(client):
    client.post(reverse("accounts:otp_setup"), {"start": "1", "next": reverse("accounts:me")})
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(reverse("accounts:otp_setup"), {"token": code(device), "next": reverse("accounts:me")})
    assert response.status_code == 302 and response.url == reverse("accounts:me")
    device.refresh_from_db()
    return device


def test_a_city_account_may_enrol_and_is_then_asked_for_the_code(client, role_users, settings):
    settings.ICDC_REQUIRE_2FA = False  # not obliged: it chooses to
    user = role_users[Role.CITY_APPLICANT]
    with freeze_time("2026-03-02 09:00:00") as frozen:
        login(client, user.username)
        device = enrol(client)
        assert device.confirmed
        assert "已绑定验证器" in client.get(reverse("accounts:me")).content.decode()
        frozen.tick(60)
        other = Client()
        login(other, user.username)
        held = other.get(reverse("home:city"))
        assert held.status_code == 302 and held.url.startswith(reverse("accounts:otp_verify"))
        assert other.post(reverse("accounts:otp_verify"), {"token": code(device)}).status_code == 302
        assert other.get(reverse("home:city")).status_code == 200


def test_reset_needs_the_current_password(client, role_users, two_factor_on):
    user = role_users[Role.MINISTRY_OFFICER]
    with freeze_time("2026-03-02 09:00:00"):
        login(client, user.username)
        device = enrol(client)
        response = client.post(reverse("accounts:me_otp_reset"), {"password": "Wrong#Pass2026"})
    assert "当前密码不正确。" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert audit("accounts.otp.self_reset", result="failed").count() == 1


def test_reset_voids_authenticator_and_codes_and_requires_re_enrolment(client, role_users, two_factor_on):
    user = role_users[Role.MINISTRY_OFFICER]
    with freeze_time("2026-03-02 09:00:00") as frozen:
        login(client, user.username)
        enrol(client)
        client.post(reverse("accounts:me_recovery_codes"))
        assert StaticDevice.objects.filter(user=user).exists()
        response = client.post(reverse("accounts:me_otp_reset"), {"password": DEMO_PASSWORD})
        assert response.status_code == 302
        assert response.url == f"{reverse('accounts:otp_setup')}?next=%2Faccounts%2Fme%2F"
        assert not TOTPDevice.objects.filter(user=user).exists()
        assert not StaticDevice.objects.filter(user=user).exists()
        # the session is no longer verified: nothing but enrolment until a new authenticator
        assert client.get(reverse("home:ministry")).url == reverse("accounts:otp_setup")
        frozen.tick(60)
        new = enrol(client)
        assert client.get(reverse("home:ministry")).status_code == 200
    assert new.confirmed
    record = audit("accounts.otp.self_reset", result="ok").get()
    assert (record.actor_username, record.object_id, record.detail) == (user.username, str(user.pk), "1")


@pytest.mark.parametrize("url", ["accounts:me_otp_reset", "accounts:me_recovery_codes"])
def test_reset_and_codes_pages_without_an_authenticator_offer_nothing(client, role_users, url, settings):
    settings.ICDC_REQUIRE_2FA = False
    login(client, role_users[Role.PROVINCIAL_OFFICIAL].username)
    body = client.get(reverse(url)).content.decode()
    assert "尚未绑定验证器，无需重置。" in body or "请先绑定动态口令，再生成恢复码。" in body


def test_a_voluntary_authenticator_removed_by_the_administrator_no_longer_holds_the_session(
    client, role_users, settings
):
    from icdc.accounts import two_factor

    settings.ICDC_REQUIRE_2FA = False
    user = role_users[Role.CITY_APPLICANT]
    with freeze_time("2026-03-02 09:00:00") as frozen:
        login(client, user.username)
        enrol(client)
        frozen.tick(60)
        other = Client()
        login(other, user.username)  # held at the code step
        two_factor.reset_devices(reset_by=role_users[Role.SYSTEM_ADMIN], user=user)
        assert other.get(reverse("home:city")).status_code == 200  # no step left, no redirect loop

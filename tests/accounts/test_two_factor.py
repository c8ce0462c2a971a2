"""Two factors, one cryptographic (SECURITY.md 身份鉴别): TOTP for ministry, expert and
administrator accounts when ICDC_REQUIRE_2FA is on (always, in the production profile)."""

import base64
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from icdc.accounts.models import TWO_FACTOR_ROLES, Role
from icdc.home.navigation import HOME_OF_ROLE
from tests.accounts.conftest import audit, login

pytestmark = pytest.mark.usefixtures("two_factor_on")


def code(device, offset=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def enrolled(user):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


@pytest.mark.parametrize("role", sorted(TWO_FACTOR_ROLES))
def test_password_alone_does_not_reach_a_protected_page(client, role_users, role):
    user = role_users[role]
    device = enrolled(user)
    assert login(client, user.username).status_code == 302
    home = reverse(HOME_OF_ROLE[role])
    response = client.get(home)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:otp_verify')}?next={home.replace('/', '%2F')}"
    assert client.get(reverse("accounts:password_change")).status_code == 302  # not even this
    assert device.user_id == user.pk


@pytest.mark.parametrize("role", sorted(TWO_FACTOR_ROLES))
def test_without_an_authenticator_the_account_must_enrol_first(client, role_users, role):
    login(client, role_users[role].username)
    assert client.get(reverse(HOME_OF_ROLE[role])).url == reverse("accounts:otp_setup")


@pytest.mark.parametrize("role", [Role.CITY_APPLICANT, Role.PROVINCIAL_OFFICIAL])
def test_city_and_province_accounts_are_not_asked(client, role_users, role):
    login(client, role_users[role].username)
    assert client.get(reverse(HOME_OF_ROLE[role])).status_code == 200


def test_wrong_code_is_refused_in_chinese_and_audited(client, role_users):
    user = role_users[Role.MINISTRY_OFFICER]
    device = enrolled(user)
    with freeze_time("2026-03-02 09:00:00"):
        login(client, user.username)
        wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
        response = client.post(reverse("accounts:otp_verify"), {"token": wrong})
    assert response.status_code == 200
    assert "动态口令错误或已过期，请输入验证器当前显示的 6 位数字。" in response.content.decode()
    assert client.get(reverse("home:ministry")).status_code == 302
    record = audit("accounts.otp.verify_fail").get()
    assert (record.actor_username, record.result) == (user.username, "failed")


@pytest.mark.parametrize("token", ["", "12345", "abcdef", "1234567", "１２３４５６"])
def test_malformed_codes_get_a_form_error(client, role_users, token):
    user = role_users[Role.EXPERT]
    enrolled(user)
    login(client, user.username)
    response = client.post(reverse("accounts:otp_verify"), {"token": token})
    assert response.status_code == 200
    assert "请输入 6 位数字动态口令。" in response.content.decode() or "不超过 6" in response.content.decode()
    assert not audit("accounts.otp.verify").exists()


def test_right_code_passes_and_goes_to_the_page_asked_for(client, role_users):
    user = role_users[Role.AUDIT_ADMIN]
    device = enrolled(user)
    with freeze_time("2026-03-02 09:00:00"):
        login(client, user.username)
        redirect = client.get(reverse("home:auditor"))
        key_before = client.session.session_key
        response = client.post(redirect.url, {"token": code(device), "next": reverse("home:auditor")})
        assert response.status_code == 302
        assert client.session.session_key != key_before  # a new session id with the raised assurance
        assert response.url == reverse("home:auditor")
        assert client.get(reverse("home:auditor")).status_code == 200
    assert audit("accounts.otp.verify", actor_username=user.username).count() == 1


def test_after_a_wrong_code_the_next_try_waits(client, role_users):
    user = role_users[Role.SYSTEM_ADMIN]
    device = enrolled(user)
    with freeze_time("2026-03-02 09:00:00") as frozen:
        login(client, user.username)
        client.post(reverse("accounts:otp_verify"), {"token": "000000" if code(device) != "000000" else "111111"})
        throttled = client.post(reverse("accounts:otp_verify"), {"token": code(device)})
        assert "动态口令错误次数过多，请 " in throttled.content.decode()
        frozen.tick(timedelta(seconds=31))  # the throttle has passed, and a new time step began
        assert client.post(reverse("accounts:otp_verify"), {"token": code(device)}).status_code == 302
        assert client.get(reverse("home:sysadmin")).status_code == 200


def test_a_used_code_cannot_be_replayed_in_another_session(client, role_users, settings):
    settings.ICDC_MAX_SESSIONS_PER_USER = 2  # both sessions stay live: the code is what is refused
    user = role_users[Role.EXPERT]
    device = enrolled(user)
    with freeze_time("2026-03-02 09:00:00"):
        token = code(device)
        login(client, user.username)
        assert client.post(reverse("accounts:otp_verify"), {"token": token}).status_code == 302
        other = Client(REMOTE_ADDR="192.0.2.66")
        login(other, user.username)
        replay = other.post(reverse("accounts:otp_verify"), {"token": token})

        assert "动态口令错误或已过期" in replay.content.decode()
        assert "otp_device_id" not in other.session  # the other session is not verified
        refused = other.get(reverse("home:expert"))
        assert refused.status_code == 302 and refused.url.startswith(reverse("accounts:otp_verify"))
        assert client.get(reverse("home:expert")).status_code == 200  # the first one is
    failed = audit("accounts.otp.verify_fail").get()
    assert (failed.actor_username, failed.result, failed.ip_address) == (user.username, "failed", "192.0.2.66")
    assert audit("accounts.otp.verify").count() == 1


def test_enrolment_page_shows_a_locally_drawn_qr_code_and_the_secret(client, role_users):
    user = role_users[Role.EXPERT]
    login(client, user.username)
    first = client.get(reverse("accounts:otp_setup"))
    assert 'data-testid="otp-start"' in first.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()  # a GET writes nothing
    started = client.post(reverse("accounts:otp_setup"), {"start": "1"})
    assert started.status_code == 302 and started.url.startswith(reverse("accounts:otp_setup"))
    response = client.get(started.url)
    body = response.content.decode()
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert re.search(r'<svg [^>]*viewBox="0 0 \d+ \d+"', body)
    assert "<img" not in body.split('data-testid="otp-qr"')[1].split("</div>")[0]
    assert "http://" not in body.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in body
    inline_scripts = [s for s in re.findall(r"<script([^>]*)>", body) if "src=" not in s]
    assert inline_scripts == []
    secret = re.search(r'data-testid="otp-secret">([A-Z2-7 ]+)<', body).group(1).replace(" ", "")
    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    # a reload (or a second start) shows the same secret, so a code scanned a moment ago still matches
    client.get(reverse("accounts:otp_setup"))
    client.post(reverse("accounts:otp_setup"), {"start": "1"})
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_get_on_the_enrolment_page_creates_no_device(client, role_users):
    user = role_users[Role.SYSTEM_ADMIN]
    login(client, user.username)
    for _ in range(3):
        assert client.get(reverse("accounts:otp_setup")).status_code == 200
    assert not TOTPDevice.objects.filter(user=user).exists()
    # a code posted before enrolment started is not taken as one
    assert client.post(reverse("accounts:otp_setup"), {"token": "123456"}).status_code == 200
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not audit("accounts.otp.enrol_fail").exists()


def test_enrolment_confirms_with_a_code_and_verifies_the_session(client, role_users):
    user = role_users[Role.MINISTRY_OFFICER]
    with freeze_time("2026-03-02 09:00:00"):
        login(client, user.username)
        client.post(reverse("accounts:otp_setup"), {"start": "1"})
        device = TOTPDevice.objects.get(user=user)
        wrong = client.post(reverse("accounts:otp_setup"), {"token": "12345x"})
        assert "请输入 6 位数字动态口令。" in wrong.content.decode()
        response = client.post(reverse("accounts:otp_setup"), {"token": code(device)})
        assert response.status_code == 302
        assert client.get(reverse("home:ministry")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert audit("accounts.otp.enrol").count() == 1
    # next login: the code is asked for
    client.post(reverse("accounts:logout"))
    login(client, user.username)
    assert client.get(reverse("home:ministry")).url.startswith(reverse("accounts:otp_verify"))


def test_enrolment_with_a_wrong_code_is_refused_and_audited(client, role_users):
    user = role_users[Role.EXPERT]
    with freeze_time("2026-03-02 09:00:00"):
        login(client, user.username)
        client.post(reverse("accounts:otp_setup"), {"start": "1"})
        device = TOTPDevice.objects.get(user=user)
        wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
        response = client.post(reverse("accounts:otp_setup"), {"token": wrong})
    assert "动态口令错误或已过期" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert audit("accounts.otp.enrol_fail", result="failed").count() == 1


def test_first_login_of_a_new_ministry_account_changes_password_then_enrols(client, role_users):
    from icdc.accounts import services

    services.create_account(
        created_by=role_users[Role.SYSTEM_ADMIN],
        username="new_officer",
        role=Role.MINISTRY_OFFICER,
        password="Initial#Pass2026",
    )
    login(client, "new_officer", "Initial#Pass2026")
    assert client.get(reverse("home:ministry")).url == reverse("accounts:password_change")
    client.post(
        reverse("accounts:password_change"),
        {"old_password": "Initial#Pass2026", "new_password1": "Mine#Own2026x", "new_password2": "Mine#Own2026x"},
    )
    assert client.get(reverse("home:ministry")).url == reverse("accounts:otp_setup")


def test_demo_profile_does_not_ask(client, role_users, settings):
    settings.ICDC_REQUIRE_2FA = False
    login(client, role_users[Role.MINISTRY_OFFICER].username)
    assert client.get(reverse("home:ministry")).status_code == 200


def test_production_profile_requires_two_factor():
    import importlib
    import os

    env = {"DJANGO_SECRET_KEY": "x" * 60, "DJANGO_ALLOWED_HOSTS": "icdc.example", "ICDC_AUDIT_KEY": "11" * 32,
           "ICDC_DATA_KEYS": "k1=" + "22" * 16}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        production = importlib.import_module("icdc.settings_production")
        production = importlib.reload(production)
        assert production.ICDC_REQUIRE_2FA is True
        assert production.AXES_FAILURE_LIMIT == 5
        assert production.ICDC_IDLE_TIMEOUT == timedelta(minutes=30)
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

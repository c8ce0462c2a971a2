"""安全审计: each login, failure, lockout, expiry and logout is exactly one record, with
who, role, from where, and the result."""

from datetime import timedelta

import pytest
from django.urls import reverse
from freezegun import freeze_time

from icdc.accounts.models import Role
from tests.accounts.conftest import audit, login
from tests.factories import make_user


@pytest.mark.django_db
def test_a_day_of_one_account_gives_one_record_per_event(client):
    user = make_user(Role.EXPERT)
    with freeze_time("2026-03-02 09:00:00") as frozen:
        login(client, user.username, "Wrong#Pass2026", REMOTE_ADDR="10.1.2.3")
        login(client, user.username, REMOTE_ADDR="10.1.2.3")
        client.get(reverse("home:expert"), REMOTE_ADDR="10.1.2.3")
        client.post(reverse("accounts:logout"), REMOTE_ADDR="10.1.2.3")
        login(client, user.username, REMOTE_ADDR="10.1.2.3")
        client.get(reverse("home:expert"), REMOTE_ADDR="10.1.2.3")
        frozen.tick(timedelta(minutes=31))
        client.get(reverse("home:expert"), REMOTE_ADDR="10.1.2.3")

    from icdc.audit.models import AuditRecord

    records = list(AuditRecord.objects.exclude(action__startswith="audit.row.").order_by("seq"))  # not the factory's
    assert [(r.action, r.result) for r in records] == [
        ("accounts.session.login_failed", "failed"),
        ("accounts.session.login", "ok"),
        ("accounts.session.logout", "ok"),
        ("accounts.session.login", "ok"),
    ]  # the 31-minute gap: the server session had lapsed, nothing to attribute
    assert {r.ip_address for r in records} == {"10.1.2.3"}
    assert {r.actor_username for r in records} == {user.username}
    assert {r.actor_role for r in records if r.action != "accounts.session.login_failed"} == {"expert"}


@pytest.mark.django_db
def test_login_for_a_two_factor_account_records_password_then_code(client, settings):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.ICDC_REQUIRE_2FA = True
    user = make_user(Role.MINISTRY_OFFICER)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    with freeze_time("2026-03-02 09:00:00"):
        login(client, user.username)
        client.post(reverse("accounts:otp_verify"), {"token": f"{totp(device.bin_key):06d}"})
    assert [r.action for r in audit("accounts.session.login")] + [r.action for r in audit("accounts.otp.verify")] == ["accounts.session.login", "accounts.otp.verify"]

"""The system administrator manages accounts on the admin site, through the same services."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from icdc.accounts import selectors
from icdc.accounts.models import Role, User
from tests.accounts.conftest import audit, login
from tests.factories import division

INITIAL = "Initial#Pass2026"


@pytest.fixture
def admin_client(client, role_users):
    client.force_login(role_users[Role.SYSTEM_ADMIN])
    return client


def add(admin_client, **data):
    payload = {
        "username": "",
        "display_name": "",
        "role": "",
        "division": "",
        "password1": INITIAL,
        "password2": INITIAL,
        **data,
    }
    return admin_client.post(reverse("admin:accounts_user_add"), payload)


def test_changelist_and_forms_render_in_chinese(admin_client, role_users):
    changelist = admin_client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert role_users[Role.EXPERT].username in changelist and "评审专家" in changelist
    add_page = admin_client.get(reverse("admin:accounts_user_add")).content.decode()
    assert "初始密码" in add_page
    for hidden in ("is_superuser", "is_staff", "user_permissions", "groups"):
        assert f'name="{hidden}"' not in add_page
    change_page = admin_client.get(reverse("admin:accounts_user_change", args=[role_users[Role.EXPERT].pk]))
    body = change_page.content.decode()
    assert change_page.status_code == 200
    assert reverse("admin:auth_user_password_change", args=[role_users[Role.EXPERT].pk]) in body
    assert role_users[Role.EXPERT].password not in body  # not even the hash
    for hidden in ("is_superuser", "is_staff", "user_permissions", "groups"):
        assert f'name="{hidden}"' not in body


def test_sysadmin_creates_a_city_account(admin_client, role_users):
    qingdao = division("370200", "青岛市")
    response = add(admin_client, username="qd_wang", display_name="王芳", role="city", division=qingdao.pk)
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="qd_wang")
    assert (user.role, user.division_id, user.must_change_password) == ("city", "370200", True)
    assert audit("account.created", actor_username=role_users[Role.SYSTEM_ADMIN].username).count() == 1


def test_case_variant_username_is_refused_on_the_form(admin_client, role_users):
    existing = role_users[Role.EXPERT].username
    response = add(admin_client, username=existing.upper(), role="expert")
    assert response.status_code == 200
    assert "该用户名已被使用（不区分大小写）。" in response.content.decode()
    assert not audit("account.created").exists()


def test_mismatched_division_is_refused_on_the_form(admin_client):
    response = add(admin_client, username="nodiv", role="city")
    assert "城市申报单位账号须绑定一个城市。" in response.content.decode()
    assert not User.objects.filter(username="nodiv").exists()


def test_weak_initial_password_is_refused_on_the_form(admin_client):
    response = add(admin_client, username="weakling", role="expert", password1="abcdefghij", password2="abcdefghij")
    assert "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。" in response.content.decode()
    assert not User.objects.filter(username="weakling").exists()


def change(admin_client, user, **data):
    payload = {
        "display_name": user.display_name,
        "role": user.role,
        "division": user.division_id or "",
        "is_active": "on" if user.is_active else "",
        "must_change_password": "",
        **data,
    }
    return admin_client.post(reverse("admin:accounts_user_change", args=[user.pk]), payload)


def test_sysadmin_changes_a_role_and_it_is_audited(admin_client, role_users):
    expert = role_users[Role.EXPERT]
    response = change(admin_client, expert, role="ministry")
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.role == "ministry"
    record = audit("account.role_changed").get()
    assert (record.before["role"], record.after["role"]) == ("expert", "ministry")
    assert not audit("data.update", object_id=str(expert.pk)).exists()


def test_sysadmin_cannot_change_own_role_on_the_form(admin_client, role_users):
    me = role_users[Role.SYSTEM_ADMIN]
    response = change(admin_client, me, role="auditor")
    assert response.status_code == 200
    assert "不能修改本人账号的角色或停用本人账号" in response.content.decode()
    me.refresh_from_db()
    assert me.role == "sysadmin"


def test_division_rule_holds_on_the_change_form(admin_client, role_users):
    response = change(admin_client, role_users[Role.CITY_APPLICANT], division="")
    assert "城市申报单位账号须绑定一个城市。" in response.content.decode()


def test_password_reset_forces_a_change_at_next_login(admin_client, role_users):
    expert = role_users[Role.EXPERT]
    url = reverse("admin:auth_user_password_change", args=[expert.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and 'name="usable_password"' not in page.content.decode()
    weak = admin_client.post(url, {"password1": "short", "password2": "short"})
    assert "密码长度太短" in weak.content.decode()
    response = admin_client.post(url, {"password1": "Reset#Pass2026", "password2": "Reset#Pass2026"})
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.check_password("Reset#Pass2026") and expert.must_change_password
    assert audit("password.reset").count() == 1
    other = Client()  # the account holder's own browser
    login(other, expert.username, "Reset#Pass2026")
    assert other.get(reverse("home:expert")).url == reverse("accounts:password_change")


def test_unlock_action(admin_client, role_users):
    official = role_users[Role.PROVINCIAL_OFFICIAL]
    browser = Client()
    for _ in range(5):
        login(browser, official.username, "Wrong#Pass2026")
    assert selectors.is_locked(official)
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"), {"action": "unlock", "_selected_action": [official.pk]}
    )
    assert response.status_code == 302
    assert not selectors.is_locked(official)
    assert audit("account.unlocked").count() == 1
    assert login(browser, official.username).status_code == 302


def test_reset_authenticator_action(admin_client, role_users):
    expert = role_users[Role.EXPERT]
    TOTPDevice.objects.create(user=expert, name="lost phone", confirmed=True)
    admin_client.post(
        reverse("admin:accounts_user_changelist"), {"action": "reset_authenticator", "_selected_action": [expert.pk]}
    )
    assert not TOTPDevice.objects.filter(user=expert).exists()
    assert audit("otp.reset").count() == 1


def test_sysadmin_home_summarises_accounts(admin_client):
    body = admin_client.get(reverse("home:sysadmin")).content.decode()
    assert "账号管理" in body and reverse("admin:accounts_user_changelist") in body
    assert 'data-testid="locked-count">0<' in body

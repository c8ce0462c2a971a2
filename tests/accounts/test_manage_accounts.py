"""The system administrator manages accounts on the platform's own pages (/accounts/manage/),
in Chinese, through the same services: find, create, edit, deactivate, reset, unlock."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from icdc.accounts import selectors
from icdc.accounts.models import Role, User
from tests.accounts.conftest import audit, login
from tests.factories import division, make_user

CONFIRMED = {"confirm": "yes"}  # the confirmation page's POST (icdc/lib/confirm.py)

WRONG = "Wrong#Pass2026"


@pytest.fixture
def sysadmin(role_users):
    return role_users[Role.SYSTEM_ADMIN]


@pytest.fixture
def admin_client(client, sysadmin):
    client.force_login(sysadmin)
    return client


@pytest.fixture
def places(db):
    shandong = division("370000", "山东省", level="province")
    return {"山东省": shandong, "青岛": division("370200", "青岛市", parent=shandong),
            "济南": division("370100", "济南市", parent=shandong),
            "北京": division("110000", "北京市", level="province", kind="直辖市", can_apply=True,
                           is_application_channel=False, applies_directly=True, is_municipality=True)}


def url(name, *args):
    return reverse(f"accounts:manage:{name}", args=args)


def lock(username):
    browser = Client()
    for _ in range(5):
        login(browser, username, WRONG)


def temporary_password(response):
    match = re.search(r'data-testid="temporary-password">([^<]+)<', response.content.decode())
    assert match, response.content.decode()[:3000]
    return match.group(1)


# --- finding accounts ------------------------------------------------------------------

def test_list_is_chinese_and_searches_username_and_name(admin_client, role_users):
    make_user(Role.EXPERT, username="zhang_expert", display_name="张伟")
    make_user(Role.EXPERT, username="li_expert", display_name="李娜")
    page = admin_client.get(url("list")).content.decode()
    assert "账号管理" in page and "评审专家" in page and "登录锁定" in page
    assert "After you" not in page and "Select" not in page
    by_name = admin_client.get(url("list"), {"q": "张"}).content.decode()
    assert "zhang_expert" in by_name and "li_expert" not in by_name
    by_username = admin_client.get(url("list"), {"q": "LI_EXP"}).content.decode()
    assert "li_expert" in by_username and "zhang_expert" not in by_username


def test_filters_by_role_province_active_and_locked(admin_client, role_users, places):
    qingdao = make_user(Role.CITY_APPLICANT, username="qd_city", division_obj=places["青岛"])
    beijing = make_user(Role.CITY_APPLICANT, username="bj_city", division_obj=places["北京"])
    gone = make_user(Role.EXPERT, username="gone_expert", is_active=False)
    lock(qingdao.username)

    def names(**params):
        body = admin_client.get(url("list"), params).content.decode()
        return set(re.findall(r'data-testid="account-row">\s*<td><a href="[^"]+">([^<]+)</a>', body))

    assert names(role="city") == {qingdao.username, beijing.username, role_users[Role.CITY_APPLICANT].username}
    assert names(province="370000") == {qingdao.username, role_users[Role.CITY_APPLICANT].username,
                                        role_users[Role.PROVINCIAL_OFFICIAL].username}
    assert names(province="110000") == {beijing.username}
    assert names(active="0") == {gone.username}
    assert names(locked="1") == {qingdao.username}
    assert qingdao.username not in names(locked="0")
    bad = admin_client.get(url("list"), {"province": "999999", "role": "root"})
    assert bad.status_code == 200 and "选择一个有效的选项" in bad.content.decode()


def test_list_pages_with_numbers(admin_client, role_users):
    for n in range(30):
        make_user(Role.EXPERT, username=f"pager{n:02d}")
    first = admin_client.get(url("list"), {"role": "expert"}).content.decode()
    assert "共 31 个账号" in first and "page=2" in first and "role=expert&amp;page=2" in first
    second = admin_client.get(url("list"), {"role": "expert", "page": 2}).content.decode()
    assert second.count('data-testid="account-row"') == 6


# --- creating ----------------------------------------------------------------------------

def create(admin_client, **data):
    payload = {"username": "", "display_name": "", "mobile": "", "role": "", "province": "", "city": "", **data}
    return admin_client.post(url("create"), payload)


def test_sysadmin_creates_a_city_account_and_sees_its_temporary_password_once(admin_client, sysadmin, places):
    response = create(admin_client, username="qd_wang", display_name="王芳", role="city", province="370000",
                      city="370200")
    password = temporary_password(response)
    user = User.objects.get(username="qd_wang")
    assert (user.role, user.division_id, user.must_change_password, user.display_name) == ("city", "370200", True, "王芳")
    assert user.check_password(password)
    record = audit("accounts.account.create").get()
    assert record.actor_username == sysadmin.username and password not in str(record.after)
    holder = Client()
    login(holder, "qd_wang", password)
    assert holder.get(reverse("home:city")).url == reverse("accounts:password_change")
    detail = admin_client.get(url("detail", user.pk)).content.decode()
    assert password not in detail  # shown once, never again


def test_a_municipality_is_its_own_city_in_the_picker(admin_client, places):
    create(admin_client, username="bj_li", role="city", province="110000", city="110000")
    assert User.objects.get(username="bj_li").division_id == "110000"


def test_province_official_takes_the_province(admin_client, places):
    create(admin_client, username="sd_official", role="province", province="370000")
    assert User.objects.get(username="sd_official").division_id == "370000"


@pytest.mark.parametrize(("data", "message"), [
    ({"role": "city", "province": "370000"}, "城市申报单位账号须绑定一个城市。"),
    ({"role": "city", "province": "370000", "city": "110000"}, "选择一个有效的选项"),  # not a city of 山东
    ({"role": "expert", "province": "370000"}, "该角色的账号不绑定行政区划。"),
    ({"role": "auditor"}, "选择一个有效的选项"),
    ({"role": "sysadmin"}, "选择一个有效的选项"),
    ({"role": "expert", "mobile": "12345"}, "请输入 11 位手机号码。"),
    ({"role": "expert", "username": "bad name!"}, "用户名"),
])
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(admin_client, places, data, message):
    before = User.objects.count()
    response = create(admin_client, **{"username": "newbie", **data})
    assert response.status_code == 200 and message in response.content.decode()
    assert User.objects.count() == before and not audit("accounts.account.create").exists()


def test_case_variant_username_is_refused_on_the_form(admin_client, role_users):
    response = create(admin_client, username=role_users[Role.EXPERT].username.upper(), role="expert")
    assert "该用户名已被使用（不区分大小写）。" in response.content.decode()
    assert not audit("accounts.account.create").exists()


def test_the_city_list_follows_the_province_with_and_without_javascript(admin_client, places):
    htmx = admin_client.get(url("cities"), {"province": "370000"}, HTTP_HX_REQUEST="true").content.decode()
    assert "青岛市" in htmx and "济南市" in htmx and "北京市" not in htmx and 'id="city-field"' in htmx
    assert "北京市" in admin_client.get(url("cities"), {"province": "110000"}).content.decode()
    assert "青岛市" not in admin_client.get(url("cities"), {"province": "x' OR 1=1"}).content.decode()
    # Without JavaScript: the "更新城市列表" button posts the form back, nothing is saved.
    page = admin_client.get(url("create")).content.decode()
    assert 'name="refresh"' in page and "青岛市" not in page
    refreshed = create(admin_client, username="keep_me", role="city", province="370000", refresh="1")
    body = refreshed.content.decode()
    assert "青岛市" in body and 'value="keep_me"' in body
    assert not User.objects.filter(username="keep_me").exists()


# --- editing, deactivating, reactivating --------------------------------------------------

def test_sysadmin_changes_a_business_role_and_it_is_audited(admin_client, role_users):
    expert = role_users[Role.EXPERT]
    response = admin_client.post(url("edit", expert.pk), {"display_name": "王专家", "role": "ministry"})
    assert response.status_code == 302
    expert.refresh_from_db()
    assert (expert.role, expert.display_name) == ("ministry", "王专家")
    record = audit("accounts.account.change_role").get()
    assert (record.before["role"], record.after["role"]) == ("expert", "ministry")


def test_edit_form_starts_from_the_account_and_keeps_the_division_rule(admin_client, role_users):
    city_user = role_users[Role.CITY_APPLICANT]
    page = admin_client.get(url("edit", city_user.pk)).content.decode()
    assert '<option value="370100" selected>济南市</option>' in page
    response = admin_client.post(url("edit", city_user.pk), {"role": "city", "province": "370000", "city": ""})
    assert "城市申报单位账号须绑定一个城市。" in response.content.decode()
    city_user.refresh_from_db()
    assert city_user.division_id == "370100"


def test_deactivation_asks_first_then_acts(admin_client, role_users):
    expert = role_users[Role.EXPERT]
    confirm = admin_client.get(url("deactivate", expert.pk))
    body = confirm.content.decode()
    assert "停用后该账号不能再登录" in body and expert.username in body and "确认停用" in body
    expert.refresh_from_db()
    assert expert.is_active and not audit("accounts.account.deactivate").exists()  # asking changed nothing
    unconfirmed = admin_client.post(url("deactivate", expert.pk))  # an old form: asked again, nothing done
    assert unconfirmed.status_code == 200 and "确认停用" in unconfirmed.content.decode()
    assert User.objects.get(pk=expert.pk).is_active
    assert admin_client.post(url("deactivate", expert.pk), CONFIRMED).status_code == 302
    expert.refresh_from_db()
    assert not expert.is_active
    record = audit("accounts.account.deactivate").get()
    assert (record.before["is_active"], record.after["is_active"]) == (True, False)
    assert login(Client(), expert.username).status_code == 200  # refused at the login form
    admin_client.post(url("reactivate", expert.pk))
    expert.refresh_from_db()
    assert expert.is_active and audit("accounts.account.reactivate").count() == 1


def test_a_deactivated_accounts_open_session_stops_working(admin_client, role_users):
    expert = role_users[Role.EXPERT]
    holder = Client()
    holder.force_login(expert)
    assert holder.get(reverse("home:expert")).status_code == 200
    admin_client.post(url("deactivate", expert.pk), CONFIRMED)
    assert holder.get(reverse("home:expert")).status_code == 302


# --- passwords, lock-outs, authenticators ---------------------------------------------------

def test_password_reset_asks_first_shows_a_temporary_password_and_forces_a_change(admin_client, role_users):
    expert = role_users[Role.EXPERT]
    assert "原密码立即失效" in admin_client.get(url("reset_password", expert.pk)).content.decode()
    expert.refresh_from_db()
    assert expert.check_password("Icdc#Demo2026")  # the confirmation page changed nothing
    password = temporary_password(admin_client.post(url("reset_password", expert.pk), CONFIRMED))
    expert.refresh_from_db()
    assert expert.check_password(password) and not expert.check_password("Icdc#Demo2026")
    assert expert.must_change_password and audit("accounts.password.reset").count() == 1
    holder = Client()
    login(holder, expert.username, password)
    assert holder.get(reverse("home:expert")).url == reverse("accounts:password_change")


def test_sysadmin_sees_a_lock_and_lifts_it(admin_client, role_users):
    official = role_users[Role.PROVINCIAL_OFFICIAL]
    lock(official.username)
    assert selectors.is_locked(official)
    detail = admin_client.get(url("detail", official.pk)).content.decode()
    assert "已锁定：连续 5 次登录失败。" in detail and "自动解除时间" in detail
    assert admin_client.post(url("unlock", official.pk)).status_code == 302
    assert not selectors.is_locked(official)
    assert audit("accounts.account.unlock").count() == 1
    assert login(Client(), official.username).status_code == 302
    assert "未锁定。" in admin_client.get(url("detail", official.pk)).content.decode()


def test_authenticator_reset_asks_first(admin_client, role_users):
    expert = role_users[Role.EXPERT]
    TOTPDevice.objects.create(user=expert, name="lost phone", confirmed=True)
    assert "持有人下次登录时须重新绑定" in admin_client.get(url("reset_authenticator", expert.pk)).content.decode()
    assert TOTPDevice.objects.filter(user=expert).exists()
    admin_client.post(url("reset_authenticator", expert.pk), CONFIRMED)
    assert not TOTPDevice.objects.filter(user=expert).exists()
    assert audit("accounts.otp.reset").count() == 1


# --- the administrator roles' accounts: seen, never changed, in the platform -----------------

@pytest.mark.parametrize("role", [Role.AUDIT_ADMIN, Role.SYSTEM_ADMIN])
def test_administrator_accounts_are_read_only_on_the_pages(admin_client, role_users, role):
    target = role_users[role]
    detail = admin_client.get(url("detail", target.pk)).content.decode()
    assert "manage.py admin_account" in detail and url("edit", target.pk) not in detail
    lock(target.username)
    for name in ("edit", "deactivate", "reset_password", "reset_authenticator"):
        assert admin_client.get(url(name, target.pk)).status_code == 403, name
    for name in ("edit", "deactivate", "reactivate", "reset_password", "unlock", "reset_authenticator"):
        assert admin_client.post(url(name, target.pk), {"role": "expert"}).status_code == 403, name
    target.refresh_from_db()
    assert target.is_active and target.role == role and target.check_password("Icdc#Demo2026")
    assert selectors.is_locked(target)
    assert audit("accounts.permission.deny", detail="accounts.change_user").count() == 10


def test_sysadmin_home_links_to_the_account_pages(admin_client):
    body = admin_client.get(reverse("home:sysadmin")).content.decode()
    assert url("list") in body and url("create") in body
    assert 'data-testid="locked-count">0<' in body
    nav = body.split("</nav>")[0]
    assert url("list") in nav and "账号管理" in nav


def test_temporary_passwords_meet_the_password_policy_and_differ(role_users):
    from django.contrib.auth import password_validation

    from icdc.accounts import services

    passwords = [services.temporary_password() for _ in range(200)]
    for password in passwords:
        password_validation.validate_password(password, role_users[Role.EXPERT])  # raises if weak
        assert not set(password) & set("0O1lI")  # nothing to misread when handed over
    assert len(set(passwords)) == 200

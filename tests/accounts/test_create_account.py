"""Creating accounts (SECURITY.md 身份鉴别: unique ids): role and division must agree,
usernames are unique whatever their case, and every creation is audited."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from icdc.accounts import services
from icdc.accounts.models import SERVER_MANAGED_ROLES, PasswordHistory, Role, User
from tests.accounts.conftest import audit
from tests.factories import division

PASSWORD = "Initial#Pass2026"


@pytest.fixture
def sysadmin(role_users):
    return role_users[Role.SYSTEM_ADMIN]


@pytest.fixture
def places(db):
    shandong = division("370000", "山东省", level="province")
    beijing = division(
        "110000",
        "北京市",
        level="province",
        kind="直辖市",
        can_apply=True,
        is_application_channel=False,
        applies_directly=True,
        is_municipality=True,
    )
    return {
        "山东省": shandong,
        "青岛": division("370200", "青岛市", parent=shandong),
        "北京": beijing,
        "莱芜": division("371200", "莱芜市", parent=shandong, can_apply=False),
    }


def create(sysadmin, **kwargs):
    # The administrator roles' accounts are created on the server (admin_account), not by the sysadmin.
    by = None if kwargs.get("role") in SERVER_MANAGED_ROLES else sysadmin
    return services.create_account(created_by=by, **{"password": PASSWORD, **kwargs})


def test_city_applicant_bound_to_a_city(sysadmin, places):
    user = create(sysadmin, username="qd", role=Role.CITY_APPLICANT, division=places["青岛"], display_name="青岛")
    assert user.division == places["青岛"] and user.must_change_password and user.check_password(PASSWORD)
    assert PasswordHistory.objects.filter(user=user).count() == 1
    record = audit("accounts.account.create").get()
    assert (record.actor_username, record.object_id) == (sysadmin.username, str(user.pk))
    assert record.after["role"] == "city" and record.after["division_id"] == "370200"
    assert "password" not in record.after
    assert not audit("audit.row.create", object_type="accounts.user", object_id=str(user.pk)).exists()  # one record


def test_a_municipality_is_a_city_that_may_apply(sysadmin, places):
    assert create(sysadmin, username="bj", role=Role.CITY_APPLICANT, division=places["北京"]).division_id == "110000"


@pytest.mark.parametrize(
    ("role", "place", "message"),
    [
        (Role.CITY_APPLICANT, None, "城市申报单位账号须绑定一个城市。"),
        (Role.CITY_APPLICANT, "山东省", "“山东省”不是可申报示范城市的城市"),
        (Role.CITY_APPLICANT, "莱芜", "“莱芜市”不是可申报示范城市的城市"),
        (Role.PROVINCIAL_OFFICIAL, None, "省级主管部门账号须绑定一个省级单位。"),
        (Role.PROVINCIAL_OFFICIAL, "青岛", "“青岛市”不是受理申报的省级单位"),
        (Role.PROVINCIAL_OFFICIAL, "北京", "“北京市”不是受理申报的省级单位"),
        (Role.MINISTRY_OFFICER, "山东省", "该角色的账号不绑定行政区划。"),
        (Role.EXPERT, "青岛", "该角色的账号不绑定行政区划。"),
        (Role.SYSTEM_ADMIN, "青岛", "该角色的账号不绑定行政区划。"),
        (Role.AUDIT_ADMIN, "山东省", "该角色的账号不绑定行政区划。"),
    ],
)
def test_role_and_division_must_agree(sysadmin, places, role, place, message):
    with pytest.raises(ValidationError) as refused:
        create(sysadmin, username="x1", role=role, division=places[place] if place else None)
    assert any(message in m for m in refused.value.message_dict["division"])
    assert not User.objects.filter(username="x1").exists()
    assert not audit("accounts.account.create").exists()


def test_province_official_bound_to_a_province(sysadmin, places):
    user = create(sysadmin, username="sd", role=Role.PROVINCIAL_OFFICIAL, division=places["山东省"])
    assert user.division_id == "370000"


@pytest.mark.parametrize("second", ["Alice", "alice", "ALICE", "aLiCe"])
def test_usernames_are_unique_whatever_the_case(sysadmin, second):
    create(sysadmin, username="Alice", role=Role.EXPERT)
    with pytest.raises(ValidationError) as refused:
        create(sysadmin, username=second, role=Role.EXPERT)
    assert refused.value.message_dict["username"] == ["该用户名已被使用（不区分大小写）。"]
    assert User.objects.count() == len(Role) + 1


def test_database_refuses_a_case_variant_too(sysadmin):
    create(sysadmin, username="Alice", role=Role.EXPERT)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="alice", role=Role.EXPERT)


def test_database_refuses_a_role_division_mismatch(places):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nodiv", role=Role.CITY_APPLICANT)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="withdiv", role=Role.EXPERT, division=places["青岛"])


@pytest.mark.parametrize(
    ("username", "message"),
    [("", "不能为空"), ("bad name!", "用户名"), ("x" * 151, "不超过 150")],
)
def test_bad_usernames_are_refused_in_chinese(sysadmin, username, message):
    with pytest.raises(ValidationError) as refused:
        create(sysadmin, username=username, role=Role.EXPERT)
    assert any(message in m for m in refused.value.message_dict["username"])


def test_weak_initial_password_is_refused(sysadmin):
    with pytest.raises(ValidationError) as refused:
        create(sysadmin, username="weak", role=Role.EXPERT, password="short")
    assert "密码长度太短。密码必须包含至少 10 个字符。" in refused.value.message_dict["password"]
    assert not User.objects.filter(username="weak").exists()


def test_account_without_password_cannot_log_in_until_one_is_set(sysadmin):
    user = services.create_account(created_by=sysadmin, username="nopass", role=Role.EXPERT)
    assert not user.has_usable_password()


def test_system_admin_account_gets_the_admin_site(sysadmin):
    user = create(sysadmin, username="it2", role=Role.SYSTEM_ADMIN)
    assert user.is_staff and not user.is_superuser


def test_role_change_is_audited_with_before_and_after(sysadmin, places):
    user = create(sysadmin, username="moving", role=Role.EXPERT)
    user.role = Role.MINISTRY_OFFICER
    services.update_account(changed_by=sysadmin, user=user)
    record = audit("accounts.account.change_role").get()
    assert (record.before["role"], record.after["role"]) == ("expert", "ministry")
    services.update_account(changed_by=sysadmin, user=user)  # no change, no record
    assert audit("accounts.account.change_role").count() == 1 and not audit("accounts.account.update").exists()

"""Role × page × object: who may do what, from the one rules module; every denial audited."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from icdc.accounts import rules as predicates
from icdc.accounts.decorators import permission_required
from icdc.accounts.models import Role
from tests.accounts.conftest import audit
from tests.factories import division, make_user

HOME_PAGES = {
    "home:city": Role.CITY_APPLICANT,
    "home:province": Role.PROVINCIAL_OFFICIAL,
    "home:ministry": Role.MINISTRY_OFFICER,
    "home:expert": Role.EXPERT,
    "home:sysadmin": Role.SYSTEM_ADMIN,
    "home:auditor": Role.AUDIT_ADMIN,
}


@pytest.mark.parametrize("url_name", HOME_PAGES)
@pytest.mark.parametrize("role", list(Role))
def test_home_page_matrix(client, role_users, role, url_name):
    user = role_users[role]
    client.force_login(user)
    response = client.get(reverse(url_name))
    if HOME_PAGES[url_name] == role:
        assert response.status_code == 200
        assert not audit("accounts.permission.deny").exists()
    else:
        assert response.status_code == 403
        assert "无权访问" in response.content.decode()
        record = audit("accounts.permission.deny").get()
        assert (record.actor_username, record.actor_role, record.result) == (user.username, role.value, "denied")
        assert record.detail.startswith("home.view_")


@pytest.mark.parametrize("url_name", HOME_PAGES)
def test_anonymous_users_are_sent_to_login(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.fixture
def places(db):
    shandong = division("370000", "山东省", level="province")
    jiangsu = division("320000", "江苏省", level="province")
    return {
        "山东省": shandong,
        "济南": division("370100", "济南市", parent=shandong),
        "青岛": division("370200", "青岛市", parent=shandong),
        "江苏省": jiangsu,
        "南京": division("320100", "南京市", parent=jiangsu),
    }


@pytest.fixture
def people(places):
    return {
        "济南 city": make_user(Role.CITY_APPLICANT, division_obj=places["济南"]),
        "青岛 city": make_user(Role.CITY_APPLICANT, division_obj=places["青岛"]),
        "山东 official": make_user(Role.PROVINCIAL_OFFICIAL, division_obj=places["山东省"]),
        "江苏 official": make_user(Role.PROVINCIAL_OFFICIAL, division_obj=places["江苏省"]),
        "ministry": make_user(Role.MINISTRY_OFFICER),
        "expert": make_user(Role.EXPERT),
        "sysadmin": make_user(Role.SYSTEM_ADMIN),
        "auditor": make_user(Role.AUDIT_ADMIN),
    }


#: person → the divisions ``divisions.view_division_detail`` allows; everything else is refused
DIVISION_DETAIL = {
    "济南 city": {"济南"},
    "青岛 city": {"青岛"},
    "山东 official": {"山东省", "济南", "青岛"},
    "江苏 official": {"江苏省", "南京"},
    "ministry": {"山东省", "济南", "青岛", "江苏省", "南京"},
    "expert": set(),
    "sysadmin": set(),
    "auditor": set(),
}


@pytest.mark.parametrize("person", DIVISION_DETAIL)
def test_division_detail_matrix(people, places, person):
    user = people[person]
    allowed = {name for name, place in places.items() if user.has_perm("divisions.view_division_detail", place)}
    assert allowed == DIVISION_DETAIL[person]


def test_is_official_of_city(people, places):
    jinan_user = people["济南 city"]
    assert predicates.is_official_of_city(jinan_user, places["济南"])
    assert not predicates.is_official_of_city(jinan_user, places["青岛"])
    assert not predicates.is_official_of_city(jinan_user, places["山东省"])
    assert not predicates.is_official_of_city(jinan_user, None)
    # the predicate is about city applicants: a provincial official is not "of" their province as a city
    assert not predicates.is_official_of_city(people["山东 official"], places["山东省"])


def test_is_official_of_province(people, places):
    shandong = people["山东 official"]
    assert predicates.is_official_of_province(shandong, places["山东省"])
    assert predicates.is_official_of_province(shandong, places["青岛"])
    assert not predicates.is_official_of_province(shandong, places["南京"])
    assert not predicates.is_official_of_province(shandong, places["江苏省"])
    assert not predicates.is_official_of_province(people["济南 city"], places["济南"])


def test_deactivated_accounts_have_no_permission(people, places):
    user = people["ministry"]
    user.is_active = False
    assert not user.has_perm("home.view_ministry_home")
    assert not user.has_perm("divisions.view_division_detail", places["济南"])


def test_object_level_denial_is_audited_once(people, places):
    @permission_required("divisions.view_division_detail", get_object=lambda request, code: places[code])
    def detail(request, code):
        return HttpResponse("ok")

    request = RequestFactory().get("/divisions/青岛/")
    request.user = people["济南 city"]
    request.session = {}
    assert detail(request, code="济南").status_code == 200
    with pytest.raises(PermissionDenied):
        detail(request, code="青岛")
    record = audit("accounts.permission.deny").get()
    assert (record.object_type, record.object_id) == ("divisions.division", "370200")
    assert record.detail == "divisions.view_division_detail"
    assert record.actor_username == people["济南 city"].username


ACCOUNT_PERMS = ["accounts.view_user", "accounts.add_user", "accounts.change_user", "accounts.manage_accounts"]
AUDIT_PERMS = ["audit.view_audit_trail", "audit.export_audit_trail"]


@pytest.mark.parametrize("role", list(Role))
def test_account_and_audit_permissions_matrix(role_users, role):
    user = role_users[role]
    assert all(user.has_perm(p) for p in ACCOUNT_PERMS) == (role == Role.SYSTEM_ADMIN)
    assert any(user.has_perm(p) for p in ACCOUNT_PERMS) == (role == Role.SYSTEM_ADMIN)
    assert all(user.has_perm(p) for p in AUDIT_PERMS) == (role == Role.AUDIT_ADMIN)
    assert any(user.has_perm(p) for p in AUDIT_PERMS) == (role == Role.AUDIT_ADMIN)
    assert not user.has_perm("accounts.delete_user")  # accounts are deactivated, never deleted

"""The admin lists divisions for the system administrator, view-only (the data file rules)."""

import pytest
import rules

from icdc.accounts.models import Role
from icdc.accounts.rules import is_system_admin
from icdc.divisions.models import Division
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(loaded):
    """The system administrator, the one role that uses the admin site.

    Permissions live in accounts/rules.py; until it grants the sysadmin the divisions
    admin, grant it here for the duration of the test so this file tests the admin itself.
    """
    granted = [name for name in ("divisions", "divisions.view_division") if not rules.perm_exists(name)]
    for name in granted:
        rules.add_perm(name, is_system_admin)
    yield make_user(Role.SYSTEM_ADMIN)
    for name in granted:
        rules.remove_perm(name)


def test_changelist_filters_by_kind_and_searches_by_name(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/divisions/division/", {"kind": "自治州", "q": "延边"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "222400" in body and "延边朝鲜族自治州" in body
    assert "130100" not in body


def test_search_by_code(client, admin_user):
    client.force_login(admin_user)
    body = client.get("/admin/divisions/division/", {"q": "440300"}).content.decode()
    assert "深圳市" in body


def test_rows_cannot_be_added_changed_or_deleted_here(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/divisions/division/add/").status_code == 403
    response = client.post("/admin/divisions/division/370200/change/", {"name": "改名"})
    assert response.status_code == 403
    assert Division.objects.get(code="370200").name == "青岛市"
    assert client.get("/admin/divisions/division/370200/delete/").status_code == 403

"""An account an administrator creates must change its password at first login."""

import pytest
from django.urls import reverse

from icdc.accounts import services
from icdc.accounts.models import Role
from tests.accounts.conftest import audit, login
from tests.factories import division

INITIAL = "Initial#Pass2026"


@pytest.fixture
def new_account(role_users):
    return services.create_account(
        created_by=role_users[Role.SYSTEM_ADMIN],
        username="qd_liu",
        role=Role.CITY_APPLICANT,
        division=division("370200", "青岛市"),
        display_name="刘明",
        password=INITIAL,
    )


def test_admin_created_account_is_flagged(new_account):
    assert new_account.must_change_password


def test_first_login_goes_to_the_change_page_and_nowhere_else(client, new_account):
    response = login(client, "qd_liu", INITIAL)
    assert response.status_code == 302
    assert client.get(reverse("home:city")).url == reverse("accounts:password_change")
    page = client.get(reverse("accounts:password_change"))
    assert "这是您首次登录或密码已由管理员重置，请先设置新密码。" in page.content.decode()


def test_initial_password_cannot_be_kept(client, new_account):
    login(client, "qd_liu", INITIAL)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": INITIAL, "new_password1": INITIAL, "new_password2": INITIAL},
    )
    assert "不能使用最近 5 次用过的密码。" in response.content.decode()


def test_after_changing_the_account_reaches_its_home(client, new_account):
    login(client, "qd_liu", INITIAL)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": INITIAL, "new_password1": "Mine#Own2026x", "new_password2": "Mine#Own2026x"},
    )
    assert response.status_code == 302
    assert client.get(reverse("home:city")).status_code == 200
    new_account.refresh_from_db()
    assert not new_account.must_change_password
    assert audit("accounts.password.change", actor_username="qd_liu").count() == 1


def test_platform_created_accounts_are_not_flagged(db):
    user = services.create_account(
        created_by=None, username="seeded", role=Role.EXPERT, password="Seeded#Pass2026", is_demo=True
    )
    assert not user.must_change_password and user.is_demo

"""三权分立 (SPEC §1, SECURITY.md 访问控制): system, business and audit administration are
separate accounts; no account holds two roles or every power; the system administrator
manages users but cannot see the audit trail; the audit administrator cannot edit users."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError, transaction
from django.urls import reverse

from icdc.accounts import services
from icdc.accounts.models import ADMINISTRATIVE_ROLES, Role, User
from icdc.lib.refusals import Refusal
from tests.accounts.conftest import audit
from tests.factories import make_user


def test_an_account_has_exactly_one_role_field():
    role_fields = [f for f in User._meta.get_fields() if f.name in {"role", "roles", "groups"}]
    role = User._meta.get_field("role")
    assert role.get_internal_type() == "CharField" and not role.null and not role.blank
    assert {f.name for f in role_fields} == {"role", "groups"}
    assert len(ADMINISTRATIVE_ROLES) == 3


@pytest.mark.parametrize("combined", ["sysadmin,auditor", "sysadmin auditor", "ministry|sysadmin", ""])
def test_two_roles_in_one_account_are_refused_by_validation_and_database(db, combined):
    user = User(username="both", role=combined)
    user.set_password("Icdc#Demo2026")
    with pytest.raises(ValidationError) as refused:
        user.full_clean()
    assert "role" in refused.value.message_dict
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():  # PostgreSQL: too long for the column
        user.save()


def test_superuser_flag_is_refused_everywhere(db):
    with pytest.raises(ValueError, match="平台不设超级用户"):
        User.objects.create_superuser("root", password="Root#Pass2026x")
    user = make_user(Role.SYSTEM_ADMIN)
    user.is_superuser = True
    with pytest.raises(ValidationError):
        user.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save()


def test_only_the_system_administrator_is_staff(role_users):
    assert {role for role, u in role_users.items() if u.is_staff} == {Role.SYSTEM_ADMIN}
    auditor = role_users[Role.AUDIT_ADMIN]
    User.objects.filter(pk=auditor.pk).update(is_staff=False)  # noop: the DB refuses True
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=auditor.pk).update(is_staff=True)


def test_database_permissions_grant_nothing(role_users):
    """Permissions come from rules.py only: a group with every permission changes nothing."""
    everything = Group.objects.create(name="everything")
    everything.permissions.set(Permission.objects.all())
    sysadmin = User.objects.get(pk=role_users[Role.SYSTEM_ADMIN].pk)
    sysadmin.groups.add(everything)
    assert not sysadmin.has_perm("audit.view_auditrecord")
    assert not sysadmin.has_perm("audit.view_audit_trail")
    assert not sysadmin.has_perm("accounts.delete_user")
    assert sysadmin.get_all_permissions() == set()


def test_system_admin_reaches_account_management_but_not_the_audit_trail(client, role_users):
    sysadmin = role_users[Role.SYSTEM_ADMIN]
    client.force_login(sysadmin)
    assert role_users[Role.EXPERT].username in client.get(reverse("accounts:manage:list")).content.decode()
    index = client.get(reverse("admin:index")).content.decode()
    assert "审计" not in index
    assert client.get("/admin/audit/auditrecord/").status_code in (403, 404)
    assert client.get(reverse("home:auditor")).status_code == 403
    assert not sysadmin.has_perm("audit.view_audit_trail")
    assert not sysadmin.has_perm("audit.view_auditrecord")


def test_accounts_are_not_on_the_admin_site(client, role_users):
    """The admin site keeps reference data only: no second door to accounts (nor a delete)."""
    client.force_login(role_users[Role.SYSTEM_ADMIN])
    target = role_users[Role.EXPERT]
    assert "账号" not in client.get(reverse("admin:index")).content.decode()
    for path in ("/admin/accounts/user/", f"/admin/accounts/user/{target.pk}/change/",
                 f"/admin/accounts/user/{target.pk}/delete/", "/admin/accounts/user/add/"):
        assert client.get(path).status_code == 404, path
    response = client.post(f"/admin/accounts/user/{target.pk}/delete/", {"post": "yes"})
    assert response.status_code == 404
    assert User.objects.filter(pk=target.pk, is_active=True).exists()


def test_audit_admin_cannot_edit_users(client, role_users):
    auditor = role_users[Role.AUDIT_ADMIN]
    target = role_users[Role.EXPERT]
    client.force_login(auditor)
    assert client.get(reverse("accounts:manage:edit", args=[target.pk])).status_code == 403
    response = client.post(reverse("accounts:manage:edit", args=[target.pk]), {"role": "sysadmin"})
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.role == Role.EXPERT
    assert not auditor.has_perm("accounts.change_user", target)

    target.display_name = "改名"
    with pytest.raises(PermissionDenied):
        services.update_account(changed_by=auditor, user=target)
    with pytest.raises(PermissionDenied):
        services.create_account(created_by=auditor, username="sneaky", role=Role.AUDIT_ADMIN, password="Sneak#Y2026xx")
    assert not User.objects.filter(username="sneaky").exists()
    assert audit("accounts.permission.deny", actor_username=auditor.username).count() == 4


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SYSTEM_ADMIN])
def test_no_other_role_manages_accounts(client, role_users, role):
    make_user(Role.EXPERT, username="listed_nowhere")
    client.force_login(role_users[role])
    response = client.get(reverse("accounts:manage:list"))
    assert response.status_code == 403
    assert "listed_nowhere" not in response.content.decode()


def test_system_admin_cannot_change_own_role(role_users):
    sysadmin = role_users[Role.SYSTEM_ADMIN]
    own_account = User.objects.get(pk=sysadmin.pk)
    own_account.role = Role.AUDIT_ADMIN
    with pytest.raises(Refusal, match="不能修改本人账号的角色"):
        services.update_account(changed_by=sysadmin, user=own_account)
    own_account.is_active, own_account.role = False, Role.SYSTEM_ADMIN
    with pytest.raises(Refusal, match="停用本人账号"):
        services.update_account(changed_by=sysadmin, user=own_account)
    with pytest.raises(Refusal, match="停用本人账号"):
        services.account_deactivate(changed_by=sysadmin, account=own_account)
    sysadmin.refresh_from_db()
    assert sysadmin.role == Role.SYSTEM_ADMIN and sysadmin.is_active

"""三权分立 cannot be bypassed (issue 10 item 10): in the platform the system administrator
neither creates an account of the audit or system administrator role, nor gives or takes
such a role, nor changes, resets, unlocks or deactivates such an account; those accounts are
managed only by ``manage.py admin_account`` on the server, audited; no account changes its
own role; the platform is never left without an active audit administrator."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from icdc.accounts import selectors, services
from icdc.accounts.models import Role, User
from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from tests.accounts.conftest import audit, login
from tests.factories import make_user


@pytest.fixture
def sysadmin(role_users):
    return role_users[Role.SYSTEM_ADMIN]


@pytest.fixture
def auditor(role_users):
    return role_users[Role.AUDIT_ADMIN]


def command(*args):
    out = io.StringIO()
    call_command("admin_account", *args, stdout=out)
    return out.getvalue()


def unchanged(count_before):
    """Nothing written: no new account and no audit record of a change."""
    return User.objects.count() == count_before and not AuditRecord.objects.filter(
        action__startswith="accounts.account.").exists()


# --- in the platform ---------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.AUDIT_ADMIN, Role.SYSTEM_ADMIN])
def test_sysadmin_cannot_create_an_administrator_account(sysadmin, role):
    count = User.objects.count()
    with pytest.raises(Refusal, match="只能由运维人员在服务器上用命令 manage.py admin_account") as refused:
        services.create_account(created_by=sysadmin, username="shadow", role=role, password="Shadow#Pass2026")
    assert refused.value.code == "server_managed_role"
    assert unchanged(count)


@pytest.mark.parametrize("role", [Role.AUDIT_ADMIN, Role.SYSTEM_ADMIN])
def test_sysadmin_cannot_give_an_administrator_role(sysadmin, role_users, role):
    expert = User.objects.get(pk=role_users[Role.EXPERT].pk)
    expert.role = role
    with pytest.raises(Refusal, match="三权分立"):
        services.update_account(changed_by=sysadmin, user=expert)
    expert.refresh_from_db()
    assert expert.role == Role.EXPERT and not audit("accounts.account.change_role").exists()


def test_sysadmin_cannot_take_the_audit_role_away(sysadmin, auditor):
    target = User.objects.get(pk=auditor.pk)
    target.role = Role.EXPERT
    with pytest.raises(Refusal, match="三权分立"):
        services.update_account(changed_by=sysadmin, user=target)
    auditor.refresh_from_db()
    assert auditor.role == Role.AUDIT_ADMIN


def test_sysadmin_cannot_deactivate_reset_or_unlock_the_audit_administrator(sysadmin, auditor):
    browser = Client()
    for _ in range(5):
        login(browser, auditor.username, "Wrong#Pass2026")
    for act in (lambda: services.account_deactivate(changed_by=sysadmin, account=auditor),
                lambda: services.account_password_reset(reset_by=sysadmin, account=auditor),
                lambda: services.reset_password(reset_by=sysadmin, user=auditor, new_password="Taken#Over2026"),
                lambda: services.unlock_account(unlocked_by=sysadmin, user=auditor)):
        with pytest.raises(Refusal, match="三权分立"):
            act()
    auditor.refresh_from_db()
    assert auditor.is_active and auditor.check_password("Icdc#Demo2026") and not auditor.must_change_password
    assert selectors.is_locked(auditor)


def test_sysadmin_cannot_deactivate_another_sysadmin(sysadmin):
    other = make_user(Role.SYSTEM_ADMIN, username="it_second")
    with pytest.raises(Refusal, match="三权分立"):
        services.account_deactivate(changed_by=sysadmin, account=other)
    other.refresh_from_db()
    assert other.is_active


def test_no_account_changes_its_own_role(role_users):
    sysadmin = role_users[Role.SYSTEM_ADMIN]
    me = User.objects.get(pk=sysadmin.pk)
    me.role = Role.EXPERT
    with pytest.raises(Refusal, match="不能修改本人账号的角色") as refused:
        services.update_account(changed_by=sysadmin, user=me)
    assert refused.value.code == "own_account"
    officer = User.objects.get(pk=role_users[Role.MINISTRY_OFFICER].pk)
    officer.role = Role.SYSTEM_ADMIN
    with pytest.raises(PermissionDenied):
        services.update_account(changed_by=role_users[Role.MINISTRY_OFFICER], user=officer)
    assert User.objects.get(pk=sysadmin.pk).role == Role.SYSTEM_ADMIN
    assert User.objects.get(pk=officer.pk).role == Role.MINISTRY_OFFICER


# --- on the server -------------------------------------------------------------------------

def test_command_creates_an_audit_administrator_with_a_temporary_password(db):
    out = command("create", "--role", "auditor", "--username", "audit_zhang", "--display-name", "张审计")
    password = out.rsplit("：", 1)[1].strip()
    account = User.objects.get(username="audit_zhang")
    assert (account.role, account.display_name, account.must_change_password) == ("auditor", "张审计", True)
    assert account.check_password(password) and not account.is_staff
    record = audit("accounts.account.create").get()
    assert record.actor_username == "" and "admin_account create" in record.detail and "操作者" in record.detail
    assert password not in str(record.after) + record.detail
    holder = Client()
    login(holder, "audit_zhang", password)
    assert holder.get(reverse("home:auditor")).url == reverse("accounts:password_change")


def test_command_resets_unlocks_changes_and_deactivates_administrators(auditor):
    second = make_user(Role.AUDIT_ADMIN, username="audit_second")
    out = command("reset-password", "--username", auditor.username)
    auditor.refresh_from_db()
    assert auditor.check_password(out.rsplit("：", 1)[1].strip()) and auditor.must_change_password
    command("change", "--username", auditor.username, "--display-name", "李审计")
    command("unlock", "--username", auditor.username)
    command("deactivate", "--username", second.username, "--reason", "调岗")
    second.refresh_from_db()
    auditor.refresh_from_db()
    assert auditor.display_name == "李审计" and not second.is_active
    assert "原因：调岗" in audit("accounts.account.deactivate").get().detail
    command("reactivate", "--username", second.username)
    assert User.objects.get(pk=second.pk).is_active
    assert [r.action for r in AuditRecord.objects.filter(action__startswith="accounts.account.").order_by("seq")] == [
        "accounts.account.update", "accounts.account.unlock", "accounts.account.deactivate", "accounts.account.reactivate"]
    assert "audit_second" in command("list")


def test_command_refuses_to_deactivate_the_last_audit_administrator(auditor):
    with pytest.raises(CommandError, match="最后一个在用的审计管理员账号"):
        command("deactivate", "--username", auditor.username)
    auditor.refresh_from_db()
    assert auditor.is_active and not audit("accounts.account.deactivate").exists()


def test_command_leaves_other_accounts_to_the_platform(role_users):
    with pytest.raises(CommandError, match="其他账号请在平台"):
        command("deactivate", "--username", role_users[Role.EXPERT].username)
    with pytest.raises(CommandError):
        command("create", "--role", "expert", "--username", "x")
    with pytest.raises(CommandError, match="没有用户名"):
        command("unlock", "--username", "nobody")


def test_the_last_active_audit_administrator_cannot_lose_the_role_either(auditor):
    target = User.objects.get(pk=auditor.pk)
    target.role = Role.EXPERT
    with pytest.raises(Refusal, match="最后一个在用的审计管理员") as refused:
        services.update_account(changed_by=None, user=target)
    assert refused.value.code == "last_active_of_role"
    assert User.objects.get(pk=auditor.pk).role == Role.AUDIT_ADMIN

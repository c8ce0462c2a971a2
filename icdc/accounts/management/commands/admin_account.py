"""The only way to create, change, reset and deactivate the accounts of the system and audit
administrator roles (三权分立): run on the server by its operator, never in the platform.

    python manage.py admin_account create --role auditor --username audit1 --display-name 张三
    python manage.py admin_account reset-password --username audit1
    python manage.py admin_account deactivate --username audit1 --reason 调岗
    python manage.py admin_account list

Every change goes through ``accounts.services`` (the same rules: the platform keeps at least
one active audit administrator and one system administrator) and writes one audit record
whose note names the command and the operating-system account that ran it. A temporary
password is printed once; its holder must change it at first login.
"""

import getpass
import socket

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from icdc.accounts import services
from icdc.accounts.models import SERVER_MANAGED_ROLES, Role, User
from icdc.lib.refusals import Refusal

ROLES = {"sysadmin": Role.SYSTEM_ADMIN, "auditor": Role.AUDIT_ADMIN}


def _operator():
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        who = "?"
    return f"{who}@{socket.gethostname()}"


class Command(BaseCommand):
    help = _("在服务器上管理系统管理员和审计管理员账号（创建、修改、停用、启用、重置密码、解锁、重置动态口令、列出）")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help=_("创建账号并显示一次临时密码"))
        create.add_argument("--role", required=True, choices=sorted(ROLES))
        create.add_argument("--username", required=True)
        create.add_argument("--display-name", default="")
        create.add_argument("--mobile", default="")
        change = actions.add_parser("change", help=_("修改姓名或联系电话"))
        change.add_argument("--username", required=True)
        change.add_argument("--display-name")
        change.add_argument("--mobile")
        for name, text in (("deactivate", _("停用账号")), ("reactivate", _("重新启用账号")),
                           ("reset-password", _("重置为临时密码并显示一次")), ("unlock", _("解除登录锁定")),
                           ("reset-2fa", _("删除已绑定的动态口令，下次登录重新绑定"))):
            sub = actions.add_parser(name, help=text)
            sub.add_argument("--username", required=True)
        for sub in actions.choices.values():
            sub.add_argument("--reason", default="", help=_("原因，写入审计记录"))
        actions.add_parser("list", help=_("列出系统管理员和审计管理员账号"))

    def handle(self, *args, action, **options):
        if action == "list":
            return self._list()
        note = _("服务器端命令 admin_account %(action)s（操作者 %(who)s）") % {"action": action, "who": _operator()}
        if options.get("reason"):
            note += _("；原因：%(reason)s") % {"reason": options["reason"]}
        try:
            if action == "create":
                return self._create(options, note)
            account = self._account(options["username"])
            return self._act(action, account, options, note)
        except Refusal as refusal:
            raise CommandError(str(refusal)) from refusal
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc

    def _account(self, username):
        account = User.objects.filter(username=username).first()
        if account is None:
            raise CommandError(_("没有用户名为“%(name)s”的账号。") % {"name": username})
        if account.role not in SERVER_MANAGED_ROLES:
            raise CommandError(_("该命令只管理系统管理员和审计管理员账号；其他账号请在平台的“账号管理”页面管理。"))
        return account

    def _create(self, options, note):
        password = services.temporary_password()
        account = services.create_account(
            created_by=None, username=options["username"], role=ROLES[options["role"]],
            display_name=options["display_name"], mobile=options["mobile"], password=password, note=note,
            must_change_password=True,
        )
        self.stdout.write(_("已创建%(role)s账号“%(name)s”。") % {"role": account.get_role_display(),
                                                            "name": account.username})
        self._show_password(password)

    def _act(self, action, account, options, note):
        if action == "change":
            if options["display_name"] is not None:
                account.display_name = options["display_name"]
            if options["mobile"] is not None:
                account.mobile = options["mobile"]
            services.update_account(changed_by=None, user=account, note=note)
            self.stdout.write(_("已保存账号“%(name)s”的修改。") % {"name": account.username})
        elif action == "deactivate":
            services.account_deactivate(changed_by=None, account=account, note=note)
            self.stdout.write(_("已停用账号“%(name)s”。") % {"name": account.username})
        elif action == "reactivate":
            services.account_reactivate(changed_by=None, account=account, note=note)
            self.stdout.write(_("已重新启用账号“%(name)s”。") % {"name": account.username})
        elif action == "reset-password":
            password = services.account_password_reset(reset_by=None, account=account, note=note)
            self.stdout.write(_("已重置账号“%(name)s”的密码。") % {"name": account.username})
            self._show_password(password)
        elif action == "unlock":
            services.unlock_account(unlocked_by=None, user=account, note=note)
            self.stdout.write(_("已解除账号“%(name)s”的登录锁定。") % {"name": account.username})
        elif action == "reset-2fa":
            count = services.authenticator_reset_by_command(account=account, note=note)
            self.stdout.write(_("已删除账号“%(name)s”的 %(n)d 个动态口令。") % {"name": account.username, "n": count})

    def _show_password(self, password):
        self.stdout.write(_("临时密码（只显示这一次，请通过安全渠道交给账号持有人，首次登录须修改）：%(password)s")
                          % {"password": password})

    def _list(self):
        rows = User.objects.filter(role__in=sorted(SERVER_MANAGED_ROLES)).order_by("role", "username")
        for account in rows:
            state = _("在用") if account.is_active else _("已停用")
            self.stdout.write(f"{account.username}\t{account.get_role_display()}\t{state}\t{account.display_name}")
        if not rows:
            self.stdout.write(_("没有系统管理员或审计管理员账号。"))

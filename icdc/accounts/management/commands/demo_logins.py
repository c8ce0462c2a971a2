"""Print the demo accounts, so a newcomer can log in as every role within a minute."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from icdc.accounts.selectors import DEMO_PASSWORD, demo_accounts


class Command(BaseCommand):
    help = _("列出演示账号（用户名、角色、所属区划）和演示密码")

    def handle(self, *args, **options):
        users = demo_accounts()
        if not users:
            self.stdout.write(_("没有演示账号。请先运行：python manage.py load_demo"))
            return
        rows = [
            (u.username, u.get_role_display(), u.division.name if u.division else "—", u.display_name) for u in users
        ]
        headers = (_("用户名"), _("角色"), _("所属区划"), _("名称"))
        self.stdout.write(self._table(headers, rows))
        from icdc.demo.review import panel_logins_line

        panel = panel_logins_line()
        if panel:
            self.stdout.write("")
            self.stdout.write(panel)
        self.stdout.write("")
        self.stdout.write(_("演示密码（所有演示账号相同）：%(password)s") % {"password": DEMO_PASSWORD})
        if settings.ICDC_REQUIRE_2FA:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "当前配置已开启双因素认证（ICDC_REQUIRE_2FA=True）：工信部、专家和管理员账号登录时须绑定并输入动态口令。"
                        "生产环境不得保留演示账号。"
                    )
                )
            )
        else:
            self.stdout.write(
                _(
                    "嵌入式演示关闭了双因素认证（ICDC_REQUIRE_2FA=False），用户名和密码即可登录；"
                    "生产配置（icdc.settings_production）对工信部、专家和管理员账号强制启用动态口令。"
                )
            )

    @staticmethod
    def _table(headers, rows):
        from unicodedata import east_asian_width

        def width(text):
            return sum(2 if east_asian_width(c) in "WF" else 1 for c in str(text))

        widths = [max(width(r[i]) for r in [headers, *rows]) for i in range(len(headers))]

        def line(cells):
            return "  ".join(f"{c}{' ' * (w - width(c))}" for c, w in zip(cells, widths, strict=True)).rstrip()

        return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])

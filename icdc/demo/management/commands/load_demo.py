"""Load the demo dataset of the embedded default: one account per role and sample data.

Idempotent: a second run changes nothing. Refuses to run under the production profile,
where default accounts are forbidden (SECURITY.md 身份鉴别: no default accounts).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from icdc.demo import dataset


class Command(BaseCommand):
    help = _("载入演示数据（演示账号、指标体系、统计数据）")

    def handle(self, *args, **options):
        if not settings.ICDC_ALLOW_DEMO_ACCOUNTS:
            raise CommandError(_("生产环境不允许创建演示账号。"))
        summary = dataset.load()
        for line in summary:
            self.stdout.write(line)

"""``manage.py send_reminders``: run every reminder provider once (schedule it, e.g. hourly)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from icdc.notifications.reminders import reminders_send


class Command(BaseCommand):
    help = _("运行全部提醒规则，发送到期的提醒；每条提醒只发送一次，可按任意频率重复运行")

    def handle(self, *args, **options):
        summary = reminders_send()
        self.stdout.write(_("已发送 %(sent)d 条提醒，%(already)d 条此前已发送。")
                          % {"sent": len(summary.sent), "already": summary.already})
        if summary.failed:
            self.stderr.write(_("以下提醒规则或提醒出错（详见日志）：%(names)s") % {"names": "、".join(summary.failed)})
            raise SystemExit(1)

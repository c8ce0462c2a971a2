"""``manage.py prune_audit``: archive records past the retention period, then remove them."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from icdc.audit import retention


class Command(BaseCommand):
    help = _("将超过保存期限（至少 180 天）的审计记录归档到数据库之外并留下签名检查点，然后从数据库删除")

    def add_arguments(self, parser):
        parser.add_argument("--older-than-days", type=int, default=None,
                            help=_("只归档早于该天数的记录（不得小于 ICDC_AUDIT_RETENTION_DAYS）"))
        parser.add_argument("--archive-dir", default=None, help=_("归档目录（默认 ICDC_AUDIT_ARCHIVE_DIR）"))

    def handle(self, *args, older_than_days=None, archive_dir=None, **options):
        try:
            result = retention.prune(older_than_days=older_than_days,
                                     directory=Path(archive_dir) if archive_dir else None)
        except (retention.PruneRefused, ImproperlyConfigured) as exc:
            raise CommandError(str(exc)) from exc
        if not result.count:
            self.stdout.write(_("没有超过保存期限的审计记录。"))
            return
        self.stdout.write(self.style.SUCCESS(
            _("已归档并删除 %(count)d 条审计记录（至第 %(seq)d 号）：%(path)s，SM3 %(digest)s")
            % {"count": result.count, "seq": result.through_seq, "path": result.archive, "digest": result.archive_sm3}))

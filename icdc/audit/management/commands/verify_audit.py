"""``manage.py verify_audit``: check the HMAC-SM3 chain; non-zero exit names the first bad record."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from icdc.audit import verification


class Command(BaseCommand):
    help = _("校验审计日志的 HMAC-SM3 链；发现被修改或删除的记录时以非零状态退出并指出第一条")

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor", metavar="SEQ:MAC",
            help=_("上次校验时记在数据库之外的链头（序号:校验值），用于发现链尾被截断后又改写链头的情况"))
        parser.add_argument("--archive", metavar="FILE", help=_("校验 prune_audit 写出的归档文件，而不是数据库"))

    def handle(self, *args, anchor=None, archive=None, **options):
        if archive:
            result = verification.verify_archive(archive)
        else:
            try:
                parsed = verification.parse_anchor(anchor) if anchor else None
            except ValueError as exc:
                raise CommandError(_("锚点格式应为 序号:64位十六进制校验值")) from exc
            result = verification.verify_chain(anchor=parsed)
        if not result.ok:
            raise CommandError(result.summary)
        self.stdout.write(self.style.SUCCESS(result.summary))
        if result.last_seq is not None:
            self.stdout.write(_("链头 %(seq)s:%(mac)s（请将其保存在数据库之外，下次以 --anchor 传入）")
                              % {"seq": result.last_seq, "mac": result.last_mac})

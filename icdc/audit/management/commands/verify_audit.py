"""``manage.py verify_audit``: check the HMAC-SM3 chain.

Exit status: 0 the trail is intact; 1 tampering found (the first bad record is named, and
every ``audit.head_rebuilt`` record is reported as a finding); 2 the check could not be
made (no key, no database, unreadable archive...), with the reason and never a traceback,
so a cron job or monitoring can tell "tampered" from "could not look".
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from icdc.audit import verification

INTACT, TAMPERED, NOT_VERIFIED = 0, 1, 2


class Command(BaseCommand):
    help = _("校验审计日志的 HMAC-SM3 链；退出状态 0 完整，1 发现篡改（指出第一条问题记录），2 无法校验")
    # The key check (audit.E001) would stop the command with status 1 before it starts;
    # a missing key must read as "could not verify" (2), which handle() reports itself.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor", metavar="SEQ:MAC",
            help=_("上次校验时记在数据库之外的链头（序号:校验值），用于发现链尾被截断后又改写链头的情况"))
        parser.add_argument("--archive", metavar="FILE", help=_("校验 prune_audit 写出的归档文件，而不是数据库"))

    def handle(self, *args, anchor=None, archive=None, **options):
        try:
            parsed = verification.parse_anchor(anchor) if anchor else None
        except ValueError as exc:
            raise CommandError(_("锚点格式应为 序号:64位十六进制校验值"), returncode=NOT_VERIFIED) from exc
        try:
            result = verification.verify_archive(archive) if archive else verification.verify_chain(anchor=parsed)
        except Exception as exc:  # any reason we could not look is status 2, with its message
            raise CommandError(_("无法完成审计日志校验：%(error)s") % {"error": f"{type(exc).__name__}: {exc}"},
                               returncode=NOT_VERIFIED) from exc
        if not result.ok:
            raise CommandError(result.summary, returncode=TAMPERED)
        self.stdout.write(self.style.SUCCESS(result.summary))
        if result.last_seq is not None:
            self.stdout.write(_("链头 %(seq)s:%(mac)s（请将其保存在数据库之外，下次以 --anchor 传入）")
                              % {"seq": result.last_seq, "mac": result.last_mac})

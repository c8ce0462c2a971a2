"""``manage.py verify_backup FILE``: check every member against the manifest; exit 1 naming the first bad one."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from icdc.backups import archive, keys


class Command(BaseCommand):
    help = _("校验备份清单的 HMAC-SM3 签名和每个成员的大小、SHA-256、SM3；不符时以非零状态退出并指出第一个")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--sm3", metavar="HEX",
                            help=_("备份时记入审计日志的整个文件的 SM3 值；清单本身被替换时只有它能发现"))

    def handle(self, *args, file, sm3=None, **options):
        try:
            manifest = archive.verify(file, key_for=keys.verifying_key)
        except keys.BackupKeyError as exc:
            raise CommandError(str(exc)) from exc
        except FileNotFoundError as exc:
            raise CommandError(_("找不到备份文件：%(file)s") % {"file": file}) from exc
        except archive.BackupCorrupt as exc:
            raise CommandError(_("备份校验失败：%(why)s") % {"why": exc.message}) from exc
        digest = archive.whole_file_digest(file)
        if sm3 and sm3.strip().lower() != digest["sm3"]:
            raise CommandError(_("备份校验失败：整个文件的 SM3 值与给定值不符（实际 %(sm3)s）") % digest)
        self.stdout.write(self.style.SUCCESS(
            _("备份校验通过：%(members)d 个成员，创建于 %(created)s，平台版本 %(version)s")
            % {"members": len(manifest["members"]), "created": manifest.get("created_at"),
               "version": manifest.get("platform", {}).get("version")}))
        self.stdout.write(_("SM3 %(sm3)s") % digest)

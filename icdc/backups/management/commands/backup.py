"""``manage.py backup [--output DIR]``: database and media into one checksummed archive."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from icdc.backups import keys, workdir
from icdc.backups.create import BackupFailed, create_backup, default_output_dir


class Command(BaseCommand):
    help = _("一键备份数据库和媒体文件，生成带 SHA-256/SM3 校验清单（HMAC-SM3 签名）的 icdc-backup-*.tar.gz")

    def add_arguments(self, parser):
        parser.add_argument("--output", metavar="DIR",
                            help=_("备份文件所在目录（默认 %(dir)s）") % {"dir": default_output_dir()})

    def handle(self, *args, output=None, **options):
        try:
            result = create_backup(output)
        except (keys.BackupKeyError, workdir.WorkFolderBusy, ImproperlyConfigured) as exc:
            raise CommandError(_("备份未进行：%(error)s") % {"error": exc}) from exc
        except (BackupFailed, DatabaseError, OSError) as exc:
            raise CommandError(_("备份失败，未留下备份文件：%(error)s") % {"error": exc}) from exc
        manifest = result.manifest
        self.stdout.write(self.style.SUCCESS(_("备份完成：%(path)s") % {"path": result.path}))
        self.stdout.write(_("%(tables)d 张表 %(rows)d 行，媒体文件 %(files)d 个，审计链头 %(seq)s")
                          % {"tables": len(manifest["database"]["models"]), "rows": result.rows,
                             "files": result.media_files, "seq": manifest["audit"]["head_seq"]})
        self.stdout.write(_("SHA-256 %(sha256)s\nSM3 %(sm3)s（已记入审计日志；请与备份文件分开保存）") % result.digest)
        if not manifest["audit"]["verified"]:
            self.stderr.write(self.style.WARNING(_("注意：备份时审计链未通过校验：%(summary)s")
                                                 % {"summary": manifest["audit"]["summary"]}))
        for name in result.skipped_media:
            self.stderr.write(self.style.WARNING(_("未备份（不是普通文件）：%(name)s") % {"name": name}))

"""``manage.py restore FILE``: verify, then load into an empty migrated database in one transaction."""

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from icdc.backups import archive, keys, workdir
from icdc.backups.restore import RestoreRefused, restore_backup


class Command(BaseCommand):
    help = _("从备份文件恢复到刚执行过 migrate 的空数据库：先校验，再在一个事务中写入并校验审计链")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")

    def handle(self, *args, file, **options):
        try:
            result = restore_backup(file)
        except (keys.BackupKeyError, workdir.WorkFolderBusy) as exc:
            raise CommandError(_("恢复未进行：%(error)s") % {"error": exc}) from exc
        except FileNotFoundError as exc:
            raise CommandError(_("找不到备份文件：%(file)s") % {"file": file}) from exc
        except archive.BackupCorrupt as exc:
            raise CommandError(_("备份校验失败，未做任何恢复：%(why)s") % {"why": exc.message}) from exc
        except RestoreRefused as exc:
            raise CommandError(_("拒绝恢复，数据库未改动：%(why)s") % {"why": exc}) from exc
        except (DeserializationError, DatabaseError, OSError) as exc:
            raise CommandError(_("恢复失败，已全部回滚：%(error)s") % {"error": exc}) from exc
        self.stdout.write(self.style.SUCCESS(
            _("恢复完成：%(rows)d 行，媒体文件 %(files)d 个（备份创建于 %(created)s）")
            % {"rows": result.rows, "files": result.media_files, "created": result.manifest.get("created_at")}))
        if result.chain.ok:
            self.stdout.write(self.style.SUCCESS(result.chain.summary))
        else:
            self.stderr.write(self.style.WARNING(
                _("审计链与备份时一样未通过校验（已如实恢复，并记为失败）：%(summary)s") % {"summary": result.chain.summary}))

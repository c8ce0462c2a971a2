"""manage.py load_divisions: bring the Division table in line with the shipped data file."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from icdc.divisions.datafile import DATA_FILE, DivisionDataError
from icdc.divisions.services import load_divisions


class Command(BaseCommand):
    help = _("载入行政区划基础数据（可重复执行：只新增和更新有变化的记录，不删除被引用的记录）")

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DATA_FILE), help=_("数据文件路径（默认为随项目发布的文件）"))

    def handle(self, *args, file, **options):
        try:
            result = load_divisions(path=file)
        except DivisionDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))

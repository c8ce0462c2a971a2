"""Load the record of awarded titles (data/titles/awards-known.csv by default). Idempotent."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from icdc.lib.refusals import Refusal
from icdc.programmes.selectors import current_programme
from icdc.titles.services import DEFAULT_FILE, rows_from_csv, titles_load


class Command(BaseCommand):
    help = "载入已授予的示范城市称号（默认 data/titles/awards-known.csv），可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_FILE))
        parser.add_argument("--strict", action="store_true", help="有未匹配的行时以错误退出")

    def handle(self, *args, path, strict, **options):
        try:
            rows = rows_from_csv(Path(path).read_text(encoding="utf-8"))
            report = titles_load(rows=rows, programme=current_programme())
        except (OSError, UnicodeDecodeError, Refusal) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"称号：{report.rows} 行，新增 {report.created}，更新 {report.changed}，"
                          f"未变 {report.unchanged}，未匹配 {len(report.problems)}")
        for problem in report.problems:
            self.stderr.write(f"未匹配 {problem}")
        if strict and report.problems:
            raise CommandError(f"{len(report.problems)} 行未匹配")

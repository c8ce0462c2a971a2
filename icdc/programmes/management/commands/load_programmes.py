"""``manage.py load_programmes [path …]``: load programme definitions as versions (idempotent)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from icdc.lib.refusals import Refusal
from icdc.programmes.definition import ProgrammeError, load_programme
from icdc.programmes.selectors import shipped_files
from icdc.programmes.services import programme_definition_load


class Command(BaseCommand):
    help = _("载入申报项目定义 YAML（默认为 data/programmes/ 下全部文件）；同一版本内容相同则不作更改，"
                        "内容不同则拒绝。")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help=_("YAML 文件（默认为项目自带的全部定义）"))

    def handle(self, *args, paths, **options):
        for path in paths or shipped_files():
            try:
                programme = load_programme(path)
                definition, created = programme_definition_load(programme=programme, source=Path(path).name)
            except ProgrammeError as exc:
                raise CommandError("\n".join([_("%(path)s 未通过校验，未作任何更改：") % {"path": path}, *exc.problems])) \
                    from exc
            except Refusal as exc:
                raise CommandError(str(exc)) from exc
            params = {"title": definition.title, "code": definition.code, "version": definition.version}
            if created:
                self.stdout.write(self.style.SUCCESS(_("已载入申报项目定义 %(title)s（%(code)s %(version)s）") % params))
            else:
                self.stdout.write(_("申报项目定义 %(title)s（%(code)s %(version)s）已存在且内容相同，未作更改") % params)

"""``manage.py load_indicators [path]``: load an indicator-set YAML as a version (idempotent)."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from icdc.indicators.services import import_version_document
from icdc.indicators.yaml_io import DocumentError, load_document

DEFAULT_PATH = Path(settings.BASE_DIR) / "data" / "indicators" / "draft-2019.yaml"


class Command(BaseCommand):
    help = _("载入指标体系 YAML 为一个版本；同一版本重复载入不作任何更改。")

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH), help=_("YAML 文件（默认为项目自带的草案）"))
        parser.add_argument("--label", help=_("以此版本标识载入（默认取文件中的 version）"))
        parser.add_argument("--publish", action="store_true", help=_("载入后即发布，供批次选用"))

    def handle(self, *args, path, label=None, publish=False, **options):
        try:
            document = load_document(Path(path).read_bytes(), label=label)
            version, created = import_version_document(document=document, publish=publish)
        except OSError as exc:
            raise CommandError(_("无法读取 %(path)s：%(error)s") % {"path": path, "error": exc}) from exc
        except DocumentError as exc:
            raise CommandError("\n".join([_("文件未通过校验，未作任何更改：")] + [str(p) for p in exc.problems])) from exc
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        if created:
            self.stdout.write(self.style.SUCCESS(_("已载入指标体系版本 %(label)s（%(status)s）") % {
                "label": version.label, "status": version.get_status_display()}))
        else:
            self.stdout.write(_("指标体系版本 %(label)s 已存在且内容相同，未作更改") % {"label": version.label})

"""manage.py build_portal_map: the provinces' boundaries (GeoJSON) → the portal map's SVG sprite."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy as _

from icdc.portal.cache import invalidate_public_pages
from icdc.portal.china_map import NANHAI_INSET, build_svg

VENDORED = Path(__file__).resolve().parents[2] / "data" / "china-provinces.json"
OUTPUT = Path(settings.BASE_DIR) / "icdc" / "static" / "portal" / "china-provinces.svg"


class Command(BaseCommand):
    # a plain str: argparse cannot format a lazy one (``--help`` fails on every command whose help is lazy)
    help = (
        "由省级行政区划边界（GeoJSON）生成公众门户示范城市地图的 SVG 文件（每省一个 <path id=\"p<代码>\">）。"
        "边界来源：--source，否则设置 ICDC_PORTAL_MAP_SOURCE（运营单位取得审图号的地图，GeoJSON，"
        "普通坐标或 echarts 压缩格式均可，省级代码取要素的 id、properties.id、adcode 或 code），"
        "否则随项目发布的 echarts 4.9.0 边界（icdc/portal/data/）。投影：等距圆柱，经度乘 cos 35°。"
        "生成后运行 collectstatic 并重启服务（本命令同时清除已缓存的公众页面）；"
        "删除生成的文件（或设置 ICDC_PORTAL_MAP_SPRITE 为空）则门户不显示地图，只显示表格。"
        "地图下方的审图号由设置 ICDC_PORTAL_MAP_APPROVAL 给出。")

    def add_arguments(self, parser):
        parser.add_argument("--source", default="", help=_("GeoJSON 文件路径（默认：ICDC_PORTAL_MAP_SOURCE，再默认随项目发布的文件）"))
        parser.add_argument("--output", default=str(OUTPUT), help=_("写入的 SVG 文件路径"))
        parser.add_argument("--inset", choices=("auto", "on", "off"), default="auto",
                            help=_("南海诸岛附图（echarts 的附图框）：auto 为仅在使用随项目发布的边界时绘制"))

    def handle(self, *args, source, output, inset, **options):
        path = Path(source or settings.ICDC_PORTAL_MAP_SOURCE or VENDORED)
        try:
            collection = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(_("无法读取边界文件 %(path)s：%(error)s") % {"path": path, "error": exc}) from exc
        draw_inset = inset == "on" or (inset == "auto" and path.resolve() == VENDORED)
        note = "Boundaries: echarts 4.9.0 map/json/china.json (Apache-2.0), see icdc/portal/data/README.md" \
            if path.resolve() == VENDORED else f"Boundaries: {path.name}"
        try:
            svg, names = build_svg(collection, inset=NANHAI_INSET if draw_inset else None, source_note=note)
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            raise CommandError(_("边界文件 %(path)s 无法使用：%(error)s") % {"path": path, "error": exc}) from exc
        target = Path(output)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(svg, encoding="utf-8")
        invalidate_public_pages()  # a cached list page would keep the old map (see icdc.portal.cache)
        self.stdout.write(self.style.SUCCESS(
            _("已写入 %(target)s：%(n)d 个省级区划，%(size)d 字节。") % {
                "target": target, "n": len(names), "size": len(svg.encode())}))

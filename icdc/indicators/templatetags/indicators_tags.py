from decimal import Decimal

from django import template
from django.utils.translation import gettext_lazy

register = template.Library()

#: What each header of the statistics file means, for readers of another language. The
#: headers themselves are a file format (``statistics_io.HEADERS``) and stay as they are.
FILE_COLUMN_MEANINGS = {
    "城市代码": gettext_lazy("城市代码"), "城市名称": gettext_lazy("城市名称"), "年份": gettext_lazy("年份"),
    "指标代码": gettext_lazy("指标代码"), "数值": gettext_lazy("数值"), "单位": gettext_lazy("单位"),
    "数据来源": gettext_lazy("数据来源"), "来源说明": gettext_lazy("来源说明"),
}


@register.filter
def file_column(header):
    """A column of an imported file, named as in the file, with its meaning when the page is
    in another language: "城市代码 (City code)"; "—" for an error about the whole file."""
    if not header:
        return "—"
    meaning = str(FILE_COLUMN_MEANINGS.get(header, header))
    return header if meaning == header else f"{header} ({meaning})"


@register.filter
def plain(value):
    """A Decimal without trailing zeros (6.00 → 6, 0.5000 → 0.5); empty for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    return value

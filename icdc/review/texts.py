"""Labels of the draw's reason codes (``draw.py`` stays free of Django and of translations)."""

from django.utils.translation import gettext_lazy as _

DRAW_REASONS = {
    "inactive": _("已停用"),
    "declared_city": _("本人申报回避该城市"),
    "declared_employer": _("本人申报回避的单位参与申报"),
    "employer_city": _("工作单位在申报城市"),
    "same_province": _("与申报城市同省"),
    "load_limit": _("已达本批次评审上限"),
    "speciality": _("专业领域不符"),
}

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Division(models.Model):
    """行政区划: a province-level or prefecture-level unit, keyed by its GB/T 2260 code.

    Province-level units (省级) are the channels that pre-review applications; the
    prefecture-level units (地级) and the four 直辖市 are the cities that may apply
    (Art. 5). A 直辖市 is one row, province-level *and* a city: it can apply and applies
    directly (Art. 9), so a city applicant is bound to 北京市 itself, not to a district.
    The rows are reference data, loaded from ``data/divisions.json`` by ``load_divisions``.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        PREFECTURE = "prefecture", _("地级")

    class Kind(models.TextChoices):
        # Values are the statutory names, so the data file and exports read naturally.
        PROVINCE = "省", _("省")
        AUTONOMOUS_REGION = "自治区", _("自治区")
        MUNICIPALITY = "直辖市", _("直辖市")
        SAR = "特别行政区", _("特别行政区")
        CORPS = "兵团", _("兵团")
        CITY = "地级市", _("地级市")
        AUTONOMOUS_PREFECTURE = "自治州", _("自治州")
        PREFECTURE = "地区", _("地区")
        LEAGUE = "盟", _("盟")

    code = models.CharField(_("区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=64)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    kind = models.CharField(
        _("类型"), max_length=16, choices=Kind.choices, help_text=_("如 省、自治区、直辖市、地级市、自治州、地区、盟")
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_municipality = models.BooleanField(_("直辖市"), default=False)
    is_separately_planned = models.BooleanField(_("计划单列市"), default=False)
    is_sub_provincial = models.BooleanField(_("副省级"), default=False)
    applies_directly = models.BooleanField(
        _("直接向工信部申报"), default=False, help_text=_("直辖市和计划单列市直接申报，其余经省级主管部门初审")
    )
    is_application_channel = models.BooleanField(
        _("申报渠道"), default=False, help_text=_("省级单位：可受理并初审申报")
    )
    can_apply = models.BooleanField(_("可申报示范城市"), default=False)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        constraints = [
            # A direct applicant is by definition a city that may apply (Art. 9).
            models.CheckConstraint(
                condition=Q(applies_directly=False) | Q(can_apply=True), name="division_direct_applicant_can_apply"
            ),
            # Every prefecture-level unit belongs to a province-level one.
            models.CheckConstraint(
                condition=Q(level="province") | Q(parent__isnull=False), name="division_prefecture_has_parent"
            ),
        ]

    def __str__(self):
        return self.name

from django.db import models
from django.utils.translation import gettext_lazy as _


class Division(models.Model):
    """行政区划: a province-level or prefecture-level unit, keyed by its GB/T 2260 code.

    Province-level units (省级) are the channels that pre-review applications; the
    prefecture-level units (地级) and the four 直辖市 are the cities that may apply.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        PREFECTURE = "prefecture", _("地级")

    code = models.CharField(_("区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=64)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("类型"), max_length=16, help_text=_("如 省、自治区、直辖市、地级市、自治州、地区、盟"))
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

    def __str__(self):
        return self.name

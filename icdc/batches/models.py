"""Batches (年度批次, SPEC §4 "Batch"): a year's call opened from a programme definition."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from . import workflow

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Batch(models.Model):
    """年度批次: one year's call of a programme, with its deadlines, quotas and rules.

    The programme definition (``icdc.programmes``) is copied into ``programme_document`` when
    the batch is created, so a later version of the programme never changes a running batch.
    Deadlines are instants (stored in UTC) entered and shown in Asia/Shanghai time.
    """


    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("批次名称"), max_length=120)
    programme_code = models.CharField(_("申报项目"), max_length=64)
    programme_version = models.CharField(_("申报项目版本"), max_length=32)
    programme_document = models.JSONField(_("申报项目规则（开放时复制）"), default=dict)
    status = models.CharField(_("状态"), max_length=16, choices=workflow.WORKFLOW.choices(), default=workflow.DRAFT)
    opens_on = models.DateField(_("开放日期"), null=True, blank=True)
    city_deadline = models.DateTimeField(_("城市申报截止时间"), null=True, blank=True)
    province_deadline = models.DateTimeField(_("省级报送截止时间"), null=True, blank=True)
    quotas = models.JSONField(_("名额"), default=dict, blank=True,
                              help_text=_("按类型和方向代码：名额数，如 {\"comprehensive\": 10}"))
    indicator_version = models.ForeignKey("indicators.IndicatorSetVersion", verbose_name=_("评价指标体系版本"),
                                          null=True, blank=True, on_delete=models.PROTECT, related_name="batches")
    material_weight = models.DecimalField(_("材料评审权重"), max_digits=4, decimal_places=3, default=0.6)
    defence_weight = models.DecimalField(_("答辩权重"), max_digits=4, decimal_places=3, default=0.4)
    pass_mark = models.DecimalField(_("合格分数线"), max_digits=5, decimal_places=2, default=60)
    notice_working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    opened_at = models.DateTimeField(_("开放时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度批次")
        verbose_name_plural = _("年度批次")
        ordering = ["-year", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme_code", "year"], name="batch_one_per_programme_year"),
            models.CheckConstraint(condition=Q(material_weight__gte=0) & Q(defence_weight__gte=0),
                                   name="batch_weights_not_negative"),
        ]

    def __str__(self):
        return self.title

    @property
    def city_deadline_display(self):
        return _shanghai(self.city_deadline)

    @property
    def province_deadline_display(self):
        return _shanghai(self.province_deadline)

    def programme(self):
        """The programme rules this batch runs under (``icdc.programmes.definition.Programme``)."""
        from icdc.programmes.definition import programme_from_document

        return programme_from_document(self.programme_document)


def _shanghai(instant):
    if instant is None:
        return ""
    return date_format(instant.astimezone(SHANGHAI), "Y年n月j日 H:i")

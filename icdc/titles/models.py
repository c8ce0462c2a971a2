from django.db import models
from django.utils.translation import gettext_lazy as _

from .workflow import ACTIVE, WORKFLOW


class Title(models.Model):
    """称号: one title awarded to one city in one batch. A city may hold several over the years and
    change type (昆明: specialised 2020, comprehensive 2021); a title is never a flag on the city.

    ``kind`` is comprehensive, specialised (with the programme's ``domain_code`` when known) or
    legacy (2016, before the 2019 measures split titles into types). ``type_code`` is the
    programme's type code; ``award_title`` and ``domain_label`` are copied from the programme
    definition when the title is created, so the record reads the same if the definition changes.
    """

    class Kind(models.TextChoices):
        COMPREHENSIVE = "comprehensive", _("综合型")
        SPECIALISED = "specialised", _("特色型")
        LEGACY = "legacy", _("2016 年（未分类型）")

    class Confidence(models.TextChoices):
        CONFIRMED = "confirmed", _("已核实")
        PROBABLE = "probable", _("较可靠")

    city = models.ForeignKey("divisions.Division", verbose_name=_("城市"), on_delete=models.PROTECT,
                             related_name="titles")
    batch_year = models.PositiveSmallIntegerField(_("批次年度"))
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    type_code = models.CharField(_("申报类型代码"), max_length=32, blank=True)
    domain_code = models.CharField(_("特色领域代码"), max_length=32, blank=True)
    domain_label = models.CharField(_("特色领域"), max_length=64, blank=True)
    award_title = models.CharField(_("称号"), max_length=120)
    announced = models.CharField(_("公告时间"), max_length=10, help_text=_("已知的精度：年、年-月或年-月-日"))
    announced_on = models.DateField(_("公告日期"), null=True, blank=True)
    announced_year = models.PositiveSmallIntegerField(_("公告年度"))
    source_note = models.CharField(_("来源"), max_length=300, blank=True)
    confidence = models.CharField(_("可靠程度"), max_length=16, choices=Confidence.choices, default="confirmed")
    status = models.CharField(_("状态"), max_length=24, choices=WORKFLOW.choices(), default=ACTIVE)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("示范城市称号")
        verbose_name_plural = _("示范城市称号")
        ordering = ["-batch_year", "city_id", "kind", "domain_code"]
        constraints = [
            models.UniqueConstraint(fields=["city", "batch_year", "kind", "domain_code"], name="title_once_per_award"),
            models.CheckConstraint(condition=models.Q(kind="specialised") | models.Q(domain_code=""),
                                   name="title_domain_only_specialised"),
        ]

    def __str__(self):
        return f"{self.city} · {self.full_title} · {self.batch_year}"

    @property
    def full_title(self):
        """「信息消费示范城市（特色型）」 with its domain when known."""
        return f"{self.award_title} · {self.domain_label}" if self.domain_label else self.award_title

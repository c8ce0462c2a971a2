"""Evaluation indicator systems as versioned data (SPEC §3, Annex 3) and official statistics.

The indicator system is data, not code: a version holds its systems, dimensions, indicators
and 特色领域; a version used by a batch is locked and changes go into a new version.
Invariants the database cannot express (weights sum to 100, rule parameters consistent)
live in ``validation.py`` and are enforced by ``services.py`` on every write.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorSetVersion(models.Model):
    """指标体系版本: one complete, self-consistent set of systems, dimensions and indicators.

    draft (editable) → published (offered to batches, frozen) → locked (used by a batch).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        LOCKED = "locked", _("已锁定")

    label = models.CharField(_("版本标识"), max_length=64, unique=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    source_sha256 = models.CharField(
        _("来源文件摘要"), max_length=64, blank=True, help_text=_("载入时 YAML 内容的 SHA-256，用于识别来源")
    )
    # Other top-level sections of the YAML (e.g. basic_conditions) kept verbatim so that
    # export → import is lossless; the apps that own those rules read them from here.
    extras = models.JSONField(_("其他内容"), default=dict, blank=True)
    derived_from = models.ForeignKey(
        "self", verbose_name=_("派生自"), null=True, blank=True, on_delete=models.SET_NULL, related_name="derivatives"
    )
    locked_reason = models.CharField(_("锁定原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("指标体系版本")
        verbose_name_plural = _("指标体系版本")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.label

    @property
    def is_editable(self):
        return self.status == self.Status.DRAFT


class Domain(models.Model):
    """特色领域: one of the domains a specialised application names (Art. 3, 7)."""

    version = models.ForeignKey(IndicatorSetVersion, on_delete=models.CASCADE, related_name="domains")
    code = models.CharField(_("领域代码"), max_length=32)
    name = models.CharField(_("领域名称"), max_length=64)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("特色领域")
        verbose_name_plural = _("特色领域")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="indicators_domain_code_unique")]

    def __str__(self):
        return self.name


class IndicatorSystem(models.Model):
    """指标体系: the comprehensive (综合型) or the specialised (特色型) sub-system of Annex 3."""

    version = models.ForeignKey(IndicatorSetVersion, on_delete=models.CASCADE, related_name="systems")
    code = models.CharField(_("体系代码"), max_length=32)
    name = models.CharField(_("体系名称"), max_length=128)
    applies_to = models.CharField(_("适用类型"), max_length=32, help_text=_("如 综合型、特色型"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("指标体系")
        verbose_name_plural = _("指标体系")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="indicators_system_code_unique")]

    def __str__(self):
        return self.name


class Dimension(models.Model):
    """评价维度 (一级指标). ``domain`` empty: the common part 共性部分 of its system; set: the
    part scored only for applications in that 特色领域."""

    system = models.ForeignKey(IndicatorSystem, on_delete=models.CASCADE, related_name="dimensions")
    code = models.CharField(_("维度代码"), max_length=32)
    name = models.CharField(_("维度名称"), max_length=128)
    domain = models.ForeignKey(
        Domain, verbose_name=_("特色领域"), null=True, blank=True, on_delete=models.PROTECT, related_name="dimensions"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("评价维度")
        verbose_name_plural = _("评价维度")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["system", "code"], name="indicators_dimension_code_unique")]

    def __str__(self):
        return f"{self.code} {self.name}"


class Indicator(models.Model):
    """评价指标: quantitative (定量, a figure scored by a rule) or qualitative (定性, scored by experts)."""

    class Kind(models.TextChoices):
        QUANTITATIVE = "quantitative", _("定量")
        QUALITATIVE = "qualitative", _("定性")

    class Rule(models.TextChoices):
        LINEAR = "linear", _("线性（越高越好）")
        REVERSE_LINEAR = "reverse_linear", _("线性（越低越好）")
        THRESHOLD = "threshold", _("达标即满分")

    # Denormalised from dimension → system → version so the database itself keeps codes
    # unique per version: statistics refer to indicators by code.
    version = models.ForeignKey(IndicatorSetVersion, on_delete=models.CASCADE, related_name="indicators")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("指标代码"), max_length=32)
    name = models.CharField(_("指标名称"), max_length=128)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    unit = models.CharField(_("单位"), max_length=16, blank=True)
    weight = models.DecimalField(_("权重（分）"), max_digits=6, decimal_places=2)
    rule = models.CharField(_("计分规则"), max_length=16, choices=Rule.choices, blank=True)
    floor = models.DecimalField(_("下限值"), max_digits=15, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(_("目标值"), max_digits=15, decimal_places=4, null=True, blank=True)
    source = models.CharField(_("数据来源"), max_length=128, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("评价指标")
        verbose_name_plural = _("评价指标")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="indicators_indicator_code_unique")]

    def __str__(self):
        return f"{self.code} {self.name}"


class StatisticFigure(models.Model):
    """统计数据: one official figure of one city for one year and one indicator (Art. 11).

    ``indicator_code`` is the stable code string, not a foreign key, because indicators are
    versioned while a city's 2022 figure is the same fact in every version.
    """

    class Source(models.TextChoices):
        NBS = "nbs", _("国家统计局")
        MIIT = "miit", _("工业和信息化部")
        OTHER = "other", _("其他")

    city = models.ForeignKey(
        "divisions.Division", verbose_name=_("城市"), on_delete=models.PROTECT, related_name="statistic_figures",
        limit_choices_to={"can_apply": True},
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    indicator_code = models.CharField(_("指标代码"), max_length=32)
    value = models.DecimalField(_("数值"), max_digits=19, decimal_places=4)
    unit = models.CharField(_("单位"), max_length=16)
    source = models.CharField(_("数据来源"), max_length=8, choices=Source.choices)
    source_note = models.CharField(_("来源说明"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("录入时间"))

    class Meta:
        verbose_name = _("统计数据")
        verbose_name_plural = _("统计数据")
        ordering = ["-year", "city_id", "indicator_code"]
        constraints = [
            models.UniqueConstraint(fields=["city", "year", "indicator_code"], name="indicators_figure_unique"),
            models.CheckConstraint(
                condition=~models.Q(source="other") | ~models.Q(source_note=""), name="indicators_figure_other_note"
            ),
        ]

    def __str__(self):
        return f"{self.city_id} {self.year} {self.indicator_code}"


class WeightDerivation(models.Model):
    """权重推导记录（层次分析法）: the pairwise judgements an officer made for one level of a
    system — the dimensions of its common part, or the indicators of one dimension — and the
    weights and consistency ratio AHP (``icdc.scoring.ahp``) derived from them.

    A record, not a rule: the version's weights change only through ``update_weights``, so a
    derivation can be kept beside weights an officer then adjusted by hand.
    """

    version = models.ForeignKey(IndicatorSetVersion, on_delete=models.CASCADE, related_name="weight_derivations")
    system_code = models.CharField(_("体系代码"), max_length=32)
    scope = models.CharField(_("范围"), max_length=32, blank=True, help_text=_("维度代码；留空表示体系各维度之间"))
    labels = models.JSONField(_("比较对象"))
    matrix = models.JSONField(_("判断矩阵"))
    weights = models.JSONField(_("权重（归一化）"))
    points = models.JSONField(_("建议分值"))
    consistency_ratio = models.FloatField(_("一致性比率 CR"))
    lambda_max = models.FloatField(_("最大特征值"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("推导人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("推导时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("权重推导记录")
        verbose_name_plural = _("权重推导记录")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.system_code}/{self.scope or '*'} CR={self.consistency_ratio:.3f}"


class StatisticsImport(models.Model):
    """统计数据导入记录: one per import of a statistics file, applied or refused.

    Holds the row detail (each figure's state before and after, every refused row) so the audit
    record of the import carries only the file's digest and the counts: a 20,000-row import would
    otherwise put megabytes into the audit chain, re-hashed at every verification.
    """

    filename = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("文件摘要（SHA-256）"), max_length=64)
    size = models.PositiveBigIntegerField(_("文件大小（字节）"))
    version = models.ForeignKey(IndicatorSetVersion, verbose_name=_("校验所用指标体系版本"), on_delete=models.PROTECT,
                                related_name="+")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True,
                                    on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("导入时间"))
    applied = models.BooleanField(_("已写入"), default=False)
    rows = models.PositiveIntegerField(_("数据行数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    changed = models.PositiveIntegerField(_("修改"), default=0)
    unchanged = models.PositiveIntegerField(_("未变"), default=0)
    before = models.JSONField(_("修改前"), default=dict, blank=True)
    after = models.JSONField(_("修改后"), default=dict, blank=True)
    errors = models.JSONField(_("错误"), default=list, blank=True)

    class Meta:
        verbose_name = _("统计数据导入记录")
        verbose_name_plural = _("统计数据导入记录")
        ordering = ["-imported_at", "-pk"]

    def __str__(self):
        return f"{self.filename} ({self.imported_at:%Y-%m-%d %H:%M})"

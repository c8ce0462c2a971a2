"""Scoring runs (SPEC §3–4 "Ranking and decision"): immutable snapshots of one engine run.

Until the review app provides applications and expert scores as models, a run keeps its
complete input — indicator specs, figures, expert score sheets, defence scores — so it can
be explained, exported and re-run to the byte years later, whatever happens to the rows it
was built from. ``ScoringRunCity`` repeats each city's headline numbers for listing and
filtering, and its slice of the stored result and inputs (``detail``) so a city's
explanation reads one row, not the whole run; ``ScoringRun.outline`` holds the few
run-wide facts pages need (tracks, names, each part's indicators and parameters). Both are
copies taken from the stored result when the run is created and checked again by every
re-computation; the stored result text stays the authority.
"""

import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Fields that make the snapshot; once a run is saved they never change (see ``save``).
FROZEN_FIELDS = ("label", "version_id", "system_code", "year", "params", "seed", "snapshot", "input_hash",
                 "result_text", "result_hash", "engine", "created_by_id", "outline", "batch_id")


class RunIsImmutable(Exception):
    """Raised when code tries to change a stored run's snapshot; make a new run instead."""


class ScoringRun(models.Model):
    """评分运行 (scoring run): one run of the scoring engine over one indicator system
    (综合型 or 特色型) for one statistics year, stored with its inputs and result.

    Reproducible by construction (SPEC §3: scoring must be explainable): the same snapshot,
    parameters and seed give the same result bytes; ``reproduce_run`` checks it.
    """

    class Status(models.TextChoices):
        STORED = "stored", _("已保存")
        VERIFIED = "verified", _("复算一致")
        MISMATCH = "mismatch", _("复算不一致")

    label = models.CharField(_("名称"), max_length=200)
    version = models.ForeignKey(
        "indicators.IndicatorSetVersion", verbose_name=_("指标体系版本"), on_delete=models.PROTECT,
        related_name="scoring_runs",
    )
    system_code = models.CharField(_("指标体系"), max_length=32)
    year = models.PositiveSmallIntegerField(_("统计数据年份"))
    params = models.JSONField(_("运行参数"))
    seed = models.PositiveBigIntegerField(_("随机种子"))
    # Canonical inputs per part (tracks sharing one indicator list), see ``snapshot.py``.
    snapshot = models.JSONField(_("输入快照"))
    input_hash = models.CharField(_("输入摘要"), max_length=80)
    # Text, not JSON: the database must give back the very bytes the engine produced.
    result_text = models.TextField(_("计算结果"))
    result_hash = models.CharField(_("结果摘要"), max_length=80)
    engine = models.CharField(_("计分引擎"), max_length=80)
    # What the pages need without reading the (large) snapshot or result: track names and, per
    # part, its tracks, input hash, result format, parameters, indicators and leniency baseline
    # (``snapshot.run_outline``). A copy of the stored result's header, checked on re-computation.
    outline = models.JSONField(_("运行概要"), default=dict)
    # The batch whose review data the run was built from (``create_run_for_batch``); None for runs
    # built from hand-given data (the demo, tests, runs made before issue 14).
    batch = models.ForeignKey("batches.Batch", verbose_name=_("批次"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="scoring_runs")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.STORED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评分运行")
        verbose_name_plural = _("评分运行")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._adding_or_status_only(kwargs.get("update_fields")):
            raise RunIsImmutable(self.pk)
        super().save(*args, **kwargs)

    def _adding_or_status_only(self, update_fields):
        return self._state.adding or (update_fields is not None and set(update_fields) <= {"status"})

    @property
    def parts(self):
        """The snapshot's parts: {tracks, input_hash, indicators, cities, sources}."""
        return self.snapshot["parts"]

    @property
    def tracks(self):
        return [track for part in self.outline["parts"] for track in part["tracks"]]

    @property
    def track_names(self) -> dict:
        return self.outline["track_names"]

    def part_index(self, track) -> int:
        """Index of the part that holds ``track``; KeyError when the run has no such track."""
        for index, part in enumerate(self.outline["parts"]):
            if track in part["tracks"]:
                return index
        raise KeyError(track)

    def part_results(self):
        """The stored result documents, one per part (parsed from the exact stored text)."""
        data = json.loads(self.result_text)
        return data if isinstance(data, list) else [data]


class ScoringRunCity(models.Model):
    """评分运行城市结果: one city's headline result in one track of a run, for lists and filters."""

    run = models.ForeignKey(ScoringRun, on_delete=models.CASCADE, related_name="city_results")
    city = models.ForeignKey("divisions.Division", verbose_name=_("城市"), on_delete=models.PROTECT,
                             related_name="+")
    track = models.CharField(_("类别"), max_length=32)
    rank = models.PositiveIntegerField(_("排名"))
    composite = models.FloatField(_("综合得分"))
    material = models.FloatField(_("材料评审得分"))
    defence = models.FloatField(_("答辩得分"))
    eligible = models.BooleanField(_("达到合格分数线"))
    selected = models.BooleanField(_("入选"))
    close_call = models.BooleanField(_("临界"), default=False)
    p_in_quota = models.FloatField(_("入选概率"), null=True, blank=True)
    calibrated_composite = models.FloatField(_("校准后综合得分"), null=True, blank=True)
    calibrated_rank = models.PositiveIntegerField(_("校准后排名"), null=True, blank=True)
    flags = models.JSONField(_("提示"), default=list)
    # This city's slice of the stored result and inputs (``snapshot.city_details``): its result
    # document, its canonical inputs, its experts' leniency and its figures' sources — all the
    # explanation page needs, so that page costs the same at 40 cities or 300. Lists never read it.
    detail = models.JSONField(_("城市明细"), default=dict)

    class Meta:
        verbose_name = _("评分运行城市结果")
        verbose_name_plural = _("评分运行城市结果")
        ordering = ["run", "track", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["run", "city", "track"], name="decisions_runcity_unique"),
            models.UniqueConstraint(fields=["run", "track", "rank"], name="decisions_runcity_rank_unique"),
        ]

    def __str__(self):
        return f"{self.run_id} {self.track} #{self.rank} {self.city_id}"


class ReproductionCheck(models.Model):
    """复算核对记录: one recomputation of a run from its snapshot and whether the bytes matched."""

    run = models.ForeignKey(ScoringRun, on_delete=models.CASCADE, related_name="checks")
    matched = models.BooleanField(_("结果一致"))
    input_matched = models.BooleanField(_("输入摘要一致"))
    result_hash = models.CharField(_("复算结果摘要"), max_length=80, blank=True)
    engine = models.CharField(_("计分引擎"), max_length=80)
    detail = models.CharField(_("说明"), max_length=500, blank=True)
    # Why not, as codes with their values ([["input", {}], ["engine", {"old": …, "new": …}]]),
    # so the page says it in the reader's language; ``detail`` keeps the text of the moment.
    # None for checks recorded before the codes were kept.
    reasons = models.JSONField(_("不一致原因"), null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核对人"), on_delete=models.PROTECT,
                                   related_name="+")
    checked_at = models.DateTimeField(_("核对时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("复算核对记录")
        verbose_name_plural = _("复算核对记录")
        ordering = ["-checked_at", "-id"]

    def __str__(self):
        return f"{self.run_id} {'=' if self.matched else '≠'} {self.checked_at:%Y-%m-%d %H:%M}"

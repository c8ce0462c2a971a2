"""拟定名单、公示、异议与公告 (SPEC §2 arts. 12–14, §4 "Ranking and decision").

A ``Proposal`` is one list proposed from one scoring run of one batch; it carries its whole
lifecycle (``workflow.PROPOSAL``): drafted by an officer, approved by a second one (maker-checker),
published as a public notice (公示) for the batch's number of working days, then announced (公告),
which creates the titles. ``ProposalEntry`` is one city in one track of the run, with the engine's
decision copied and the officer's (``included``) beside it; a departure carries its reason.
``Objection`` (异议) is filed by anyone during the notice and handled by officers
(``workflow.OBJECTION``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from icdc.lib.fields import EncryptedCharField

from .workflow import OBJECTION, PROPOSAL, PROPOSAL_DRAFT, RECEIVED


class Proposal(models.Model):
    """拟定名单: the list proposed from one scoring run of one batch."""

    batch = models.ForeignKey("batches.Batch", verbose_name=_("批次"), on_delete=models.PROTECT,
                              related_name="proposals")
    run = models.ForeignKey("rankings.ScoringRun", verbose_name=_("评分运行"), on_delete=models.PROTECT,
                            related_name="proposals")
    status = models.CharField(_("状态"), max_length=24, choices=PROPOSAL.choices(), default=PROPOSAL_DRAFT)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("拟定人"), on_delete=models.PROTECT,
                                    related_name="+")
    submitted_at = models.DateTimeField(_("提交审核时间"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("审核通过时间"), null=True, blank=True)
    sent_back_reason = models.TextField(_("退回理由"), blank=True)
    # The public notice (公示): published on, first and last day (working days, Beijing time).
    notice_published_at = models.DateTimeField(_("公示发布时间"), null=True, blank=True)
    notice_start = models.DateField(_("公示开始日期"), null=True, blank=True)
    notice_end = models.DateField(_("公示截止日期"), null=True, blank=True)
    notice_working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), null=True, blank=True)
    # The announcement (公告, arts. 13–14).
    announcement_number = models.CharField(_("公告文号"), max_length=80, blank=True)
    announced_on = models.DateField(_("公告日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("拟定名单")
        verbose_name_plural = _("拟定名单")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["batch", "run"], name="decisions_proposal_once_per_run")]

    def __str__(self):
        return f"{self.batch} · {self.run}"

    @property
    def notice_ends_at(self):
        """The last instant an objection is accepted: the end of the notice's last day, Beijing time."""
        from .dates import end_of_day

        return end_of_day(self.notice_end) if self.notice_end else None


class ProposalEntry(models.Model):
    """One city in one track of the run: the engine's decision and the officer's, with the reason
    for any departure (a city left out that the ranking selected, or added that it did not)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="entries")
    city = models.ForeignKey("divisions.Division", verbose_name=_("城市"), on_delete=models.PROTECT,
                             related_name="+")
    track = models.CharField(_("类别"), max_length=32)
    rank = models.PositiveIntegerField(_("排名"))
    composite = models.FloatField(_("综合得分"))
    eligible = models.BooleanField(_("达到合格分数线"))
    engine_selected = models.BooleanField(_("排名入选"))
    close_call = models.BooleanField(_("临界"), default=False)
    p_in_quota = models.FloatField(_("入选概率"), null=True, blank=True)
    included = models.BooleanField(_("列入名单"))
    reason = models.TextField(_("调整理由"), blank=True)
    #: The objection that took the city off the list, if any.
    removed_by = models.ForeignKey("Objection", verbose_name=_("因异议移出"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("拟定名单城市")
        verbose_name_plural = _("拟定名单城市")
        ordering = ["proposal", "track", "rank"]
        constraints = [models.UniqueConstraint(fields=["proposal", "city", "track"], name="decisions_entry_unique")]

    def __str__(self):
        return f"{self.proposal_id} {self.track} {self.city_id}"

    @property
    def departs(self):
        return self.included != self.engine_selected


class Objection(models.Model):
    """异议: filed by anyone during the notice, about one city on the list.

    Who objected is personal data, and an objector's identity is kept from the city objected
    to: name, contact and unit name are SM4-encrypted at rest (``EncryptedCharField``, as the
    expert pool's), so a raw SELECT or a stolen dump shows tokens. The unit name is encrypted
    too because it can name a person (a 个体工商户 trades under its owner's name) and, with the
    objection, identifies the objector. None is looked up by value (only by receipt); a lookup
    needing one would add a ``BlindIndexField``.
    """

    class Filer(models.TextChoices):
        PERSON = "person", _("个人（实名）")
        UNIT = "unit", _("单位")

    class Vacancy(models.TextChoices):
        LEFT_VACANT = "vacant", _("名额空缺，不递补")
        FILLED = "filled", _("递补城市")

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="objections")
    receipt = models.CharField(_("回执编号"), max_length=24, unique=True)
    status = models.CharField(_("状态"), max_length=24, choices=OBJECTION.choices(), default=RECEIVED)
    filer_kind = models.CharField(_("异议人类型"), max_length=8, choices=Filer.choices)
    name = EncryptedCharField(_("姓名"), max_length=60)
    unit_name = EncryptedCharField(_("单位名称"), max_length=120, blank=True)
    contact = EncryptedCharField(_("联系方式"), max_length=120)
    city = models.ForeignKey("divisions.Division", verbose_name=_("涉及城市"), on_delete=models.PROTECT,
                             related_name="+")
    facts = models.TextField(_("异议事实和理由"))
    filed_at = models.DateTimeField(_("提交时间"))
    reply = models.TextField(_("答复意见"), blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    vacancy = models.CharField(_("空缺处理"), max_length=8, choices=Vacancy.choices, blank=True)
    vacancy_entry = models.ForeignKey(ProposalEntry, verbose_name=_("递补城市"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    vacancy_reason = models.TextField(_("空缺处理理由"), blank=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["-filed_at", "-id"]

    def __str__(self):
        return self.receipt

    @property
    def filer_display(self):
        return f"{self.unit_name}（{self.name}）" if self.filer_kind == self.Filer.UNIT else self.name


class ObjectionNote(models.Model):
    """An officer's investigation note on an objection."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("调查记录"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT,
                               related_name="+")
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("异议调查记录")
        verbose_name_plural = _("异议调查记录")
        ordering = ["created_at", "id"]


class ObjectionFile(models.Model):
    """A file of an objection: the objector's evidence or an officer's investigation file."""

    class Purpose(models.TextChoices):
        EVIDENCE = "evidence", _("异议证据")
        INVESTIGATION = "investigation", _("调查材料")

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="files")
    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose.choices)
    display_name = models.CharField(_("文件名"), max_length=255)
    storage_name = models.CharField(_("存储名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    kind = models.CharField(_("类型"), max_length=8)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("异议文件")
        verbose_name_plural = _("异议文件")
        ordering = ["uploaded_at", "id"]

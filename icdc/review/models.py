"""The expert pool (专家库) and the declarations experts sign (SPEC §4 "Expert review")."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from icdc.lib.fields import BlindIndexField, EncryptedCharField
from icdc.lib.masking import mask_id_number

MOBILE_PATTERN = r"^1[3-9][0-9]{9}$"
#: Specialities are stored between separators (``|LIFE|PUBLIC|``) so that one speciality is
#: found with a plain ``contains`` on every database (SQLite has no JSON ``contains``).
SEPARATOR = "|"


def mask_name(name):
    """张三 → 张*; 欧阳娜娜 → 欧***: the surname stays, so an officer can tell experts apart."""
    name = (name or "").strip()
    return name[:1] + "*" * (len(name) - 1) if name else ""


class Expert(models.Model):
    """评审专家: a member of the pool, with the account of the expert role they log in with.

    Name, ID number and mobile are personal data: SM4-encrypted at rest (``EncryptedCharField``,
    as ``accounts.User.mobile``), shown masked to roles that do not need them. The ID number has
    a blind index (HMAC-SM3) so that the pool refuses the same person twice without decrypting.
    Specialities are the programme's domain codes (``current_programme().domains``).
    """

    account = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("专家账号"), on_delete=models.PROTECT,
                                   related_name="expert_profile")
    name = EncryptedCharField(_("姓名"), max_length=32)
    id_number = EncryptedCharField(_("身份证号"), max_length=18)
    id_number_hash = BlindIndexField("id_number", verbose_name=_("身份证号检索索引"))
    mobile = EncryptedCharField(_("手机号码"), max_length=11,
                                validators=[RegexValidator(MOBILE_PATTERN, _("请输入 11 位手机号码。"))])
    employer = models.CharField(_("工作单位"), max_length=200)
    city = models.ForeignKey("divisions.Division", verbose_name=_("单位所在城市"), on_delete=models.PROTECT,
                             related_name="+")
    title = models.CharField(_("职称"), max_length=64, blank=True)
    speciality_codes = models.CharField(_("专业领域"), max_length=200, blank=True, default="",
                                        help_text=_("申报项目特色领域代码，以 | 分隔"))
    is_active = models.BooleanField(_("在库"), default=True, help_text=_("停用的专家不参加抽取"))
    load_limit = models.PositiveSmallIntegerField(_("每批次评审上限（件）"), default=15)
    conflict_cities = models.ManyToManyField("divisions.Division", verbose_name=_("申报回避城市"), blank=True,
                                             related_name="+")
    conflict_employers = models.JSONField(_("申报回避单位"), default=list, blank=True)
    created_at = models.DateTimeField(_("入库时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        ordering = ["id"]
        constraints = [
            # The same person twice would double their weight in a panel (blind index: no plaintext needed).
            models.UniqueConstraint(fields=["id_number_hash"], name="review_expert_id_number_unique",
                                    violation_error_message=_("专家库中已有该身份证号的专家。")),
        ]

    def __str__(self):
        return _("专家 %(name)s") % {"name": mask_name(self.name)}

    @property
    def specialities(self):
        return [c for c in self.speciality_codes.split(SEPARATOR) if c]

    @specialities.setter
    def specialities(self, codes):
        codes = [c for c in dict.fromkeys(codes) if c]
        self.speciality_codes = f"{SEPARATOR}{SEPARATOR.join(codes)}{SEPARATOR}" if codes else ""

    @property
    def masked_id_number(self):
        return mask_id_number(self.id_number)

    @property
    def masked_name(self):
        return mask_name(self.name)


class Declaration(models.Model):
    """回避声明与保密承诺: an expert's signature, per batch, on the exact text shown to them.

    The text's version and SHA-256 are kept, so what was signed can be shown later and a changed
    text is a new version to sign; the IP is where it was signed from.
    """

    expert = models.ForeignKey(Expert, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="declarations")
    batch = models.ForeignKey("batches.Batch", verbose_name=_("批次"), on_delete=models.PROTECT, related_name="+")
    text_version = models.CharField(_("声明文本版本"), max_length=32)
    text_sha256 = models.CharField(_("声明文本 SHA-256"), max_length=64)
    signed_at = models.DateTimeField(_("签署时间"))
    ip = models.GenericIPAddressField(_("签署 IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("回避声明与保密承诺")
        verbose_name_plural = _("回避声明与保密承诺")
        constraints = [
            models.UniqueConstraint(fields=["expert", "batch"], name="review_declaration_once_per_batch"),
        ]

    def __str__(self):
        return _("%(expert)s 的回避声明与保密承诺") % {"expert": self.expert}


class PanelDraw(models.Model):
    """抽取记录: one random draw of a review panel for one group (a scoring track) of a batch.

    Seed, pool snapshot (the canonical inputs of ``draw.draw_panel``) and its SHA-256 are kept so
    the draw can be re-run and compared; the excluded experts keep their reason codes. A draw is
    never deleted or overwritten: a redraw is a new row naming the one it ``replaces``, and a
    member who declines is replaced by the first reserve, recorded in ``replacements``.
    """

    batch = models.ForeignKey("batches.Batch", verbose_name=_("批次"), on_delete=models.PROTECT, related_name="+")
    group = models.CharField(_("评审组"), max_length=32, help_text=_("申报类型或特色领域代码"))
    size = models.PositiveSmallIntegerField(_("专家人数"))
    reserve_count = models.PositiveSmallIntegerField(_("备选人数"))
    seed = models.CharField(_("随机种子"), max_length=64)
    pool_hash = models.CharField(_("专家库快照 SHA-256"), max_length=64)
    snapshot = models.JSONField(_("专家库快照"))
    application_ids = models.JSONField(_("本组申报"), default=list)
    excluded = models.JSONField(_("排除的专家及原因"), default=list)
    drawn_members = models.JSONField(_("抽取的专家"), default=list)
    drawn_reserves = models.JSONField(_("抽取的备选专家"), default=list)
    drawn_leader = models.IntegerField(_("抽取的组长"), null=True)
    members = models.JSONField(_("当前专家"), default=list)
    reserves = models.JSONField(_("当前备选专家"), default=list)
    leader = models.IntegerField(_("当前组长"), null=True)
    replacements = models.JSONField(_("替补记录"), default=list, blank=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("抽取人"), on_delete=models.PROTECT,
                                 related_name="+")
    drawn_at = models.DateTimeField(_("抽取时间"))
    replaces = models.OneToOneField("self", verbose_name=_("重新抽取所替代的记录"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="replaced_by")

    class Meta:
        verbose_name = _("专家抽取记录")
        verbose_name_plural = _("专家抽取记录")
        ordering = ["-drawn_at", "-id"]

    def __str__(self):
        return _("专家抽取记录 %(pk)s") % {"pk": self.pk}


# --- Expert scoring (专家打分, issue 14 item 4) ----------------------------------------------------
# Shared by the scoring pages (``scores.py``), the progress page and the rankings adapter, which
# reads submitted sheets and defence scores into the engine. Scores are decimals with two places:
# what the expert typed, never a float's rounding.


class ReviewWindow(models.Model):
    """评审时间窗口: when the batch's experts may score. ``closed_at`` set = closed early by an officer;
    after ``closes_at`` or ``closed_at`` nothing an expert wrote can change."""

    batch = models.OneToOneField("batches.Batch", verbose_name=_("批次"), on_delete=models.PROTECT,
                                 related_name="review_window")
    opens_at = models.DateTimeField(_("评审开始时间"))
    closes_at = models.DateTimeField(_("评审截止时间"))
    closed_at = models.DateTimeField(_("提前关闭时间"), null=True, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("设置人"), on_delete=models.PROTECT,
                               related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("评审时间窗口")
        verbose_name_plural = _("评审时间窗口")

    def __str__(self):
        return _("批次 %(batch)s 的评审时间窗口") % {"batch": self.batch_id}

    def is_open_at(self, moment):
        return self.opens_at <= moment < self.closes_at and (self.closed_at is None or moment < self.closed_at)


class ScoreSheet(models.Model):
    """评分表: one panel member's scores for one application in the panel's group (track).

    A draft saves as often as the expert likes (``version`` refuses a lost update from a second
    tab); ``submitted`` locks it. Only submitted sheets go into a scoring run. When the member is
    replaced (``panels.panel_member_decline``) their sheets are kept but leave the count: a draft
    is withdrawn, a submitted sheet set aside (``review.score_sheet`` in ``workflow.py``); the
    substitute starts a sheet of their own.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        WITHDRAWN = "withdrawn", _("已撤回（专家替补或重新抽取）")
        SET_ASIDE = "set_aside", _("不计入（专家替补或重新抽取）")

    panel = models.ForeignKey(PanelDraw, verbose_name=_("评审组"), on_delete=models.PROTECT,
                              related_name="score_sheets")
    application = models.ForeignKey("applications.Application", verbose_name=_("申报"), on_delete=models.PROTECT,
                                    related_name="score_sheets")
    expert = models.ForeignKey(Expert, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="score_sheets")
    track = models.CharField(_("评审组（类别）"), max_length=32)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    overall_comment = models.TextField(_("总体意见"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=0)
    updated_at = models.DateTimeField(_("保存时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        ordering = ["application_id", "expert_id"]
        constraints = [
            # One live sheet per expert, application and track; withdrawn and set-aside ones are kept
            # beside it (an expert replaced, then drawn again by a redraw, starts afresh).
            models.UniqueConstraint(fields=["application", "expert", "track"], name="review_sheet_once",
                                    condition=models.Q(status__in=["draft", "submitted"])),
        ]

    def __str__(self):
        return _("%(expert)s 对申报 %(application)s 的评分表") % {"expert": self.expert,
                                                               "application": self.application_id}


class ScoreEntry(models.Model):
    """One qualitative indicator's score (0..weight) and comment on a sheet."""

    sheet = models.ForeignKey(ScoreSheet, verbose_name=_("评分表"), on_delete=models.CASCADE, related_name="entries")
    indicator_code = models.CharField(_("指标代码"), max_length=32)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("评语"), blank=True)

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        ordering = ["sheet_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "indicator_code"], name="review_entry_once"),
        ]

    def __str__(self):
        return f"{self.sheet_id} {self.indicator_code} {self.score}"


class PanelOpinion(models.Model):
    """专家组意见: written by the panel's leader on one application once every member has submitted."""

    panel = models.ForeignKey(PanelDraw, verbose_name=_("评审组"), on_delete=models.PROTECT, related_name="opinions")
    application = models.ForeignKey("applications.Application", verbose_name=_("申报"), on_delete=models.PROTECT,
                                    related_name="panel_opinions")
    text = models.TextField(_("专家组意见"))
    written_by = models.ForeignKey(Expert, verbose_name=_("组长"), on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("填写时间"))

    class Meta:
        verbose_name = _("专家组意见")
        verbose_name_plural = _("专家组意见")
        constraints = [
            models.UniqueConstraint(fields=["panel", "application"], name="review_opinion_once"),
        ]

    def __str__(self):
        return _("申报 %(application)s 的专家组意见") % {"application": self.application_id}


# --- Defence (答辩, issue 14 item 7) -------------------------------------------------------------


class DefenceSlot(models.Model):
    """答辩安排: one application's defence before one panel, on site or online (线上答辩)."""

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("现场答辩")
        ONLINE = "online", _("线上答辩")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("已安排")
        HELD = "held", _("已答辩")
        NO_SHOW = "no_show", _("未到场")

    panel = models.ForeignKey(PanelDraw, verbose_name=_("评审组"), on_delete=models.PROTECT,
                              related_name="defence_slots")
    application = models.ForeignKey("applications.Application", verbose_name=_("申报"), on_delete=models.PROTECT,
                                    related_name="defence_slots")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    mode = models.CharField(_("方式"), max_length=16, choices=Mode.choices, default=Mode.ONLINE)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    meeting_link = models.URLField(_("会议链接"), max_length=500, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    note = models.TextField(_("备注"), blank=True)
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("安排人"), on_delete=models.PROTECT,
                                     related_name="+")
    scheduled_at = models.DateTimeField(_("安排时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("答辩安排")
        verbose_name_plural = _("答辩安排")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "application"], name="review_defence_once_per_panel"),
        ]

    def __str__(self):
        return _("申报 %(application)s 的答辩") % {"application": self.application_id}


class DefenceScore(models.Model):
    """One panel member's defence score (0..100) for one slot; aggregated by the engine's trimmed mean."""

    slot = models.ForeignKey(DefenceSlot, verbose_name=_("答辩安排"), on_delete=models.PROTECT, related_name="scores")
    expert = models.ForeignKey(Expert, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("答辩得分"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("评语"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))

    class Meta:
        verbose_name = _("答辩评分")
        verbose_name_plural = _("答辩评分")
        constraints = [
            models.UniqueConstraint(fields=["slot", "expert"], name="review_defence_score_once"),
        ]

    def __str__(self):
        return f"{self.slot_id} {self.expert_id} {self.score}"


class FormalReview(models.Model):
    """形式审查 (art. 12): the Ministry's check of one revision of an application that has arrived —
    a checklist from the programme definition (``FormalCheck``), then the outcome, taken through the
    application workflow (``formal_pass``, ``formal_supplement``, ``formal_reject``)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("审查中")
        PASSED = "passed", _("通过")
        SUPPLEMENT = "supplement", _("补充材料")
        REJECTED = "rejected", _("不通过")

    application = models.ForeignKey("applications.Application", verbose_name=_("申报"), on_delete=models.PROTECT,
                                     related_name="formal_reviews")
    revision_number = models.PositiveSmallIntegerField(_("审查的修订版本"))
    outcome = models.CharField(_("结论"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    reasons = models.TextField(_("意见或理由"), blank=True)
    deadline = models.DateTimeField(_("补充材料截止时间"), null=True, blank=True)
    bulk = models.BooleanField(_("批量通过"), default=False)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审查人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("最后修改人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("形式审查")
        verbose_name_plural = _("形式审查")
        ordering = ["application", "revision_number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "revision_number"], name="review_formal_once_per_revision"),
        ]

    def __str__(self):
        return f"{self.application_id} v{self.revision_number} {self.outcome}"


class FormalCheck(models.Model):
    """One item of a formal review's checklist: a basic condition of the type or a required material
    of the route, ticked met / not met with a note. ``label`` keeps the text as it was reviewed."""

    class Kind(models.TextChoices):
        CONDITION = "condition", _("基本条件")
        MATERIAL = "material", _("申报材料")

    review = models.ForeignKey(FormalReview, verbose_name=_("形式审查"), on_delete=models.CASCADE,
                               related_name="checks")
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    code = models.CharField(_("代码"), max_length=64)
    label = models.TextField(_("内容"))
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    met = models.BooleanField(_("是否满足"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("形式审查项")
        verbose_name_plural = _("形式审查项")
        ordering = ["review", "position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "kind", "code"], name="review_formal_check_unique"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.code}"


# --- Site inspection (实地考察, issue 14 item 6) ---------------------------------------------------


class SiteInspection(models.Model):
    """实地考察: a visit to an applicant city the Ministry decided is needed (art. 12), for one
    application of one panel: its date, who went (panel experts and named officials), the findings
    and the files brought back. Seen by the panel's current members and the Ministry officer."""

    panel = models.ForeignKey(PanelDraw, verbose_name=_("评审组"), on_delete=models.PROTECT,
                              related_name="site_inspections")
    application = models.ForeignKey("applications.Application", verbose_name=_("申报"), on_delete=models.PROTECT,
                                    related_name="site_inspections")
    date = models.DateField(_("考察日期"))
    experts = models.ManyToManyField(Expert, verbose_name=_("考察专家"), blank=True, related_name="+")
    officials = models.TextField(_("其他考察人员"), blank=True, help_text=_("工信部及有关人员，每行一人"))
    findings = models.TextField(_("考察意见"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("决定人"), on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("决定时间"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("实地考察")
        verbose_name_plural = _("实地考察")
        ordering = ["date", "id"]

    def __str__(self):
        return _("申报 %(application)s 的实地考察") % {"application": self.application_id}

    @property
    def official_names(self):
        return [line.strip() for line in self.officials.splitlines() if line.strip()]


class SiteInspectionFile(models.Model):
    """A file of a site inspection (photos, minutes), stored by ``icdc.lib.stored_uploads``."""

    inspection = models.ForeignKey(SiteInspection, verbose_name=_("实地考察"), on_delete=models.PROTECT,
                                   related_name="files")
    display_name = models.CharField(_("文件名"), max_length=200)
    storage_name = models.CharField(_("存储名"), max_length=300)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    kind = models.CharField(_("类型"), max_length=16)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("实地考察文件")
        verbose_name_plural = _("实地考察文件")
        ordering = ["inspection_id", "id"]

    def __str__(self):
        return self.display_name

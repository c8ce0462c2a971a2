"""Applications (申报, SPEC §4 "Application") and the province's preliminary review (初审, art. 10)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import workflow


class Application(models.Model):
    """申报: one city's application in one batch (art. 8: one per city per batch, one type).

    Route and province come from the division data and the programme definition when the
    application is started (``services.application_start``), never from the form. The form's
    content lives in ``ApplicationSection`` rows while it is a draft; each submission freezes it
    into an ``ApplicationRevision``; a return opens the next revision number.
    """

    class Route(models.TextChoices):
        DIRECT = "direct", _("直接申报")
        PROVINCE = "province", _("经省级初审")

    batch = models.ForeignKey("batches.Batch", verbose_name=_("批次"), on_delete=models.PROTECT,
                              related_name="applications")
    city = models.ForeignKey("divisions.Division", verbose_name=_("申报城市"), on_delete=models.PROTECT,
                             related_name="applications")
    route = models.CharField(_("申报途径"), max_length=16, choices=Route.choices)
    province = models.ForeignKey("divisions.Division", verbose_name=_("初审省级单位"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="routed_applications")
    number = models.CharField(_("申报编号"), max_length=32, unique=True)
    type_code = models.CharField(_("申报类型"), max_length=32, blank=True)
    domain_codes = models.JSONField(_("特色方向"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=24, choices=workflow.WORKFLOW.choices(), default=workflow.DRAFT,
                              db_index=True)
    revision_number = models.PositiveSmallIntegerField(_("当前修订版本"), default=1)
    recommendation_rank = models.PositiveSmallIntegerField(_("省内推荐排序"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("报送工信部时间"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        ordering = ["batch", "city"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "city"], name="application_one_per_city_per_batch",
                                    violation_error_message=_("本市在本批次已有申报，每个城市每批次只能申报一次。")),
            models.CheckConstraint(condition=Q(route="direct", province__isnull=True) | Q(route="province",
                                                                                       province__isnull=False),
                                   name="application_route_matches_province"),
        ]
        indexes = [models.Index(fields=["batch", "status"]), models.Index(fields=["province", "status"])]

    def __str__(self):
        return f"{self.number} {self.city.name}" if self.city_id else self.number

    @property
    def is_editable(self):
        return self.status in workflow.EDITABLE


class ApplicationSection(models.Model):
    """One section of the draft 申报表/申报书, saved on its own (nothing lost while typing).

    ``version`` grows by one on each save; a save that names an older version than the stored
    one is refused (two people editing one draft never silently overwrite each other).
    """

    application = models.ForeignKey(Application, verbose_name=_("申报"), on_delete=models.CASCADE,
                                    related_name="sections")
    key = models.CharField(_("部分"), max_length=64)
    data = models.JSONField(_("内容"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("版本号"), default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("最后修改人"), null=True,
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("最后修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("申报表部分")
        verbose_name_plural = _("申报表部分")
        constraints = [models.UniqueConstraint(fields=["application", "key"], name="application_section_unique")]

    def __str__(self):
        return f"{self.application_id}:{self.key}"


class Attachment(models.Model):
    """附件: a file of an application (evidence for a basic condition, the signed 申报书, …).

    Stored under a random name (``icdc.lib.uploads``), checked by content; the SHA-256 goes into
    the frozen revision, so a file in a submitted revision is never deleted (``removed_at`` hides it
    from the draft only).
    """

    application = models.ForeignKey(Application, verbose_name=_("申报"), on_delete=models.PROTECT,
                                    related_name="attachments")
    purpose = models.CharField(_("用途"), max_length=64, help_text=_("材料或基本条件的代码"))
    display_name = models.CharField(_("文件名"), max_length=200)
    storage_name = models.CharField(_("存储名"), max_length=300, unique=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    kind = models.CharField(_("文件类型"), max_length=16)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("申报附件")
        verbose_name_plural = _("申报附件")
        ordering = ["purpose", "uploaded_at"]

    def __str__(self):
        return self.display_name


class ApplicationRevision(models.Model):
    """修订版本: everything submitted, frozen (all fields and file hashes); old ones stay readable."""

    application = models.ForeignKey(Application, verbose_name=_("申报"), on_delete=models.PROTECT,
                                    related_name="revisions")
    number = models.PositiveSmallIntegerField(_("版本号"))
    content = models.JSONField(_("内容"))
    sha256 = models.CharField(_("内容摘要（SHA-256）"), max_length=64)
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True,
                                  on_delete=models.PROTECT, related_name="+")
    frozen_at = models.DateTimeField(_("提交时间"))

    class Meta:
        verbose_name = _("申报修订版本")
        verbose_name_plural = _("申报修订版本")
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="revision_number_unique")]

    def __str__(self):
        return f"{self.application} v{self.number}"


class ProvincialReview(models.Model):
    """初审 (art. 10): the province's decision on one revision: recommended, or returned with reasons."""

    class Outcome(models.TextChoices):
        RECOMMENDED = "recommended", _("推荐")
        RETURNED = "returned", _("退回修改")

    application = models.ForeignKey(Application, verbose_name=_("申报"), on_delete=models.PROTECT,
                                    related_name="provincial_reviews")
    revision_number = models.PositiveSmallIntegerField(_("修订版本"))
    outcome = models.CharField(_("结论"), max_length=16, choices=Outcome.choices)
    comments = models.TextField(_("意见"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("省级初审意见")
        verbose_name_plural = _("省级初审意见")
        ordering = ["application", "revision_number"]
        constraints = [models.UniqueConstraint(fields=["application", "revision_number"],
                                               name="provincial_review_one_per_revision")]

    def __str__(self):
        return f"{self.application} v{self.revision_number} {self.outcome}"


class RecommendationDocument(models.Model):
    """初审推荐文件: the province's letter for one revision, generated (.docx/PDF) or uploaded signed."""

    class Source(models.TextChoices):
        GENERATED = "generated", _("平台生成")
        UPLOADED = "uploaded", _("上传盖章件")

    application = models.ForeignKey(Application, verbose_name=_("申报"), on_delete=models.PROTECT,
                                    related_name="recommendation_documents")
    revision_number = models.PositiveSmallIntegerField(_("修订版本"))
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    display_name = models.CharField(_("文件名"), max_length=200)
    storage_name = models.CharField(_("存储名"), max_length=300, unique=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("初审推荐文件")
        verbose_name_plural = _("初审推荐文件")
        ordering = ["application", "revision_number", "created_at"]

    def __str__(self):
        return self.display_name

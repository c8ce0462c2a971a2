"""Published documents (已发布文书): every document the Ministry publishes, with its SM3 digest.

The public verification page (portal) answers from here whether an uploaded file or a pasted
digest is a document the Ministry published, which one and when. A row is written once, when
the document is published, and never changed; the file itself is kept in storage beside it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedDocument(models.Model):
    class Kind(models.TextChoices):
        NOTICE = "notice", _("公示")
        ANNOUNCEMENT = "announcement", _("公告")
        CERTIFICATE = "certificate", _("称号证书")

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (.docx)"

    kind = models.CharField(_("文书类别"), max_length=16, choices=Kind.choices)
    format = models.CharField(_("文件格式"), max_length=8, choices=Format.choices)
    title = models.CharField(_("标题"), max_length=300)
    number = models.CharField(_("文号"), max_length=100, blank=True)
    file = models.FileField(_("文件"), max_length=300)
    size = models.PositiveBigIntegerField(_("文件大小（字节）"))
    sm3 = models.CharField(_("SM3 摘要"), max_length=64, unique=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    #: What the document is about, as "<app_label>.<model>:<pk>" (a notice, an announcement, a title).
    subject = models.CharField(_("所属对象"), max_length=100, db_index=True)
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT,
                                     related_name="+", null=True, blank=True)

    class Meta:
        verbose_name = _("已发布文书")
        verbose_name_plural = _("已发布文书")
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return f"{self.title}（{self.get_format_display()}）"

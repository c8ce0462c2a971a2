from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .definition import programme_from_document


class ProgrammeDefinition(models.Model):
    """申报项目定义: one version of a programme's rules (types, domains, conditions, materials,
    routing, caps), loaded from ``data/programmes/*.yaml`` (SPEC §7).

    A version is immutable: a batch copies its document when it opens and cites it for good, so
    loading the same code and version with other content is refused (``services``) and an
    existing row's document is never rewritten (``save``). Rules change by a new version.
    """

    code = models.CharField(_("项目代码"), max_length=64)
    version = models.CharField(_("版本"), max_length=32)
    title = models.CharField(_("项目名称"), max_length=200)
    document = models.JSONField(_("定义内容"))
    sha256 = models.CharField(_("内容摘要（SHA-256）"), max_length=64)
    source = models.CharField(_("来源文件"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(_("载入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申报项目定义")
        verbose_name_plural = _("申报项目定义")
        ordering = ["code", "-loaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="programme_definition_code_version_unique"),
        ]

    def __str__(self):
        return f"{self.title}（{self.version}）"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("sha256", flat=True).first()
            if stored is not None and stored != self.sha256:
                raise ValueError("a programme definition version is immutable; load a new version instead")
        super().save(*args, **kwargs)

    @cached_property
    def programme(self):
        """The rules as a ``Programme`` (icdc.programmes.definition)."""
        return programme_from_document(self.document)

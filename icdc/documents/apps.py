"""Documents (文书): PDF (WeasyPrint, CJK fonts embedded) and .docx generated from data."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "icdc.documents"
    verbose_name = _("文书生成")
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    name = "icdc.backups"
    verbose_name = _("数据备份与恢复")

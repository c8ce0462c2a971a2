"""Programme definitions (申报项目定义): the rules of a call as versioned data (SPEC §7)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "icdc.programmes"
    verbose_name = _("申报项目定义")
    default_auto_field = "django.db.models.BigAutoField"

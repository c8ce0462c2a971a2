from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    """拟定名单、公示、异议与公告 (issue 15). The scoring runs it decides from live in ``rankings``."""

    name = "icdc.decisions"
    verbose_name = _("拟定名单、公示与公告")
    default_auto_field = "django.db.models.BigAutoField"

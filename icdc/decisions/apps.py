from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "icdc.decisions"
    verbose_name = _("评审结果与排名")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RankingsConfig(AppConfig):
    name = "icdc.rankings"
    verbose_name = _("评分与排名")

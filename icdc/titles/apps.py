"""Titles (称号): the demonstration-city titles the Ministry awarded, one record per award."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TitlesConfig(AppConfig):
    name = "icdc.titles"
    verbose_name = _("示范城市称号")
    default_auto_field = "django.db.models.BigAutoField"

"""Applications (申报) and provincial preliminary review (初审) (SPEC §2 arts. 5–11, §4)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "icdc.applications"
    verbose_name = _("申报")
    default_auto_field = "django.db.models.BigAutoField"

"""Batches (年度批次): a year's call, opened from a programme definition (SPEC §4)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BatchesConfig(AppConfig):
    name = "icdc.batches"
    verbose_name = _("年度批次")
    default_auto_field = "django.db.models.BigAutoField"

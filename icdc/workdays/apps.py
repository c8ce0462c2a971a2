"""Working days (工作日): the official holiday schedule per year, and periods counted in working days."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "icdc.workdays"
    verbose_name = _("工作日与节假日安排")
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DivisionsConfig(AppConfig):
    name = "icdc.divisions"
    verbose_name = _("行政区划")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "icdc.portal"
    label = "portal"
    verbose_name = _("公众服务门户")

    def ready(self):
        from . import cache

        cache.connect_signals()

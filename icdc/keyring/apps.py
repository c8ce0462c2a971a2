from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KeyringConfig(AppConfig):
    name = "icdc.keyring"
    verbose_name = _("密钥指纹")

    def ready(self):
        from . import checks  # noqa: F401  (registers the key checks)
        from .services import connect_cache_reset

        connect_cache_reset()

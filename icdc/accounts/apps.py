from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "icdc.accounts"
    verbose_name = _("账号与角色")

    def ready(self):
        from . import signals

        signals.connect()

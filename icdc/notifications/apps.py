"""Notifications (消息通知): the in-app message centre, e-mail after commit, reminders sent once."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "icdc.notifications"
    verbose_name = _("消息通知")
    default_auto_field = "django.db.models.BigAutoField"

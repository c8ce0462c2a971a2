"""Review (评审): the expert pool, conflict declarations and panels (SPEC §4 "Expert review")."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "icdc.review"
    verbose_name = _("专家评审")
    default_auto_field = "django.db.models.BigAutoField"

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class YearSchedule(models.Model):
    """A year's holidays and adjusted working days as an officer entered them from the State
    Council notice (国务院办公厅关于某年部分节假日安排的通知). It replaces the library's schedule of
    that year wholly (never merged day by day), and makes a year the library does not know usable.

    Dates are stored as ISO strings (``YYYY-MM-DD``) in JSON lists. ``revision`` counts saves: an
    edit names the revision it started from, so two officers editing at once cannot overwrite each
    other silently (the second is refused)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    holidays = models.JSONField(_("法定节假日"), default=list)
    working_days = models.JSONField(_("调休上班日"), default=list)
    note = models.CharField(_("依据（通知文号）"), max_length=300)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT,
                                   related_name="+")
    entered_at = models.DateTimeField(_("录入时间"))
    updated_at = models.DateTimeField(_("最后修改"), auto_now=True)
    revision = models.PositiveIntegerField(_("修订次数"), default=1)

    class Meta:
        verbose_name = _("年度节假日安排")
        verbose_name_plural = _("年度节假日安排")
        ordering = ["year"]

    def __str__(self):
        return _("%(year)s 年节假日安排") % {"year": self.year}

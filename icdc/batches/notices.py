"""Whom a batch's steps concern (the workflow's notifiers, inside the transition's transaction)."""

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


def batch_opened(batch):
    """Art. 8: every city applicant and provincial official hears that the call is open."""
    from django.contrib.auth import get_user_model

    from icdc.accounts.models import Role
    from icdc.notifications.services import notify

    users = get_user_model().objects.filter(is_active=True, role__in=[Role.CITY_APPLICANT, Role.PROVINCIAL_OFFICIAL])
    notify(recipients=users, kind="batches.batch.open", title=format_lazy(_("{batch}已开放申报"), batch=batch.title),
           body=format_lazy(_("城市申报截止时间：{deadline}（北京时间）"), deadline=batch.city_deadline_display),
           link=reverse("batches:detail", args=[batch.pk]), obj=batch)

"""Reads of the notifications app: whom to notify (recipient selectors for other apps' services)
and what an account sees in its message centre."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404

from icdc.accounts.models import Role

from .models import Notification

#: the top bar shows "99+" above this; counting stops there, so the count stays cheap
UNREAD_CAP = 100


def users_of_division(division, role):
    """Active accounts of ``role`` bound to ``division`` exactly: the city applicants of a city
    (``users_of_division(city, Role.CITY_APPLICANT)``), the provincial officials of a province
    (``users_of_division(city.parent, Role.PROVINCIAL_OFFICIAL)``). A 直辖市 is one division,
    so its applicants are bound to it itself (Art. 9)."""
    if division is None:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(division=division, role=Role(role), is_active=True).order_by("pk")


def ministry_officers():
    """Every active Ministry officer (工信部业务管理员)."""
    return get_user_model().objects.filter(role=Role.MINISTRY_OFFICER, is_active=True).order_by("pk")


def notifications_of(*, user):
    """The message centre of ``user``, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notification_of(*, user, pk):
    """One of ``user``'s own notifications; another account's (or none) is a 404, the same answer
    for both, so an id cannot be probed."""
    return get_object_or_404(Notification, pk=pk, recipient=user)


def unread_count(*, user):
    """Unread notifications of ``user``, counted up to ``UNREAD_CAP`` (one indexed query)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True)[:UNREAD_CAP].count()
